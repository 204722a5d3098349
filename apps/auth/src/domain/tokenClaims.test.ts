import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { accessClaims, readAccessClaims } from './tokenClaims.js';

describe('access token claims', () => {
  const base = { userId: randomUUID(), role: 'driver' as const, sessionId: randomUUID(), issuedAt: new Date('2025-01-01T00:00:00Z') };

  it('expire at most 15 minutes after issue', () => {
    const claims = accessClaims({ ...base, ttlS: 900 });
    expect(claims.exp - claims.iat).toBe(900);
    expect(claims.iat).toBe(1735689600);
    expect(() => accessClaims({ ...base, ttlS: 901 })).toThrow(RangeError);
    expect(() => accessClaims({ ...base, ttlS: 0 })).toThrow(RangeError);
  });

  it('read back only well-formed payloads', () => {
    const claims = accessClaims({ ...base, ttlS: 600 });
    expect(readAccessClaims({ ...claims, iss: 'uitgo-auth' })).toEqual(claims);
    expect(readAccessClaims({ ...claims, role: 'root' })).toBeUndefined();
    expect(readAccessClaims({ ...claims, sid: 'x' })).toBeUndefined();
    expect(readAccessClaims({ ...claims, exp: claims.iat + 3600 })).toBeUndefined();
    expect(readAccessClaims({ ...claims, sub: undefined })).toBeUndefined();
  });
});
