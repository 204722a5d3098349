import { createHash } from 'node:crypto';
import type { RequestContext } from '@uitgo/kit';
import type { KeyValueStore } from '@uitgo/kit/kv';
import type { LoginThrottlePolicy } from '../domain/loginThrottlePolicy.js';
import type { LoginAttempt, LoginThrottle } from '../ports/loginThrottle.js';

interface Counter {
  key: string;
  limit: number;
}

/**
 * Fixed-window attempt counters in the key-value store (Redis in real mode, shared by all
 * replicas). Each counter is reserved with the store's atomic increment, which also starts the
 * window, so the count another attempt sees already includes every attempt in flight. Emails
 * are hashed in the keys so the store holds no addresses.
 */
export class KvLoginThrottle implements LoginThrottle {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly policy: LoginThrottlePolicy,
  ) {}

  async reserve(attempt: LoginAttempt, context?: RequestContext): Promise<number> {
    const windowMs = this.policy.windowS * 1000;
    const counters = this.counters(attempt);
    const results = await Promise.allSettled(counters.map(({ key }) => this.kv.incrBy(key, 1, { ttlMs: windowMs, context })));
    const counts = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    if (counts.length < counters.length) {
      await this.giveBack(counters.filter((_, i) => results[i]!.status === 'fulfilled'), context);
      throw (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason;
    }
    const over = counters.filter(({ limit }, i) => counts[i]! > limit);
    if (over.length === 0) return 0;
    // Refused attempts are not failures: only the attempts let through count against the limit.
    await this.giveBack(counters, context);
    const ttls = await Promise.all(over.map(({ key }) => this.kv.ttlMs(key, { context })));
    const waitMs = Math.max(...ttls.map((ttl) => ttl ?? windowMs));
    return Math.max(1, Math.ceil(waitMs / 1000));
  }

  async release(attempt: LoginAttempt, context?: RequestContext): Promise<void> {
    await this.giveBack(this.counters(attempt), context);
  }

  async recordSuccess(attempt: LoginAttempt, context?: RequestContext): Promise<void> {
    const [account, ...address] = this.counters(attempt);
    await Promise.all([this.kv.del(account!.key, { context }), this.giveBack(address, context)]);
  }

  private async giveBack(counters: Counter[], context: RequestContext | undefined): Promise<void> {
    // Should the window have ended meanwhile, the decrement creates a -1 counter: its 1 ms
    // lifetime drops it at once instead of crediting the next window with a free attempt.
    await Promise.all(counters.map(({ key }) => this.kv.incrBy(key, -1, { ttlMs: 1, context })));
  }

  private counters(attempt: LoginAttempt): Counter[] {
    const counters = [{ key: accountKey(attempt.email), limit: this.policy.maxFailuresPerAccount }];
    if (attempt.clientIp) counters.push({ key: `auth:login-failures:ip:${attempt.clientIp}`, limit: this.policy.maxFailuresPerAddress });
    return counters;
  }
}

const accountKey = (email: string) =>
  `auth:login-failures:account:${createHash('sha256').update(email.trim().toLowerCase()).digest('base64url')}`;
