import type { RequestContext } from '@uitgo/kit';
import { requireCaller } from '../domain/accessPolicy.js';
import { FullName, makeEvent, Phone, validationDetails } from '@uitgo/contracts';
import { z } from 'zod';
import { assertIsUser } from '../domain/accessPolicy.js';
import { UserNotFound, ValidationFailed } from '../domain/errors.js';
import type { ProfileChanges } from '../domain/profile.js';
import type { UserStore } from '../ports/userStore.js';
import { isUuid } from './currentCaller.js';
import { viewProfile, type ProfileView, type ViewDeps } from './views.js';

export interface UpdateProfileInput {
  userId: string;
  /** Unchanged when undefined. */
  fullName?: string | undefined;
  /** Unchanged when undefined; null removes it. */
  phone?: string | null | undefined;
}

const Changes = z.object({ fullName: FullName.optional(), phone: Phone.nullable().optional() });

/**
 * Users change their own name and phone; nothing else here is theirs to change. The change and
 * its `user.v1.profile_updated` event commit together.
 */
export function makeUpdateProfile(deps: { store: UserStore } & ViewDeps) {
  return async (ctx: RequestContext, input: UpdateProfileInput): Promise<ProfileView> => {
    const caller = requireCaller(ctx.caller);
    const userId = input.userId || caller.userId;
    assertIsUser(caller, userId);
    const parsed = Changes.safeParse({ fullName: input.fullName, phone: input.phone });
    if (!parsed.success) throw new ValidationFailed(validationDetails(parsed.error));
    const changes: ProfileChanges = {};
    if (parsed.data.fullName !== undefined) changes.fullName = parsed.data.fullName;
    if (parsed.data.phone !== undefined) changes.phone = parsed.data.phone;
    if (!isUuid(userId)) throw new UserNotFound(userId);
    const profile = await deps.store.transaction(async (unit) => {
      const updatedAt = new Date();
      const updated = await unit.profiles.update(userId, changes, updatedAt);
      // The auth service keeps the name (it goes into access tokens): it learns of the change from the event.
      if (updated && (changes.fullName !== undefined || changes.phone !== undefined)) {
        await unit.publish([
          makeEvent('user.v1.profile_updated', userId, { userId, fullName: updated.fullName, phone: updated.phone, updatedAt: updatedAt.toISOString() }, ctx.traceId),
        ]);
      }
      return updated;
    }, ctx);
    if (!profile) throw new UserNotFound(userId);
    return viewProfile(profile, deps);
  };
}
