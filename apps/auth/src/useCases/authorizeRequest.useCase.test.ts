import { describe, expect, it } from 'vitest';
import { authorizeRequest } from './authorizeRequest.useCase.js';

const subject = '3f2b8c1e-7a4d-4f7e-9c1a-2b6d8e0f4a51';

describe('authorizeRequest', () => {
  it('needs a subject and a role', () => {
    expect(() => authorizeRequest({ subject: '', role: undefined, permission: '', allowedRoles: [] })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', details: { fields: [{ path: 'subject', message: 'is required' }, { path: 'role', message: 'is required' }] } }),
    );
  });

  it('fails closed when every allowed role is unknown', () => {
    expect(authorizeRequest({ subject, role: 'admin', permission: '', allowedRoles: [undefined] })).toMatchObject({ allowed: false, reason: 'role_not_allowed' });
    expect(authorizeRequest({ subject, role: 'admin', permission: '', allowedRoles: [undefined, 'admin'] })).toEqual({ allowed: true });
  });

  it('checks permission and ownership', () => {
    expect(authorizeRequest({ subject, role: 'passenger', permission: 'trips:create', allowedRoles: [] })).toEqual({ allowed: true });
    expect(authorizeRequest({ subject, role: 'passenger', permission: 'trips:read', allowedRoles: [], resourceOwnerId: crypto.randomUUID() })).toMatchObject({
      allowed: false,
      reason: 'not_owner',
    });
  });
});
