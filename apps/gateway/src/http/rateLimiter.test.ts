import { MemoryKeyValueStore } from '@uitgo/kit/kv';
import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rateLimiter.js';

describe('rate limiter', () => {
  it('allows max requests per window and subject, then 429 with the seconds left in the window', async () => {
    let now = 1_000_000 * 60_000 + 15_000;
    const kv = new MemoryKeyValueStore({ clock: () => now });
    const limiter = new RateLimiter(kv, () => now);
    const limit = { max: 3, windowMs: 60_000 };
    for (let i = 0; i < 3; i++) await limiter.hit('ip:10.0.0.1', limit);
    await expect(limiter.hit('ip:10.0.0.1', limit)).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterS: 45 } });
    await limiter.hit('ip:10.0.0.2', limit);
    now += 45_000;
    await limiter.hit('ip:10.0.0.1', limit);
    await kv.close();
  });
});
