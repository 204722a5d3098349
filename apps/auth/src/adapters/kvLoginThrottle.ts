import { createHash } from 'node:crypto';
import type { RequestContext } from '@uitgo/kit';
import type { KeyValueStore } from '@uitgo/kit/kv';
import type { LoginThrottlePolicy } from '../domain/loginThrottlePolicy.js';
import type { LoginAttempt, LoginThrottle } from '../ports/loginThrottle.js';

/**
 * Fixed-window failure counters in the key-value store (Redis in real mode, shared by all
 * replicas). Emails are hashed in the keys so the store holds no addresses.
 */
export class KvLoginThrottle implements LoginThrottle {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly policy: LoginThrottlePolicy,
  ) {}

  async retryAfterS(attempt: LoginAttempt, context?: RequestContext): Promise<number> {
    let waitMs = 0;
    for (const { key, limit } of this.counters(attempt)) {
      const failures = Number((await this.kv.get(key, { context })) ?? 0);
      if (failures < limit) continue;
      const ttl = (await this.kv.ttlMs(key, { context })) ?? this.policy.windowS * 1000;
      waitMs = Math.max(waitMs, ttl);
    }
    return waitMs === 0 ? 0 : Math.max(1, Math.ceil(waitMs / 1000));
  }

  async recordFailure(attempt: LoginAttempt, context?: RequestContext): Promise<void> {
    const ttlMs = this.policy.windowS * 1000;
    await Promise.all(this.counters(attempt).map(({ key }) => this.kv.incrBy(key, 1, { ttlMs, context })));
  }

  async recordSuccess(attempt: LoginAttempt, context?: RequestContext): Promise<void> {
    await this.kv.del(accountKey(attempt.email), { context });
  }

  private counters(attempt: LoginAttempt): { key: string; limit: number }[] {
    const counters = [{ key: accountKey(attempt.email), limit: this.policy.maxFailuresPerAccount }];
    if (attempt.clientIp) counters.push({ key: `auth:login-failures:ip:${attempt.clientIp}`, limit: this.policy.maxFailuresPerAddress });
    return counters;
  }
}

const accountKey = (email: string) =>
  `auth:login-failures:account:${createHash('sha256').update(email.trim().toLowerCase()).digest('base64url')}`;
