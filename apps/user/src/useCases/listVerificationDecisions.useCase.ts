import type { RequestContext } from '@uitgo/kit';
import { assertMayReadDecisions, requireCaller } from '../domain/accessPolicy.js';
import { decisionCursor, pageOf, pageSize } from '../domain/cursor.js';
import { UserNotFound } from '../domain/errors.js';
import type { VerificationDecisionRecord } from '../domain/profile.js';
import type { UserStore } from '../ports/userStore.js';
import { isUuid } from './currentCaller.js';

export interface ListVerificationDecisionsInput {
  userId: string;
  /** 0 for the default page size. */
  limit: number;
  /** Empty for the first page. */
  cursor: string;
}

export interface DecisionPage {
  items: VerificationDecisionRecord[];
  nextCursor: string | null;
}

/** The audit trail of a user's verification, newest first, for admins reviewing it (and peer services). */
export function makeListVerificationDecisions(deps: { store: UserStore }) {
  return async (ctx: RequestContext, input: ListVerificationDecisionsInput): Promise<DecisionPage> => {
    const caller = requireCaller(ctx.caller);
    assertMayReadDecisions(caller);
    const userId = input.userId || caller.userId;
    const limit = pageSize(input.limit);
    const after = input.cursor === '' ? undefined : decisionCursor.decode(input.cursor);
    if (!isUuid(userId) || !(await deps.store.profiles.findById(userId, ctx))) throw new UserNotFound(userId);
    const rows = await deps.store.decisions.listFor(userId, { after, limit: limit + 1 }, ctx);
    return pageOf(rows, limit, decisionCursor, (row) => ({ at: row.decidedAt, id: row.id }));
  };
}
