import { AppError } from '@uitgo/kit';
import { MemoryKeyValueStore } from '@uitgo/kit/kv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IdempotencyKeys, stableStringify } from './idempotency.js';

describe('Idempotency-Key store', () => {
  let kv: MemoryKeyValueStore;
  beforeEach(() => {
    kv = new MemoryKeyValueStore();
  });
  afterEach(() => kv.close());
  const keys = (waitMs = 2_000) => new IdempotencyKeys(kv, { ttlMs: 60_000, waitMs });
  const request = (payload: unknown, key = 'k-1') => ({ scope: 'user-1', route: 'createThing', key, payload, traceId: 'trace-0001' });

  it('replays the stored status and body for the same key and payload, without running again', async () => {
    let runs = 0;
    const run = async () => ({ status: 201, body: { id: `thing-${++runs}` } });
    const store = keys();
    expect(await store.execute(request({ a: 1, b: 2 }), run)).toEqual({ status: 201, body: { id: 'thing-1' }, replayed: false });
    expect(await store.execute(request({ b: 2, a: 1 }), run)).toEqual({ status: 201, body: { id: 'thing-1' }, replayed: true });
    expect(runs).toBe(1);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another payload', async () => {
    const store = keys();
    await store.execute(request({ a: 1 }), async () => ({ status: 201, body: {} }));
    await expect(store.execute(request({ a: 2 }), async () => ({ status: 201, body: {} }))).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('keeps keys of different callers apart', async () => {
    const store = keys();
    await store.execute(request({ a: 1 }), async () => ({ status: 201, body: { who: 1 } }));
    const other = await store.execute({ ...request({ a: 2 }), scope: 'user-2' }, async () => ({ status: 201, body: { who: 2 } }));
    expect(other).toEqual({ status: 201, body: { who: 2 }, replayed: false });
  });

  it('stores a client error as the first response, but releases the key after a 5xx or transport failure', async () => {
    const store = keys();
    await expect(store.execute(request({}, 'taken'), async () => { throw new AppError('EMAIL_TAKEN', 'taken'); })).rejects.toThrow('taken');
    expect(await store.execute(request({}, 'taken'), async () => ({ status: 201, body: {} }))).toEqual({
      status: 409,
      body: { code: 'EMAIL_TAKEN', message: 'taken', traceId: 'trace-0001' },
      replayed: true,
    });

    await expect(store.execute(request({}, 'flaky'), async () => { throw new AppError('UNAVAILABLE', 'down'); })).rejects.toThrow('down');
    await expect(store.execute(request({}, 'flaky'), async () => { throw new Error('socket hang up'); })).rejects.toThrow('hang up');
    expect(await store.execute(request({}, 'flaky'), async () => ({ status: 201, body: { ok: true } }))).toMatchObject({ replayed: false });
  });

  it('a racing repeat waits for the first and replays it; past the wait it answers 409 IDEMPOTENCY_KEY_IN_USE', async () => {
    const store = keys();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    const first = store.execute(request({ a: 1 }), async () => {
      runs++;
      await held;
      return { status: 201, body: { id: 'only' } };
    });
    const repeats = Array.from({ length: 5 }, () => store.execute(request({ a: 1 }), async () => ({ status: 201, body: { id: `again-${++runs}` } })));
    release();
    const all = await Promise.all([first, ...repeats]);
    expect(runs).toBe(1);
    expect(all.map((r) => r.body)).toEqual(Array(6).fill({ id: 'only' }));

    const impatient = keys(30);
    const stuck = impatient.execute(request({}, 'slow'), () => new Promise(() => undefined));
    void stuck;
    await expect(impatient.execute(request({}, 'slow'), async () => ({ status: 201, body: {} }))).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_USE' });
  });

  it('fingerprints payloads independently of key order', () => {
    expect(stableStringify({ b: [1, { d: 1, c: 2 }], a: null, z: undefined })).toBe('{"a":null,"b":[1,{"c":2,"d":1}]}');
  });
});
