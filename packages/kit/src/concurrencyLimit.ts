export interface ConcurrencyLimitOptions {
  /** Tasks run at once; the rest wait in line, first come first served. */
  maxConcurrent: number;
  /** Tasks allowed to wait (default: no bound); beyond that `run` rejects at once with `full()`. */
  maxQueued?: number;
  /** The error a task refused for a full line rejects with. */
  full?: () => Error;
  /** The error a waiting task rejects with when its signal aborts before it got a slot. */
  gaveUp?: () => Error;
}

/**
 * Bounds how many of some costly task run at once (password hashes, the state fetches of a
 * reconnection storm) so that a burst of them waits its turn instead of taking every core or
 * flooding a downstream service. A task whose signal aborts while it waits leaves the line
 * without running.
 */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly options: ConcurrencyLimitOptions) {
    if (!(options.maxConcurrent >= 1)) throw new Error(`maxConcurrent must be at least 1, got ${options.maxConcurrent}`);
  }

  /** Tasks running now. */
  get running(): number {
    return this.active;
  }

  /** Tasks waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw this.gaveUp();
    if (this.active >= this.options.maxConcurrent) {
      if (this.waiting.length >= (this.options.maxQueued ?? Infinity)) throw (this.options.full ?? (() => new Error('Too many tasks waiting')))();
      await this.slot(signal);
    } else {
      this.active++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next in line; otherwise it is freed.
      if (next) next();
      else this.active--;
    }
  }

  private gaveUp(): Error {
    return (this.options.gaveUp ?? (() => new Error('Gave up waiting for a slot')))();
  }

  /** Waits in line for a slot; leaves the line (holding no slot) if `signal` aborts first. */
  private slot(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.waiting.splice(this.waiting.indexOf(granted), 1);
        reject(this.gaveUp());
      };
      const granted = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiting.push(granted);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
