import { afterEach, describe, expect, it, vi } from 'vitest';
import { keyValueStoreContract } from './keyValueStore.contract.js';
import { MemoryKeyValueStore } from './memoryKeyValueStore.js';

keyValueStoreContract('memory', async () => {
  let now = Date.parse('2025-01-01T00:00:00Z');
  const store = new MemoryKeyValueStore({ clock: () => now });
  return {
    store,
    shortTtlMs: 1_000,
    elapse: async (ms) => {
      now += ms;
    },
  };
});

describe('MemoryKeyValueStore housekeeping', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sweeps expired keys on its timer without a read', async () => {
    vi.useFakeTimers();
    const store = new MemoryKeyValueStore({ sweepIntervalMs: 1_000 });
    await store.set('short', 'x', { ttlMs: 500 });
    await store.set('long', 'y', { ttlMs: 60_000 });
    await store.set('forever', 'z');
    expect(store.size).toBe(3);
    vi.advanceTimersByTime(1_000);
    expect(store.size).toBe(2);
    await store.close();
  });

  it('stops sweeping once closed', async () => {
    vi.useFakeTimers();
    const store = new MemoryKeyValueStore({ sweepIntervalMs: 1_000 });
    await store.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});
