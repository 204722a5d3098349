import { AppError, type Logger, type RequestContext } from '@uitgo/kit';
import type { KeyValueStore } from '@uitgo/kit/kv';

export interface RateLimit {
  max: number;
  windowMs: number;
}

export interface RateLimiterOptions {
  /**
   * 0: every request is counted in the shared store before it is answered (one round trip each).
   * Otherwise each replica counts in memory and adds its counts to the shared ones this often, in
   * one pipelined batch; a request is judged by the shared count of the last sync plus this
   * replica's counts since. Exact with one replica; with several, a subject can get past its
   * limit by what the other replicas let through in one sync period.
   */
  syncMs?: number;
  /** Subjects counted in memory at once; beyond it, new subjects are counted in the store per request. */
  maxSubjects?: number;
  logger?: Pick<Logger, 'warn'>;
}

/** One subject's fixed window, as this replica knows it. */
interface WindowCount {
  key: string;
  windowMs: number;
  endsAt: number;
  /** The shared count in the store, as of this replica's last sync. */
  shared: number;
  /** Counted here and being added to the store. */
  sending: number;
  /** Counted here, not sent yet. */
  unsent: number;
}

const DEFAULT_MAX_SUBJECTS = 200_000;

/**
 * Fixed-window counters in the shared store (Redis in real mode), so the limit holds across
 * gateway replicas. With `syncMs` (the default in production) the counts travel in batches,
 * off the request's path: a request costs no round trip, and the store one INCRBY per active
 * subject and period rather than one per request.
 */
export class RateLimiter {
  private readonly windows = new Map<string, WindowCount>();
  private readonly syncMs: number;
  private readonly maxSubjects: number;
  private timer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> | undefined;
  private failing = false;
  private closed = false;

  constructor(
    private readonly kv: KeyValueStore,
    private readonly clock: () => number = Date.now,
    private readonly options: RateLimiterOptions = {},
  ) {
    this.syncMs = options.syncMs ?? 0;
    this.maxSubjects = options.maxSubjects ?? DEFAULT_MAX_SUBJECTS;
  }

  /** Counts one request for `subject`; throws 429 RATE_LIMITED once the window's budget is spent. */
  async hit(subject: string, limit: RateLimit, context?: RequestContext): Promise<void> {
    const now = this.clock();
    const window = Math.floor(now / limit.windowMs);
    const key = `gw:rl:${subject}:${window}`;
    const counted = this.syncMs > 0 && !this.closed ? this.countHere(key, limit.windowMs, (window + 1) * limit.windowMs) : undefined;
    const count = counted ?? (await this.kv.incrBy(key, 1, { ttlMs: limit.windowMs, context }));
    if (count > limit.max) {
      const retryAfterS = Math.max(1, Math.ceil(((window + 1) * limit.windowMs - now) / 1000));
      throw new AppError('RATE_LIMITED', `Too many requests; retry in ${retryAfterS} s`, { retryAfterS });
    }
  }

  /** Sends what is counted here and stops counting in memory. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.syncing;
    await this.sync();
  }

  /** The count including this request, or undefined when the subject is not counted here (too many subjects). */
  private countHere(key: string, windowMs: number, endsAt: number): number | undefined {
    let counted = this.windows.get(key);
    if (!counted) {
      if (this.windows.size >= this.maxSubjects) return undefined;
      counted = { key, windowMs, endsAt, shared: 0, sending: 0, unsent: 0 };
      this.windows.set(key, counted);
    }
    counted.unsent += 1;
    this.timer ??= setTimeout(() => this.startSync(), this.syncMs).unref();
    return counted.shared + counted.sending + counted.unsent;
  }

  private startSync(): void {
    this.timer = undefined;
    // One sync at a time: the one in flight schedules the next when it ends.
    if (this.syncing) return;
    this.syncing = this.sync().finally(() => {
      this.syncing = undefined;
      if (!this.closed && [...this.windows.values()].some((w) => w.unsent > 0)) {
        this.timer ??= setTimeout(() => this.startSync(), this.syncMs).unref();
      }
    });
  }

  /** Adds every window's unsent counts to the store (the commands go out together) and forgets windows that ended. */
  private async sync(): Promise<void> {
    const now = this.clock();
    const batch: WindowCount[] = [];
    for (const [key, counted] of this.windows) {
      if (counted.endsAt <= now) {
        // Its key in the store expires with it; counts still unsent no longer matter.
        if (counted.sending === 0) this.windows.delete(key);
        continue;
      }
      if (counted.unsent === 0) continue;
      counted.sending = counted.unsent;
      counted.unsent = 0;
      batch.push(counted);
    }
    const outcomes = await Promise.allSettled(
      batch.map(async (counted) => {
        try {
          counted.shared = await this.kv.incrBy(counted.key, counted.sending, { ttlMs: counted.windowMs });
        } catch (error) {
          counted.unsent += counted.sending;
          throw error;
        } finally {
          counted.sending = 0;
        }
      }),
    );
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed && !this.failing) {
      this.options.logger?.warn({ err: failed.reason }, 'rate-limit counts could not reach the shared store; counting here until it answers');
    }
    this.failing = failed !== undefined;
  }
}
