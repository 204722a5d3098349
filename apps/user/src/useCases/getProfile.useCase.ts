import { assertMayReadUser } from '../domain/accessPolicy.js';
import { UserNotFound } from '../domain/errors.js';
import type { UserStore } from '../ports/userStore.js';
import { currentCaller, isUuid } from './currentCaller.js';
import { viewProfile, type ProfileView, type ViewDeps } from './views.js';

export function makeGetProfile(deps: { store: UserStore } & ViewDeps) {
  return async (input: { userId: string }): Promise<ProfileView> => {
    const caller = currentCaller();
    const userId = input.userId || caller.userId;
    assertMayReadUser(caller, userId);
    const profile = isUuid(userId) ? await deps.store.profiles.findById(userId) : null;
    if (!profile) throw new UserNotFound(userId);
    return viewProfile(profile, deps);
  };
}
