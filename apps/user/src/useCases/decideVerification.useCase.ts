import type { RequestContext } from '@uitgo/kit';
import { requireCaller } from '../domain/accessPolicy.js';
import { randomUUID } from 'node:crypto';
import { makeEvent } from '@uitgo/contracts';
import { assertAdmin } from '../domain/accessPolicy.js';
import { Forbidden, UserNotFound } from '../domain/errors.js';
import { checkDecision } from '../domain/verificationRules.js';
import type { UserStore } from '../ports/userStore.js';
import { isUuid } from './currentCaller.js';
import { viewProfile, type ProfileView, type ViewDeps } from './views.js';

export interface DecideVerificationInput {
  userId: string;
  decision: string | null;
  reason: string | null;
  /** The gateway sets it from the token; when set it must be the caller. */
  adminId: string;
}

/**
 * An admin verifies or rejects a driver. The status change, the audit row and the
 * `user.v1.verification_decided` event commit together or not at all.
 */
export function makeDecideVerification(deps: { store: UserStore } & ViewDeps) {
  return async (ctx: RequestContext, input: DecideVerificationInput): Promise<ProfileView> => {
    const caller = requireCaller(ctx.caller);
    assertAdmin(caller);
    if (input.adminId !== '' && input.adminId !== caller.userId) throw new Forbidden('An admin decides only in their own name');
    if (!isUuid(input.userId)) throw new UserNotFound(input.userId);
    const profile = await deps.store.transaction(async (unit) => {
      const current = await unit.profiles.findByIdForUpdate(input.userId);
      if (!current) throw new UserNotFound(input.userId);
      const { decision, reason } = checkDecision(current, input);
      const decidedAt = new Date();
      // The audit row first: the profile read back by the update takes its reason from it.
      await unit.decisions.append({ id: randomUUID(), userId: current.id, adminId: caller.userId, decision, reason, decidedAt });
      const updated = await unit.profiles.update(current.id, { verificationStatus: decision }, decidedAt);
      await unit.publish([
        makeEvent(
          'user.v1.verification_decided',
          current.id,
          { userId: current.id, role: current.role, decision, reason, decidedBy: caller.userId, decidedAt: decidedAt.toISOString() },
          ctx.traceId,
        ),
      ]);
      return updated ?? current;
    }, ctx);
    return viewProfile(profile, deps);
  };
}
