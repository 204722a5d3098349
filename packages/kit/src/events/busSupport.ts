/** The subset of a pino logger the event bus adapters write to. */
export interface BusLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface RetryBackoff {
  /** Delay before the first redelivery of a failed batch (default 100 ms). */
  initialMs?: number;
  /** Upper bound of the doubling delay (default 5 s). */
  maxMs?: number;
}

/** Exponential backoff with a little jitter so failing consumers don't retry in lockstep. */
export function retryDelay(attempt: number, backoff: RetryBackoff = {}): number {
  const initial = backoff.initialMs ?? 100;
  const max = backoff.maxMs ?? 5_000;
  const base = Math.min(max, initial * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export function errorInfo(err: unknown): { err: { message: string; name?: string; code?: unknown } } {
  if (err instanceof Error) return { err: { name: err.name, message: err.message, code: (err as { code?: unknown }).code } };
  return { err: { message: String(err) } };
}

export const noop = (): undefined => undefined;

/**
 * `HandleControl` for one batch: `hold()` counts a hold on `batch`; its release (once only)
 * takes it off and calls `released`.
 */
export function batchControl(signal: AbortSignal, batch: { holds: number }, released: () => void): { signal: AbortSignal; hold: () => () => void } {
  return {
    signal,
    hold: () => {
      batch.holds += 1;
      let done = false;
      return () => {
        if (done) return;
        done = true;
        batch.holds -= 1;
        released();
      };
    },
  };
}

/** Wakes every waiter on `notify()`; a waiter with a timeout is dropped when it expires (no leak). */
export class Signal {
  #waiters = new Set<() => void>();

  wait(timeoutMs?: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        this.#waiters.delete(wake);
        clearTimeout(timer);
        resolve();
      };
      const timer = timeoutMs === undefined ? undefined : setTimeout(wake, timeoutMs);
      this.#waiters.add(wake);
    });
  }

  notify(): void {
    for (const wake of [...this.#waiters]) wake();
  }
}

/**
 * Handled batches that `HandleControl.hold()` keeps uncommitted, per partition (`key`), from the
 * oldest one still held on, in order: a partition's position may move past a batch only once it
 * and every batch before it are released.
 */
export class HeldBatches<B extends { holds: number }> {
  readonly #queues = new Map<string, B[]>();
  /** Fires whenever a batch is released or a partition's batches are dropped. */
  readonly #changed = new Signal();

  /** A handled batch: returns the newest batch the partition may now move past, if any. */
  handled(key: string, batch: B): B | undefined {
    const queue = this.#queues.get(key);
    if (queue) queue.push(batch);
    else if (batch.holds > 0) this.#queues.set(key, [batch]);
    else return batch;
    return this.release(key);
  }

  /** After a release: drops the partition's released batches up to the first still held and returns the newest dropped. */
  release(key: string): B | undefined {
    const queue = this.#queues.get(key);
    if (!queue) return undefined;
    let last: B | undefined;
    while (queue.length > 0 && queue[0]!.holds === 0) last = queue.shift();
    if (queue.length === 0) this.#queues.delete(key);
    this.#changed.notify();
    return last;
  }

  /** The partition's oldest batch still held. */
  first(key: string): B | undefined {
    return this.#queues.get(key)?.[0];
  }

  /** Forgets the partition's batches (they go to its next owner uncommitted); later releases change nothing. */
  drop(key: string): void {
    this.#queues.delete(key);
    this.#changed.notify();
  }

  /** Resolves once no batch (matching `which`) is held, or after `timeoutMs`. */
  async released(timeoutMs: number, which: (batch: B) => boolean = () => true): Promise<void> {
    const until = Date.now() + timeoutMs;
    const holding = () => [...this.#queues.values()].some((queue) => queue.some((b) => b.holds > 0 && which(b)));
    while (holding() && Date.now() < until) await this.#changed.wait(until - Date.now());
  }
}
