import { describe, expect, it } from 'vitest';
import { authorize } from './permissions.js';

const me = '3f2b8c1e-7a4d-4f7e-9c1a-2b6d8e0f4a51';
const other = '9a1b8c1e-7a4d-4f7e-9c1a-2b6d8e0f4a52';

describe('authorize', () => {
  it('grants each role its own permissions only', () => {
    expect(authorize({ subject: me, role: 'passenger', permission: 'trips:create' })).toEqual({ allowed: true });
    expect(authorize({ subject: me, role: 'driver', permission: 'drivers:location:write' })).toEqual({ allowed: true });
    expect(authorize({ subject: me, role: 'admin', permission: 'users:verify' })).toEqual({ allowed: true });
    expect(authorize({ subject: me, role: 'driver', permission: 'trips:create' })).toMatchObject({ allowed: false, reason: 'permission_missing' });
    expect(authorize({ subject: me, role: 'passenger', permission: 'users:verify' })).toMatchObject({ allowed: false, reason: 'permission_missing' });
    expect(authorize({ subject: me, role: 'admin', permission: 'no:such' })).toMatchObject({ allowed: false, reason: 'permission_missing' });
  });

  it('checks allowed roles before the permission', () => {
    expect(authorize({ subject: me, role: 'driver', permission: 'trips:create', allowedRoles: ['passenger'] })).toMatchObject({
      allowed: false,
      reason: 'role_not_allowed',
    });
    expect(authorize({ subject: me, role: 'driver', allowedRoles: [] })).toEqual({ allowed: true });
  });

  it('lets only the owner or an admin act on a resource', () => {
    expect(authorize({ subject: me, role: 'passenger', permission: 'trips:read', resourceOwnerId: me })).toEqual({ allowed: true });
    expect(authorize({ subject: me, role: 'passenger', permission: 'trips:read', resourceOwnerId: other })).toMatchObject({
      allowed: false,
      reason: 'not_owner',
    });
    expect(authorize({ subject: me, role: 'admin', permission: 'trips:read', resourceOwnerId: other })).toEqual({ allowed: true });
  });
});
