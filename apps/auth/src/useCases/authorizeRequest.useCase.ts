import type { Role } from '@uitgo/contracts';
import { ValidationFailed } from '../domain/errors.js';
import { authorize, type AuthorizationDecision } from '../domain/permissions.js';

export interface AuthorizeInput {
  subject: string;
  /** Undefined when the caller sent none (or one this build does not know). */
  role: Role | undefined;
  permission: string;
  /** Empty allows any role; undefined entries (roles this build does not know) match nobody. */
  allowedRoles: readonly (Role | undefined)[];
  resourceOwnerId?: string | undefined;
}

/** Answers whether a subject may act; a denial is an answer, not an error. */
export function authorizeRequest(input: AuthorizeInput): AuthorizationDecision {
  const fields = [
    ...(input.subject ? [] : [{ path: 'subject', message: 'is required' }]),
    ...(input.role ? [] : [{ path: 'role', message: 'is required' }]),
  ];
  if (fields.length > 0 || !input.role) throw new ValidationFailed(fields);
  const allowedRoles = input.allowedRoles.filter((role) => role !== undefined);
  if (input.allowedRoles.length > 0 && allowedRoles.length === 0) {
    return { allowed: false, reason: 'role_not_allowed', message: 'no known role is allowed' };
  }
  return authorize({
    subject: input.subject,
    role: input.role,
    permission: input.permission,
    allowedRoles,
    ...(input.resourceOwnerId ? { resourceOwnerId: input.resourceOwnerId } : {}),
  });
}
