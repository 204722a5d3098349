import { assertIncrement, assertTtl, type KeyValueStore, type SetOptions, type TtlOptions } from './keyValueStore.js';

interface Entry {
  value: string;
  /** Epoch ms, or null when the key never expires. */
  expiresAt: number | null;
}

export interface MemoryKeyValueStoreOptions {
  /** Current time in epoch ms; tests pass a controllable clock. */
  clock?: () => number;
  /** How often expired keys are swept out; reads also drop them lazily. */
  sweepIntervalMs?: number;
}

/** In-process KeyValueStore for embedded mode and tests. Single-threaded JS makes every method atomic. */
export class MemoryKeyValueStore implements KeyValueStore {
  private readonly entries = new Map<string, Entry>();
  private readonly clock: () => number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(options: MemoryKeyValueStoreOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.sweeper = setInterval(() => this.sweep(), options.sweepIntervalMs ?? 30_000);
    // The sweep is housekeeping only; it must not keep a process alive.
    this.sweeper.unref();
  }

  /** Number of stored entries, including expired ones not swept yet. */
  get size(): number {
    return this.entries.size;
  }

  /** Removes every expired entry and returns how many were removed. */
  sweep(): number {
    const now = this.clock();
    let removed = 0;
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt !== null && entry.expiresAt <= now) {
        this.entries.delete(key);
        removed++;
      }
    }
    return removed;
  }

  async get(key: string): Promise<string | null> {
    return this.live(key)?.value ?? null;
  }

  async set(key: string, value: string, options: SetOptions = {}): Promise<boolean> {
    assertTtl(options.ttlMs);
    if (options.onlyIfAbsent && this.live(key)) return false;
    this.entries.set(key, { value, expiresAt: this.expiry(options.ttlMs) });
    return true;
  }

  async getDel(key: string): Promise<string | null> {
    const entry = this.live(key);
    this.entries.delete(key);
    return entry?.value ?? null;
  }

  async del(key: string): Promise<boolean> {
    const existed = this.live(key) !== undefined;
    this.entries.delete(key);
    return existed;
  }

  async incrBy(key: string, by: number, options: TtlOptions = {}): Promise<number> {
    assertIncrement(by);
    assertTtl(options.ttlMs);
    const entry = this.live(key);
    if (!entry) {
      this.entries.set(key, { value: String(by), expiresAt: this.expiry(options.ttlMs) });
      return by;
    }
    if (!/^-?\d+$/.test(entry.value)) throw new Error(`value at ${key} is not an integer`);
    const next = Number(entry.value) + by;
    entry.value = String(next);
    return next;
  }

  async compareAndSet(key: string, expected: string | null, next: string, options: TtlOptions = {}): Promise<boolean> {
    assertTtl(options.ttlMs);
    const entry = this.live(key);
    if ((entry?.value ?? null) !== expected) return false;
    const expiresAt = options.ttlMs !== undefined ? this.expiry(options.ttlMs) : (entry?.expiresAt ?? null);
    this.entries.set(key, { value: next, expiresAt });
    return true;
  }

  async ttlMs(key: string): Promise<number | null> {
    const entry = this.live(key);
    if (!entry || entry.expiresAt === null) return null;
    return entry.expiresAt - this.clock();
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.entries.clear();
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= this.clock()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private expiry(ttlMs: number | undefined): number | null {
    return ttlMs === undefined ? null : this.clock() + ttlMs;
  }
}
