import type { Caller } from '@uitgo/kit';
import { Forbidden, Unauthenticated } from './errors.js';

/** The caller comes from metadata set by the gateway (or a peer service); none means nobody signed in. */
export function requireCaller(caller: Caller | undefined): Caller {
  if (!caller || caller.userId === '') throw new Unauthenticated();
  return caller;
}

export const isAdmin = (caller: Caller): boolean => caller.role === 'admin';
const isSelf = (caller: Caller, userId: string): boolean => caller.userId === userId;

export function assertAdmin(caller: Caller): void {
  if (!isAdmin(caller)) throw new Forbidden('Only admins may do this');
}

/** Profiles and verification status: the user, an admin, or a peer service (auth, driver). */
export function assertMayReadUser(caller: Caller, userId: string): void {
  if (!isSelf(caller, userId) && !isAdmin(caller) && caller.role !== 'service') {
    throw new Forbidden('You may only read your own profile');
  }
}

/** Registration: the auth service (or an admin) creates the profile; a user may repair their own. */
export function assertMayCreateProfile(caller: Caller, userId: string): void {
  if (!isSelf(caller, userId) && !isAdmin(caller) && caller.role !== 'service') {
    throw new Forbidden('Only the auth service creates profiles');
  }
}

/** Changing a profile or uploading documents: the user only. */
export function assertIsUser(caller: Caller, userId: string): void {
  if (!isSelf(caller, userId)) throw new Forbidden('You may only change your own profile and documents');
}

/**
 * The audit trail of verification decisions: admins and peer services. Users see where they
 * stand (status and reason on their profile), not who decided.
 */
export function assertMayReadDecisions(caller: Caller): void {
  if (!isAdmin(caller) && caller.role !== 'service') throw new Forbidden('Only admins may read verification decisions');
}

/** Listing documents: the owner or an admin reviewing them. */
export function assertMayListDocuments(caller: Caller, userId: string): void {
  if (!isSelf(caller, userId) && !isAdmin(caller)) throw new Forbidden('You may only list your own documents');
}
