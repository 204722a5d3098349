import { AppError, type RequestContext } from '@uitgo/kit';
import type { KeyValueStore } from '@uitgo/kit/kv';

export interface RateLimit {
  max: number;
  windowMs: number;
}

/**
 * Fixed-window counters in the shared store (Redis in real mode), so the limit holds across
 * gateway replicas: one INCR per request, the window's expiry set when it is created.
 */
export class RateLimiter {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Counts one request for `subject`; throws 429 RATE_LIMITED once the window's budget is spent. */
  async hit(subject: string, { max, windowMs }: RateLimit, context?: RequestContext): Promise<void> {
    const now = this.clock();
    const window = Math.floor(now / windowMs);
    const count = await this.kv.incrBy(`gw:rl:${subject}:${window}`, 1, { ttlMs: windowMs, context });
    if (count > max) {
      const retryAfterS = Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000));
      throw new AppError('RATE_LIMITED', `Too many requests; retry in ${retryAfterS} s`, { retryAfterS });
    }
  }
}
