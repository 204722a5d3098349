import { and, desc, eq } from 'drizzle-orm';
import type { RequestContext } from '@uitgo/kit';
import { tracedDb, type DbOrTx } from '@uitgo/kit/sql';
import * as schema from '../db/schema.js';
import type { DocumentKind, UserDocument } from '../domain/document.js';
import type { DocumentRepository } from '../ports/documentRepository.js';

type Schema = typeof schema;
const { documents } = schema;

type Row = typeof documents.$inferSelect;
/** The column is text; only checked declarations are ever written to it. */
const toDocument = (row: Row): UserDocument => ({ ...row, contentType: row.contentType as UserDocument['contentType'] });

export class DrizzleDocumentRepository implements DocumentRepository {
  constructor(private readonly db: DbOrTx<Schema>) {}

  async insert(document: UserDocument, context?: RequestContext): Promise<void> {
    await tracedDb(this.db, context).insert(documents).values(document);
  }

  async findOwned(id: string, userId: string, context?: RequestContext): Promise<UserDocument | null> {
    const [row] = await tracedDb(this.db, context)
      .select()
      .from(documents)
      .where(and(eq(documents.id, id), eq(documents.userId, userId)));
    return row ? toDocument(row) : null;
  }

  async markUploaded(id: string, at: Date, context?: RequestContext): Promise<UserDocument> {
    const [row] = await tracedDb(this.db, context)
      .update(documents)
      .set({ status: 'uploaded', uploadedAt: at })
      .where(eq(documents.id, id))
      .returning();
    if (!row) throw new Error(`document ${id} vanished while being completed`);
    return toDocument(row);
  }

  async listByUser(userId: string, context?: RequestContext): Promise<UserDocument[]> {
    const rows = await tracedDb(this.db, context)
      .select()
      .from(documents)
      .where(eq(documents.userId, userId))
      .orderBy(desc(documents.createdAt), desc(documents.id));
    return rows.map(toDocument);
  }

  async uploadedKinds(userId: string, context?: RequestContext): Promise<Set<DocumentKind>> {
    const rows = await tracedDb(this.db, context)
      .selectDistinct({ kind: documents.kind })
      .from(documents)
      .where(and(eq(documents.userId, userId), eq(documents.status, 'uploaded')));
    return new Set(rows.map((row) => row.kind));
  }
}
