import type { RequestContext } from '@uitgo/kit';
import { requireCaller } from '../domain/accessPolicy.js';
import { assertMayReadUser } from '../domain/accessPolicy.js';
import { UserNotFound } from '../domain/errors.js';
import type { UserStore } from '../ports/userStore.js';
import { isUuid } from './currentCaller.js';
import { viewProfile, type ProfileView, type ViewDeps } from './views.js';

export function makeGetProfile(deps: { store: UserStore } & ViewDeps) {
  return async (ctx: RequestContext, input: { userId: string }): Promise<ProfileView> => {
    const caller = requireCaller(ctx.caller);
    const userId = input.userId || caller.userId;
    assertMayReadUser(caller, userId);
    const profile = isUuid(userId) ? await deps.store.profiles.findById(userId, ctx) : null;
    if (!profile) throw new UserNotFound(userId);
    return viewProfile(profile, deps);
  };
}
