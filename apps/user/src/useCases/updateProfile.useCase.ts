import type { RequestContext } from '@uitgo/kit';
import { requireCaller } from '../domain/accessPolicy.js';
import { FullName, Phone, validationDetails } from '@uitgo/contracts';
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

/** Users change their own name and phone; nothing else here is theirs to change. */
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
    const profile = isUuid(userId) ? await deps.store.transaction((unit) => unit.profiles.update(userId, changes, new Date()), ctx) : null;
    if (!profile) throw new UserNotFound(userId);
    return viewProfile(profile, deps);
  };
}
