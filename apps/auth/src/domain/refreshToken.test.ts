import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatRefreshToken, hashRefreshToken, parseRefreshToken } from './refreshToken.js';

describe('refresh tokens', () => {
  it('carry their session id and 32 random bytes, and hash to SHA-256 hex', () => {
    const sid = randomUUID();
    const token = formatRefreshToken(sid, randomBytes(32));
    expect(token).toMatch(new RegExp(`^${sid}\\.[A-Za-z0-9_-]{43}$`));
    expect(parseRefreshToken(token)).toEqual({ sessionId: sid });
    expect(hashRefreshToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRefreshToken(token)).not.toBe(hashRefreshToken(`${token}x`));
  });

  it('rejects anything not shaped like one', () => {
    const secret = Buffer.alloc(32, 7).toString('base64url');
    for (const bad of ['', 'abc', `not-a-uuid.${secret}`, `${randomUUID()}.short`, `${randomUUID()}.${secret}.extra`, `${randomUUID()}`]) {
      expect(parseRefreshToken(bad)).toBeUndefined();
    }
    expect(() => formatRefreshToken(randomUUID(), randomBytes(16))).toThrow(RangeError);
  });
});
