import type { ContextOption } from '../context.js';

export interface TtlOptions {
  /** Time to live in milliseconds; omitted means the key does not expire. */
  ttlMs?: number;
}

export interface SetOptions extends TtlOptions {
  /** Write only when the key does not exist (Redis `NX`). */
  onlyIfAbsent?: boolean;
}

/**
 * A string key-value store with expiry and atomic updates. Backs idempotency keys, rate
 * limits, session revocation and caches.
 *
 * Keys on Redis Cluster: every operation here touches a single key, so any key works.
 * Callers that need several keys handled together (their own Lua or MULTI) must put a hash
 * tag in them, e.g. `idem:{user-42}:req-1` and `idem:{user-42}:lock`: only the part inside
 * the first `{...}` picks the slot, so those keys land on one shard.
 *
 * Every operation takes the request it serves as `{ context }`: with tracing on, the Redis
 * adapter records the command as a span of that request.
 */
export interface KeyValueStore {
  get(key: string, options?: ContextOption): Promise<string | null>;
  /** Returns false when `onlyIfAbsent` is set and the key already exists. Without `ttlMs` any previous expiry is removed. */
  set(key: string, value: string, options?: SetOptions & ContextOption): Promise<boolean>;
  /** Reads and deletes atomically: of concurrent callers only one gets the value. */
  getDel(key: string, options?: ContextOption): Promise<string | null>;
  /** Returns true when the key existed. */
  del(key: string, options?: ContextOption): Promise<boolean>;
  /**
   * Adds an integer and returns the new value (a missing key counts as 0). `ttlMs` is applied
   * only when this call creates the key, in the same atomic step: a fixed-window counter.
   */
  incrBy(key: string, by: number, options?: TtlOptions & ContextOption): Promise<number>;
  /**
   * Writes `next` only if the current value equals `expected` (`null` = the key is absent).
   * Without `ttlMs` the key keeps its current expiry.
   */
  compareAndSet(key: string, expected: string | null, next: string, options?: TtlOptions & ContextOption): Promise<boolean>;
  /** Remaining time to live; null when the key does not exist or never expires. */
  ttlMs(key: string, options?: ContextOption): Promise<number | null>;
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function assertTtl(ttlMs: number | undefined): void {
  if (ttlMs !== undefined && (!Number.isSafeInteger(ttlMs) || ttlMs <= 0)) {
    throw new RangeError(`ttlMs must be a positive integer, got ${ttlMs}`);
  }
}

export function assertIncrement(by: number): void {
  if (!Number.isSafeInteger(by)) throw new RangeError(`incrBy needs a safe integer, got ${by}`);
}
