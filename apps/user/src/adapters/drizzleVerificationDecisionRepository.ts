import { desc, eq } from 'drizzle-orm';
import type { RequestContext } from '@uitgo/kit';
import { tracedDb, type DbOrTx } from '@uitgo/kit/sql';
import * as schema from '../db/schema.js';
import type { VerificationDecisionRecord } from '../domain/profile.js';
import type { VerificationDecisionRepository } from '../ports/verificationDecisionRepository.js';

type Schema = typeof schema;
const { verificationDecisions } = schema;

export class DrizzleVerificationDecisionRepository implements VerificationDecisionRepository {
  constructor(private readonly db: DbOrTx<Schema>) {}

  async append(record: VerificationDecisionRecord, context?: RequestContext): Promise<void> {
    await tracedDb(this.db, context).insert(verificationDecisions).values(record);
  }

  async latestFor(userId: string, context?: RequestContext): Promise<VerificationDecisionRecord | null> {
    const [row] = await tracedDb(this.db, context)
      .select()
      .from(verificationDecisions)
      .where(eq(verificationDecisions.userId, userId))
      .orderBy(desc(verificationDecisions.decidedAt), desc(verificationDecisions.id))
      .limit(1);
    return row ?? null;
  }
}
