import type { Role } from '@uitgo/contracts';

/**
 * What each role may do, by permission name (`resource:action`). The gateway names the
 * permission of each route; a permission missing here is granted to nobody.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<string>>> = {
  passenger: new Set([
    'profile:read',
    'profile:write',
    'documents:write',
    'drivers:nearby',
    'trips:quote',
    'trips:create',
    'trips:read',
    'trips:cancel',
    'trips:rate',
    'receipts:read',
  ]),
  driver: new Set([
    'profile:read',
    'profile:write',
    'documents:write',
    'drivers:profile:write',
    'drivers:availability:write',
    'drivers:location:write',
    'offers:read',
    'trips:accept',
    'trips:progress',
    'trips:read',
    'trips:cancel',
    'receipts:read',
  ]),
  admin: new Set([
    'profile:read',
    'profile:write',
    'users:list',
    'users:read',
    'users:verify',
    'drivers:nearby',
    'trips:read',
    'trips:cancel',
    'receipts:read',
    'signing-keys:rotate',
  ]),
};

export type DenialReason = 'role_not_allowed' | 'permission_missing' | 'not_owner';

export type AuthorizationDecision = { allowed: true } | { allowed: false; reason: DenialReason; message: string };

export interface AuthorizationQuestion {
  subject: string;
  role: Role;
  /** Empty when only roles matter. */
  permission?: string;
  /** Empty allows any role. */
  allowedRoles?: readonly Role[];
  /** When set, only the owner or an admin may act. */
  resourceOwnerId?: string;
}

/** Roles first, then the permission, then ownership: the first failing check is the reason. */
export function authorize(question: AuthorizationQuestion): AuthorizationDecision {
  const { subject, role, permission, allowedRoles, resourceOwnerId } = question;
  if (allowedRoles && allowedRoles.length > 0 && !allowedRoles.includes(role)) {
    return { allowed: false, reason: 'role_not_allowed', message: `role ${role} is not one of ${allowedRoles.join(', ')}` };
  }
  if (permission && !ROLE_PERMISSIONS[role].has(permission)) {
    return { allowed: false, reason: 'permission_missing', message: `role ${role} does not grant ${permission}` };
  }
  if (resourceOwnerId && resourceOwnerId !== subject && role !== 'admin') {
    return { allowed: false, reason: 'not_owner', message: 'the resource belongs to someone else' };
  }
  return { allowed: true };
}
