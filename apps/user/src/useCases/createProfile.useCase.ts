import type { RequestContext } from '@uitgo/kit';
import { requireCaller } from '../domain/accessPolicy.js';
import { Email, FullName, Id, Phone, Role, validationDetails } from '@uitgo/contracts';
import { z } from 'zod';
import { assertMayCreateProfile } from '../domain/accessPolicy.js';
import { ValidationFailed } from '../domain/errors.js';
import type { NewProfile } from '../domain/profile.js';
import type { UnitOfWork, UserStore } from '../ports/userStore.js';
import { viewProfile, type ProfileView, type ViewDeps } from './views.js';

export interface CreateProfileInput {
  userId: string;
  email: string;
  role: string | null;
  fullName: string;
  phone: string | null;
}

const NewProfileFields = z.object({ userId: Id, email: Email, role: Role, fullName: FullName, phone: Phone.nullable() });

export function checkNewProfile(input: CreateProfileInput, createdAt: Date): NewProfile {
  const parsed = NewProfileFields.safeParse(input);
  if (!parsed.success) throw new ValidationFailed(validationDetails(parsed.error));
  const { userId, ...fields } = parsed.data;
  return { id: userId, ...fields, createdAt };
}

/** Shared with the registration consumer: creates the profile unless it exists (an upsert that never overwrites). */
export async function ensureProfile(unit: Pick<UnitOfWork, 'profiles'>, profile: NewProfile) {
  return unit.profiles.insertIfAbsent(profile);
}

/** Called by the auth service right after registration; a repeat returns the existing profile. */
export function makeCreateProfile(deps: { store: UserStore } & ViewDeps) {
  return async (ctx: RequestContext, input: CreateProfileInput): Promise<ProfileView> => {
    assertMayCreateProfile(requireCaller(ctx.caller), input.userId);
    const profile = checkNewProfile(input, new Date());
    const { profile: stored } = await deps.store.transaction((unit) => ensureProfile(unit, profile), ctx);
    return viewProfile(stored, deps);
  };
}
