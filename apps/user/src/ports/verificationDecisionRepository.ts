import type { RequestContext } from '@uitgo/kit';
import type { KeysetPosition } from '../domain/cursor.js';
import type { VerificationDecisionRecord } from '../domain/profile.js';

export interface DecisionFilter {
  /** The (decidedAt, id) of the last decision of the previous page. */
  after?: KeysetPosition | undefined;
  limit: number;
}

/** `context`, the request's, makes the queries spans of its trace (tracing on); a unit of work's repositories run in its transaction's. */
export interface VerificationDecisionRepository {
  append(record: VerificationDecisionRecord, context?: RequestContext): Promise<void>;
  latestFor(userId: string, context?: RequestContext): Promise<VerificationDecisionRecord | null>;
  /** The user's decisions, newest first by (decidedAt, id). */
  listFor(userId: string, filter: DecisionFilter, context?: RequestContext): Promise<VerificationDecisionRecord[]>;
}
