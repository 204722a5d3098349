import { availableParallelism } from 'node:os';
import { ConfigError } from '@uitgo/kit';
import { describe, expect, it } from 'vitest';
import { DEV_KEY_ENCRYPTION_SECRET, loadAuthConfig } from './config.js';

const secret = 'k'.repeat(48);

describe('loadAuthConfig', () => {
  it('defaults to 15-minute access tokens, 30-day refresh tokens, 5/20 failures per 15 minutes and keys published 10 minutes ahead', () => {
    expect(loadAuthConfig('real', { AUTH_KEY_ENCRYPTION_SECRET: secret })).toEqual({
      accessTokenTtlS: 900,
      refreshTokenTtlS: 2_592_000,
      keyEncryptionSecret: secret,
      usesDevKeySecret: false,
      bootstrapAdmin: undefined,
      loginThrottle: { maxFailuresPerAccount: 5, maxFailuresPerAddress: 20, windowS: 900 },
      createProfileDeadlineMs: 1500,
      hashing: { maxConcurrent: Math.max(1, Math.floor(availableParallelism() / 2)), maxQueued: 256, threadNice: 10 },
      signingKeyPublishDelayMs: 600_000,
    });
  });

  it('needs a key-encryption secret in real mode and falls back to the dev secret in embedded mode', () => {
    expect(() => loadAuthConfig('real', {})).toThrow(new ConfigError('Invalid configuration: AUTH_KEY_ENCRYPTION_SECRET is missing (required when UITGO_MODE=real)'));
    expect(loadAuthConfig('embedded', {})).toMatchObject({ keyEncryptionSecret: DEV_KEY_ENCRYPTION_SECRET, usesDevKeySecret: true });
    expect(() => loadAuthConfig('real', { AUTH_KEY_ENCRYPTION_SECRET: 'short' })).toThrow(/AUTH_KEY_ENCRYPTION_SECRET is invalid/);
  });

  it('caps the access token lifetime at 15 minutes', () => {
    expect(() => loadAuthConfig('embedded', { AUTH_ACCESS_TOKEN_TTL_S: '901' })).toThrow(/AUTH_ACCESS_TOKEN_TTL_S is invalid/);
    expect(loadAuthConfig('embedded', { AUTH_ACCESS_TOKEN_TTL_S: '300' }).accessTokenTtlS).toBe(300);
  });

  it('takes a Linux nice value (0-19) for the hashing threads', () => {
    expect(loadAuthConfig('embedded', { AUTH_HASH_THREAD_NICE: '0' }).hashing.threadNice).toBe(0);
    expect(() => loadAuthConfig('embedded', { AUTH_HASH_THREAD_NICE: '20' })).toThrow(/AUTH_HASH_THREAD_NICE is invalid/);
  });

  it('takes the bootstrap admin only as a pair, normalised, without echoing a bad password', () => {
    expect(loadAuthConfig('embedded', { AUTH_BOOTSTRAP_ADMIN_EMAIL: ' Root@UITGO.dev ', AUTH_BOOTSTRAP_ADMIN_PASSWORD: 'Admin-Password-1' }).bootstrapAdmin).toEqual({
      email: 'root@uitgo.dev',
      password: 'Admin-Password-1',
    });
    expect(() => loadAuthConfig('embedded', { AUTH_BOOTSTRAP_ADMIN_EMAIL: 'root@uitgo.dev' })).toThrow(/AUTH_BOOTSTRAP_ADMIN_PASSWORD is missing/);
    let message = '';
    try {
      loadAuthConfig('embedded', { AUTH_BOOTSTRAP_ADMIN_EMAIL: 'root@uitgo.dev', AUTH_BOOTSTRAP_ADMIN_PASSWORD: 'weakpass' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/AUTH_BOOTSTRAP_ADMIN_PASSWORD is invalid/);
    expect(message).not.toContain('weakpass');
  });
});
