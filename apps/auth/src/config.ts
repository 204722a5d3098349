import { availableParallelism } from 'node:os';
import { Email, NewPassword } from '@uitgo/contracts';
import { ConfigError, loadConfig } from '@uitgo/kit';
import { z } from 'zod';
import type { LoginThrottlePolicy } from './domain/loginThrottlePolicy.js';
import { MAX_ACCESS_TOKEN_TTL_S } from './domain/tokenClaims.js';

/** Only for embedded/dev runs: anyone reading this file can open keys sealed with it. */
export const DEV_KEY_ENCRYPTION_SECRET = 'uitgo-embedded-dev-only-key-encryption-secret-do-not-use-in-production';

const count = (fallback: number) => z.coerce.number().int().min(1).max(10_000).default(fallback);

export const authConfigSchema = z.object({
  AUTH_ACCESS_TOKEN_TTL_S: z.coerce.number().int().min(60).max(MAX_ACCESS_TOKEN_TTL_S).default(MAX_ACCESS_TOKEN_TTL_S),
  AUTH_REFRESH_TOKEN_TTL_S: z.coerce.number().int().min(3600).max(90 * 86_400).default(30 * 86_400),
  AUTH_KEY_ENCRYPTION_SECRET: z.string().min(32, 'use at least 32 random characters').optional(),
  AUTH_BOOTSTRAP_ADMIN_EMAIL: Email.optional(),
  AUTH_BOOTSTRAP_ADMIN_PASSWORD: NewPassword.optional(),
  AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT: count(5),
  AUTH_LOGIN_MAX_FAILURES_PER_IP: count(20),
  AUTH_LOGIN_FAILURE_WINDOW_S: z.coerce.number().int().min(1).max(86_400).default(900),
  AUTH_CREATE_PROFILE_DEADLINE_MS: z.coerce.number().int().min(50).max(30_000).default(1_500),
  /** Password hashes computed at once: half the cores by default, so a login storm leaves the rest. */
  AUTH_MAX_CONCURRENT_HASHES: z.coerce.number().int().min(1).max(64).default(Math.max(1, Math.floor(availableParallelism() / 2))),
  AUTH_MAX_QUEUED_HASHES: z.coerce.number().int().min(0).max(100_000).default(256),
  /**
   * Added to the Linux nice value of the hashing threads (0 = the process's own priority). At 10
   * a hashing thread weighs about a tenth of a normal one on a contended core, so a login storm
   * slows logins more than the other work of the process (or of the host, without cgroups).
   */
  AUTH_HASH_THREAD_NICE: z.coerce.number().int().min(0).max(19).default(10),
  /**
   * A rotated-in key is published this long before it signs. Keep it above every verifier's JWKS
   * cache: the default is twice the gateway's JWKS_REFRESH_INTERVAL_MS (5 min), which also
   * covers the `max-age=300` of the public /.well-known/jwks.json.
   */
  AUTH_SIGNING_KEY_PUBLISH_DELAY_MS: z.coerce.number().int().min(0).max(86_400_000).default(10 * 60 * 1000),
});

export interface AuthConfig {
  accessTokenTtlS: number;
  refreshTokenTtlS: number;
  keyEncryptionSecret: string;
  /** True when the dev secret stands in for AUTH_KEY_ENCRYPTION_SECRET (embedded mode only). */
  usesDevKeySecret: boolean;
  bootstrapAdmin: { email: string; password: string } | undefined;
  loginThrottle: LoginThrottlePolicy;
  createProfileDeadlineMs: number;
  hashing: { maxConcurrent: number; maxQueued: number; threadNice: number };
  signingKeyPublishDelayMs: number;
}

/** Reads the AUTH_* variables; real mode must be given its own key-encryption secret. */
export function loadAuthConfig(mode: 'embedded' | 'real', env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const c = loadConfig(authConfigSchema, env);
  if (mode === 'real' && !c.AUTH_KEY_ENCRYPTION_SECRET) {
    throw new ConfigError('Invalid configuration: AUTH_KEY_ENCRYPTION_SECRET is missing (required when UITGO_MODE=real)');
  }
  if (Boolean(c.AUTH_BOOTSTRAP_ADMIN_EMAIL) !== Boolean(c.AUTH_BOOTSTRAP_ADMIN_PASSWORD)) {
    const missing = c.AUTH_BOOTSTRAP_ADMIN_EMAIL ? 'AUTH_BOOTSTRAP_ADMIN_PASSWORD' : 'AUTH_BOOTSTRAP_ADMIN_EMAIL';
    throw new ConfigError(`Invalid configuration: ${missing} is missing (set both bootstrap admin variables or neither)`);
  }
  return {
    accessTokenTtlS: c.AUTH_ACCESS_TOKEN_TTL_S,
    refreshTokenTtlS: c.AUTH_REFRESH_TOKEN_TTL_S,
    keyEncryptionSecret: c.AUTH_KEY_ENCRYPTION_SECRET ?? DEV_KEY_ENCRYPTION_SECRET,
    usesDevKeySecret: !c.AUTH_KEY_ENCRYPTION_SECRET,
    bootstrapAdmin:
      c.AUTH_BOOTSTRAP_ADMIN_EMAIL && c.AUTH_BOOTSTRAP_ADMIN_PASSWORD
        ? { email: c.AUTH_BOOTSTRAP_ADMIN_EMAIL, password: c.AUTH_BOOTSTRAP_ADMIN_PASSWORD }
        : undefined,
    loginThrottle: {
      maxFailuresPerAccount: c.AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerAddress: c.AUTH_LOGIN_MAX_FAILURES_PER_IP,
      windowS: c.AUTH_LOGIN_FAILURE_WINDOW_S,
    },
    createProfileDeadlineMs: c.AUTH_CREATE_PROFILE_DEADLINE_MS,
    hashing: { maxConcurrent: c.AUTH_MAX_CONCURRENT_HASHES, maxQueued: c.AUTH_MAX_QUEUED_HASHES, threadNice: c.AUTH_HASH_THREAD_NICE },
    signingKeyPublishDelayMs: c.AUTH_SIGNING_KEY_PUBLISH_DELAY_MS,
  };
}
