import type { RequestContext } from '@uitgo/kit';
import type { VerificationDecisionRecord } from '../domain/profile.js';

/** `context`, the request's, makes the queries spans of its trace (tracing on); a unit of work's repositories run in its transaction's. */
export interface VerificationDecisionRepository {
  append(record: VerificationDecisionRecord, context?: RequestContext): Promise<void>;
  latestFor(userId: string, context?: RequestContext): Promise<VerificationDecisionRecord | null>;
}
