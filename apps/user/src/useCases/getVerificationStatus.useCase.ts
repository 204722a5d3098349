import type { RequestContext } from '@uitgo/kit';
import { requireCaller } from '../domain/accessPolicy.js';
import { assertMayReadUser } from '../domain/accessPolicy.js';
import { UserNotFound } from '../domain/errors.js';
import type { VerificationStatus } from '../domain/profile.js';
import type { UserStore } from '../ports/userStore.js';
import { isUuid } from './currentCaller.js';

export interface VerificationStanding {
  status: VerificationStatus;
  /** The reason given with the last decision, if any. */
  reason: string | null;
  decidedAt: Date | null;
}

/** For the driver service (with the driver's caller propagated) before a driver goes online. */
export function makeGetVerificationStatus(deps: { store: UserStore }) {
  return async (ctx: RequestContext, input: { userId: string }): Promise<VerificationStanding> => {
    const caller = requireCaller(ctx.caller);
    const userId = input.userId || caller.userId;
    assertMayReadUser(caller, userId);
    const profile = isUuid(userId) ? await deps.store.profiles.findById(userId, ctx) : null;
    if (!profile) throw new UserNotFound(userId);
    const last = await deps.store.decisions.latestFor(userId, ctx);
    return { status: profile.verificationStatus, reason: last?.reason ?? null, decidedAt: last?.decidedAt ?? null };
  };
}
