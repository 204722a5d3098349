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
    for (let i = 0; i < 3; i++) {
      expect(await throttle.retryAfterS({ email: 'an@example.com' })).toBe(0);
      await throttle.recordFailure({ email: i % 2 ? 'AN@example.com' : 'an@example.com' });
    }
    expect(await throttle.retryAfterS({ email: 'an@example.com' })).toBe(600);
    now += 599_000;
    expect(await throttle.retryAfterS({ email: 'an@example.com' })).toBe(1);
    now += 1_000;
    expect(await throttle.retryAfterS({ email: 'an@example.com' })).toBe(0);
    expect(await throttle.retryAfterS({ email: 'other@example.com' })).toBe(0);
  });

  it('blocks an address across accounts', async () => {
    for (let i = 0; i < 5; i++) await throttle.recordFailure({ email: `u${i}@example.com`, clientIp: '10.0.0.1' });
    expect(await throttle.retryAfterS({ email: 'fresh@example.com', clientIp: '10.0.0.1' })).toBeGreaterThan(0);
    expect(await throttle.retryAfterS({ email: 'fresh@example.com', clientIp: '10.0.0.2' })).toBe(0);
  });

  it('forgives the account on success but not the address', async () => {
    for (let i = 0; i < 3; i++) await throttle.recordFailure({ email: 'an@example.com', clientIp: '10.0.0.1' });
    await throttle.recordSuccess({ email: 'an@example.com', clientIp: '10.0.0.1' });
    expect(await throttle.retryAfterS({ email: 'an@example.com' })).toBe(0);
    await throttle.recordFailure({ email: 'x@example.com', clientIp: '10.0.0.1' });
    await throttle.recordFailure({ email: 'y@example.com', clientIp: '10.0.0.1' });
    expect(await throttle.retryAfterS({ email: 'an@example.com', clientIp: '10.0.0.1' })).toBeGreaterThan(0);
  });
});
