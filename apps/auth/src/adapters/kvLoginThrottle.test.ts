import { MemoryKeyValueStore } from '@uitgo/kit/kv';
import { beforeEach, describe, expect, it } from 'vitest';
import { KvLoginThrottle } from './kvLoginThrottle.js';

describe('KvLoginThrottle', () => {
  let now: number;
  let kv: MemoryKeyValueStore;
  let throttle: KvLoginThrottle;
  const policy = { maxFailuresPerAccount: 3, maxFailuresPerAddress: 5, windowS: 600 };

  beforeEach(() => {
    now = 1_000_000;
    kv = new MemoryKeyValueStore({ clock: () => now });
    throttle = new KvLoginThrottle(kv, policy);
  });

  it('blocks an account after its limit until the window ends, whatever the case of the email', async () => {
    for (let i = 0; i < 3; i++) expect(await throttle.reserve({ email: i % 2 ? 'AN@example.com' : 'an@example.com' })).toBe(0);
    expect(await throttle.reserve({ email: 'an@example.com' })).toBe(600);
    now += 599_000;
    expect(await throttle.reserve({ email: 'an@example.com' })).toBe(1);
    now += 1_000;
    expect(await throttle.reserve({ email: 'an@example.com' })).toBe(0);
    expect(await throttle.reserve({ email: 'other@example.com' })).toBe(0);
  });

  it('grants exactly the limit of many concurrent reservations and counts none of the refused', async () => {
    const granted = await Promise.all(Array.from({ length: 12 }, () => throttle.reserve({ email: 'an@example.com', clientIp: '10.0.0.1' })));
    expect(granted.filter((retryAfterS) => retryAfterS === 0)).toHaveLength(3);
    expect(granted.filter((retryAfterS) => retryAfterS === 600)).toHaveLength(9);
    // The address counted only the three let through: two more accounts' attempts fit under its limit of 5.
    expect(await throttle.reserve({ email: 'x@example.com', clientIp: '10.0.0.1' })).toBe(0);
    expect(await throttle.reserve({ email: 'y@example.com', clientIp: '10.0.0.1' })).toBe(0);
    expect(await throttle.reserve({ email: 'z@example.com', clientIp: '10.0.0.1' })).toBeGreaterThan(0);
  });

  it('blocks an address across accounts', async () => {
    for (let i = 0; i < 5; i++) await throttle.reserve({ email: `u${i}@example.com`, clientIp: '10.0.0.1' });
    expect(await throttle.reserve({ email: 'fresh@example.com', clientIp: '10.0.0.1' })).toBeGreaterThan(0);
    expect(await throttle.reserve({ email: 'fresh@example.com', clientIp: '10.0.0.2' })).toBe(0);
  });

  it('forgives the account on success but not the address, whose failures stay counted', async () => {
    const ip = '10.0.0.1';
    for (let i = 0; i < 2; i++) await throttle.reserve({ email: 'an@example.com', clientIp: ip });
    await throttle.reserve({ email: 'x@example.com', clientIp: ip });
    expect(await throttle.reserve({ email: 'an@example.com', clientIp: ip })).toBe(0);
    await throttle.recordSuccess({ email: 'an@example.com', clientIp: ip });
    for (let i = 0; i < 3; i++) expect(await throttle.reserve({ email: 'an@example.com' })).toBe(0);
    // The address keeps its 3 failures and got the success back: 2 more fit under its limit of 5.
    expect(await throttle.reserve({ email: 'y@example.com', clientIp: ip })).toBe(0);
    expect(await throttle.reserve({ email: 'z@example.com', clientIp: ip })).toBe(0);
    expect(await throttle.reserve({ email: 'w@example.com', clientIp: ip })).toBeGreaterThan(0);
  });

  it('gives a released attempt back to both counters', async () => {
    for (let i = 0; i < 3; i++) await throttle.reserve({ email: 'an@example.com', clientIp: '10.0.0.1' });
    await throttle.release({ email: 'an@example.com', clientIp: '10.0.0.1' });
    expect(await throttle.reserve({ email: 'an@example.com', clientIp: '10.0.0.1' })).toBe(0);
    expect(await throttle.reserve({ email: 'an@example.com', clientIp: '10.0.0.1' })).toBeGreaterThan(0);
  });

  it('gives back into an ended window without crediting the next one', async () => {
    await throttle.reserve({ email: 'an@example.com' });
    now += 600_000;
    await throttle.release({ email: 'an@example.com' });
    now += 1;
    for (let i = 0; i < 3; i++) expect(await throttle.reserve({ email: 'an@example.com' })).toBe(0);
    expect(await throttle.reserve({ email: 'an@example.com' })).toBeGreaterThan(0);
  });
});
