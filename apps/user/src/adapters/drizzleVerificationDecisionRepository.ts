import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import type { RequestContext } from '@uitgo/kit';
import { tracedDb, type DbOrTx } from '@uitgo/kit/sql';
import * as schema from '../db/schema.js';
import type { VerificationDecisionRecord } from '../domain/profile.js';
import type { DecisionFilter, VerificationDecisionRepository } from '../ports/verificationDecisionRepository.js';

type Schema = typeof schema;
const { verificationDecisions } = schema;

export class DrizzleVerificationDecisionRepository implements VerificationDecisionRepository {
  constructor(private readonly db: DbOrTx<Schema>) {}

  async append(record: VerificationDecisionRecord, context?: RequestContext): Promise<void> {
    await tracedDb(this.db, context).insert(verificationDecisions).values(record);
  }

  async latestFor(userId: string, context?: RequestContext): Promise<VerificationDecisionRecord | null> {
    const [row] = await this.listFor(userId, { limit: 1 }, context);
    return row ?? null;
  }

  async listFor(userId: string, filter: DecisionFilter, context?: RequestContext): Promise<VerificationDecisionRecord[]> {
    const conditions: SQL[] = [eq(verificationDecisions.userId, userId)];
    if (filter.after) {
      const { at, id } = filter.after;
      conditions.push(or(lt(verificationDecisions.decidedAt, at), and(eq(verificationDecisions.decidedAt, at), lt(verificationDecisions.id, id)))!);
    }
    return tracedDb(this.db, context)
      .select()
      .from(verificationDecisions)
      .where(and(...conditions))
      .orderBy(desc(verificationDecisions.decidedAt), desc(verificationDecisions.id))
      .limit(filter.limit);
  }
}
