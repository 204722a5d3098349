import { MemoryKeyValueStore } from '@uitgo/kit/kv';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { failingWhile } from '../test/failingWhile.js';
import { RateLimiter } from './rateLimiter.js';

const WINDOW = 60_000;
const limit = { max: 3, windowMs: WINDOW };
const windowStart = 1_000_000 * WINDOW;

async function statuses(limiter: RateLimiter, subject: string, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      await limiter.hit(subject, limit).then(
        () => 'ok',
        (error: { code: string }) => error.code,
      ),
    );
  }
  return out;
}

describe('rate limiter, every request counted in the store (syncMs 0)', () => {
  it('allows max requests per window and subject, then 429 with the seconds left in the window', async () => {
    let now = windowStart + 15_000;
    const kv = new MemoryKeyValueStore({ clock: () => now });
    const limiter = new RateLimiter(kv, () => now);
    for (let i = 0; i < 3; i++) await limiter.hit('ip:10.0.0.1', limit);
    await expect(limiter.hit('ip:10.0.0.1', limit)).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterS: 45 } });
    await limiter.hit('ip:10.0.0.2', limit);
    now += 45_000;
    await limiter.hit('ip:10.0.0.1', limit);
    await kv.close();
  });
});

describe('rate limiter counting here and syncing with the store', () => {
  let now: number;
  let kv: MemoryKeyValueStore;
  const key = (subject: string) => `gw:rl:${subject}:${Math.floor(now / WINDOW)}`;

  beforeEach(() => {
    vi.useFakeTimers();
    now = windowStart + 15_000;
    kv = new MemoryKeyValueStore({ clock: () => now });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await kv.close();
  });

  it('is exact with one replica and adds its counts to the store once per period, not once per request', async () => {
    const incrBy = vi.spyOn(kv, 'incrBy');
    const limiter = new RateLimiter(kv, () => now, { syncMs: 100 });
    expect(await statuses(limiter, 'user:a', 5)).toEqual(['ok', 'ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED']);
    await expect(limiter.hit('user:a', limit)).rejects.toMatchObject({ details: { retryAfterS: 45 } });
    expect(await statuses(limiter, 'user:b', 1)).toEqual(['ok']);
    expect(incrBy).not.toHaveBeenCalled();

    await vi.advanceTimersByTimeAsync(100);
    expect(await kv.get(key('user:a'))).toBe('6');
    expect(await kv.get(key('user:b'))).toBe('1');
    expect(incrBy).toHaveBeenCalledTimes(2);
    expect(await kv.ttlMs(key('user:a'))).toBe(WINDOW);

    now += 45_000; // the next window
    expect(await statuses(limiter, 'user:a', 1)).toEqual(['ok']);
    await limiter.close();
  });

  it('holds across replicas: each judges by the shared count of its last sync plus its own since', async () => {
    const a = new RateLimiter(kv, () => now, { syncMs: 100 });
    const b = new RateLimiter(kv, () => now, { syncMs: 100 });
    expect(await statuses(a, 'user:x', 2)).toEqual(['ok', 'ok']);
    await vi.advanceTimersByTimeAsync(100);
    expect(await statuses(b, 'user:x', 1)).toEqual(['ok']); // b has not synced yet: it knows only its own
    await vi.advanceTimersByTimeAsync(100); // b learns the shared count (3)
    expect(await statuses(b, 'user:x', 1)).toEqual(['RATE_LIMITED']);
    expect(await statuses(a, 'user:x', 1)).toEqual(['ok']); // a's own 2 + 1: it syncs again only when it has counts to send
    await vi.advanceTimersByTimeAsync(100);
    expect(await statuses(a, 'user:x', 1)).toEqual(['RATE_LIMITED']);
    await Promise.all([a.close(), b.close()]);
    expect(await kv.get(key('user:x'))).toBe('6');
  });

  it('keeps judging while the store fails, and sends the counts once it answers again', async () => {
    let down = true;
    const failing = failingWhile(kv, 'incrBy', () => down);
    const warn = vi.fn();
    const limiter = new RateLimiter(failing, () => now, { syncMs: 100, logger: { warn } });
    expect(await statuses(limiter, 'user:c', 2)).toEqual(['ok', 'ok']);
    await vi.advanceTimersByTimeAsync(300);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(await statuses(limiter, 'user:c', 2)).toEqual(['ok', 'RATE_LIMITED']);
    down = false;
    await vi.advanceTimersByTimeAsync(100);
    expect(await kv.get(key('user:c'))).toBe('4');
    await limiter.close();
  });

  it('sends what it counted when it closes, and counts in the store per request afterwards', async () => {
    const limiter = new RateLimiter(kv, () => now, { syncMs: 10_000 });
    expect(await statuses(limiter, 'user:d', 2)).toEqual(['ok', 'ok']);
    await limiter.close();
    expect(await kv.get(key('user:d'))).toBe('2');
    expect(await statuses(limiter, 'user:d', 2)).toEqual(['ok', 'RATE_LIMITED']);
    expect(await kv.get(key('user:d'))).toBe('4');
  });

  it('counts subjects beyond maxSubjects in the store, one round trip per request', async () => {
    const limiter = new RateLimiter(kv, () => now, { syncMs: 100, maxSubjects: 1 });
    expect(await statuses(limiter, 'user:e', 1)).toEqual(['ok']);
    expect(await statuses(limiter, 'user:f', 4)).toEqual(['ok', 'ok', 'ok', 'RATE_LIMITED']);
    expect(await kv.get(key('user:f'))).toBe('4');
    expect(await kv.get(key('user:e'))).toBeNull();
    await limiter.close();
    expect(await kv.get(key('user:e'))).toBe('1');
  });
});
