import { MemoryKeyValueStore, type KeyValueStore } from '@uitgo/kit/kv';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { failingWhile } from '../test/failingWhile.js';
import { RevokedSessions } from './revokedSessions.js';

const TTL_MS = 15 * 60_000;

describe('revoked sessions', () => {
  let kv: MemoryKeyValueStore;
  const replicas: RevokedSessions[] = [];
  const replica = async (kvOf: KeyValueStore = kv, followMs = 250) => {
    const r = new RevokedSessions(kvOf, TTL_MS, { followMs });
    replicas.push(r);
    await r.start();
    return r;
  };

  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 28, 2, 0, 0) });
    kv = new MemoryKeyValueStore();
  });
  afterEach(async () => {
    await Promise.all(replicas.splice(0).map((r) => r.stop()));
    vi.useRealTimers();
    await kv.close();
  });

  it('refuses a session revoked on another replica after its next read of the log, without a round trip per check', async () => {
    const a = await replica();
    const b = await replica();
    const get = vi.spyOn(kv, 'get');
    await a.revoke('s-1');
    expect(await a.isRevoked('s-1')).toBe(true);
    expect(await b.isRevoked('s-1')).toBe(false); // b has not read the log since
    await vi.advanceTimersByTimeAsync(250);
    expect(await b.isRevoked('s-1')).toBe(true);
    expect(await b.isRevoked('s-2')).toBe(false);
    expect(get).not.toHaveBeenCalled();
  });

  it('loads the revocations made before it started', async () => {
    const a = await replica();
    await a.revoke('s-early');
    const late = await replica();
    expect(late.followed).toBe(true);
    expect(await late.isRevoked('s-early')).toBe(true);
  });

  it('reads each session from the store while its copy is not current, and follows again once the log answers', async () => {
    let down = false;
    const flaky = failingWhile(kv, 'readLog', () => down);
    const b = await replica(flaky);
    const a = await replica();
    down = true;
    await a.revoke('s-3');
    await vi.advanceTimersByTimeAsync(1_250); // b's copy is now over a second old
    expect(b.followed).toBe(false);
    const get = vi.spyOn(kv, 'get');
    expect(await b.isRevoked('s-3')).toBe(true);
    expect(await b.isRevoked('s-4')).toBe(false);
    expect(get).toHaveBeenCalledTimes(2);
    down = false;
    await vi.advanceTimersByTimeAsync(250);
    expect(b.followed).toBe(true);
    expect(await b.isRevoked('s-3')).toBe(true);
    expect(get).toHaveBeenCalledTimes(2);
  });

  it('forgets a revocation once every token of the session has expired', async () => {
    const a = await replica();
    const b = await replica();
    await a.revoke('s-5');
    await vi.advanceTimersByTimeAsync(250);
    expect(await b.isRevoked('s-5')).toBe(true);
    await vi.advanceTimersByTimeAsync(TTL_MS);
    expect(await a.isRevoked('s-5')).toBe(false);
    expect(await b.isRevoked('s-5')).toBe(false);
  });

  it('without following, checks the session key in the store every time', async () => {
    const a = await replica(kv, 0);
    const get = vi.spyOn(kv, 'get');
    await a.revoke('s-6');
    expect(await a.isRevoked('s-6')).toBe(true);
    expect(await a.isRevoked('s-7')).toBe(false);
    expect(get).toHaveBeenCalledTimes(2);
    expect(a.followed).toBe(false);
  });
});
