import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyValueStore } from './keyValueStore.js';

export interface KeyValueStoreHarness {
  store: KeyValueStore;
  /** Lets `ms` pass for expiry: the memory store advances its clock, Redis just lets real time run. */
  elapse(ms: number): Promise<void>;
  /** A TTL short enough to wait out by polling, long enough to observe the key before it expires. */
  shortTtlMs: number;
}

async function until(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Behaviour every KeyValueStore adapter must show. Keys carry a hash tag so related keys share a cluster slot. */
export function keyValueStoreContract(name: string, makeHarness: () => Promise<KeyValueStoreHarness>): void {
  describe(`KeyValueStore contract: ${name}`, () => {
    let h: KeyValueStoreHarness;
    let store: KeyValueStore;
    const run = randomUUID();
    let n = 0;
    const key = (label: string) => `kvtest:{${run}-${n++}}:${label}`;

    beforeAll(async () => {
      h = await makeHarness();
      store = h.store;
    });
    afterAll(async () => {
      await h?.store.close();
    });

    it('sets, gets and deletes', async () => {
      const k = key('basic');
      expect(await store.get(k)).toBeNull();
      expect(await store.set(k, 'v1')).toBe(true);
      expect(await store.get(k)).toBe('v1');
      expect(await store.set(k, 'v2')).toBe(true);
      expect(await store.get(k)).toBe('v2');
      expect(await store.del(k)).toBe(true);
      expect(await store.del(k)).toBe(false);
      expect(await store.get(k)).toBeNull();
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('expires keys after their TTL', async () => {
      const k = key('ttl');
      await store.set(k, 'soon-gone', { ttlMs: h.shortTtlMs });
      expect(await store.get(k)).toBe('soon-gone');
      await h.elapse(h.shortTtlMs + 1);
      await until(async () => (await store.get(k)) === null);
      expect(await store.ttlMs(k)).toBeNull();
      expect(await store.set(k, 'again', { onlyIfAbsent: true })).toBe(true);
    });

    it('reports the remaining TTL, and none for persistent or missing keys', async () => {
      const k = key('pttl');
      await store.set(k, 'x', { ttlMs: 60_000 });
      const ttl = await store.ttlMs(k);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
      await store.set(k, 'y');
      expect(await store.ttlMs(k)).toBeNull();
      expect(await store.ttlMs(key('missing'))).toBeNull();
    });

    it('lets exactly one of 50 concurrent set-if-absent calls win', async () => {
      const k = key('nx');
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.set(k, `writer-${i}`, { onlyIfAbsent: true, ttlMs: 60_000 })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.get(k)).toBe(`writer-${results.indexOf(true)}`);
    });

    it('gives a value to exactly one of several concurrent getDel calls', async () => {
      const k = key('getdel');
      await store.set(k, 'once');
      const results = await Promise.all(Array.from({ length: 20 }, () => store.getDel(k)));
      expect(results.filter((r) => r !== null)).toEqual(['once']);
      expect(await store.get(k)).toBeNull();
    });

    it('increments atomically under concurrency', async () => {
      const k = key('incr');
      const results = await Promise.all(Array.from({ length: 200 }, () => store.incrBy(k, 1)));
      expect(new Set(results).size).toBe(200);
      expect(Math.max(...results)).toBe(200);
      expect(await store.incrBy(k, -50)).toBe(150);
      expect(await store.get(k)).toBe('150');
    });

    it('sets the counter TTL only when the counter is created', async () => {
      const k = key('window');
      expect(await store.incrBy(k, 5, { ttlMs: 60_000 })).toBe(5);
      const first = await store.ttlMs(k);
      expect(first).toBeGreaterThan(0);
      expect(await store.incrBy(k, 1, { ttlMs: 600_000 })).toBe(6);
      expect(await store.ttlMs(k)).toBeLessThanOrEqual(first ?? 0);
    });

    it('starts a new window once the counter expired', async () => {
      const k = key('window-expiry');
      await store.incrBy(k, 3, { ttlMs: h.shortTtlMs });
      await h.elapse(h.shortTtlMs + 1);
      await until(async () => (await store.get(k)) === null);
      expect(await store.incrBy(k, 1, { ttlMs: 60_000 })).toBe(1);
      expect(await store.ttlMs(k)).toBeGreaterThan(0);
    });

    it('compares and sets', async () => {
      const k = key('cas');
      expect(await store.compareAndSet(k, 'pending', 'done')).toBe(false);
      expect(await store.compareAndSet(k, null, 'pending', { ttlMs: 60_000 })).toBe(true);
      expect(await store.compareAndSet(k, null, 'other')).toBe(false);
      expect(await store.compareAndSet(k, 'wrong', 'done')).toBe(false);
      expect(await store.get(k)).toBe('pending');
      expect(await store.compareAndSet(k, 'pending', 'done')).toBe(true);
      expect(await store.get(k)).toBe('done');
      // No ttlMs keeps the expiry the key already had.
      expect(await store.ttlMs(k)).toBeGreaterThan(0);
      expect(await store.compareAndSet(k, 'done', 'archived', { ttlMs: 5_000 })).toBe(true);
      expect(await store.ttlMs(k)).toBeLessThanOrEqual(5_000);
    });

    it('lets exactly one of 50 concurrent compare-and-set calls win', async () => {
      const k = key('cas-race');
      await store.set(k, 'v0');
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.compareAndSet(k, 'v0', `v${i + 1}`)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.get(k)).toBe(`v${results.indexOf(true) + 1}`);
    });

    it('spreads keys of different hash tags and keeps them apart', async () => {
      const keys = Array.from({ length: 30 }, (_, i) => `kvtest:{${run}-spread-${i}}`);
      await Promise.all(keys.map((k, i) => store.set(k, String(i), { ttlMs: 60_000 })));
      expect(await Promise.all(keys.map((k) => store.get(k)))).toEqual(keys.map((_, i) => String(i)));
    });

    it('rejects invalid TTLs and increments', async () => {
      await expect(store.set(key('bad'), 'x', { ttlMs: 0 })).rejects.toThrow(RangeError);
      await expect(store.incrBy(key('bad'), 1.5)).rejects.toThrow(RangeError);
    });
  });
}
