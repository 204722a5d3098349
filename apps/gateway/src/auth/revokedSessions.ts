import type { Logger } from '@uitgo/kit';
import type { KeyValueStore } from '@uitgo/kit/kv';

export interface RevokedSessionsOptions {
  /**
   * How often this replica reads the revocations other replicas appended to the shared log.
   * 0: no copy here; every check reads the session's key in the store (one round trip).
   */
  followMs?: number;
  clock?: () => number;
  logger?: Pick<Logger, 'warn' | 'info'>;
}

/** Entries read from the log per round trip. */
const PAGE = 1_000;
/** How often revocations whose tokens have all expired are dropped from the copy. */
const FORGET_EVERY_MS = 10_000;

/**
 * Sessions ended by logout or by refresh-token reuse. Kept for the longest access-token
 * lifetime: after that every token of the session has expired anyway. In the shared store,
 * so every gateway replica refuses the session.
 *
 * A revocation writes the session's key and appends the session to a log in the store. With
 * `followMs`, each replica keeps a copy of the revoked sessions by reading that log, and a
 * check costs no round trip: a session revoked on another replica is refused here within
 * `followMs` plus a read. While the copy is not known to be current (before the first read,
 * or when the last successful read started more than `staleAfterMs` ago), checks read the
 * session's key instead.
 */
export class RevokedSessions {
  /** Session id -> when its revocation can be forgotten (its tokens have all expired). */
  private readonly copy = new Map<string, number>();
  private readonly followMs: number;
  private readonly staleAfterMs: number;
  private readonly clock: () => number;
  private lastId = '0';
  private forgottenAt = Number.NEGATIVE_INFINITY;
  /** When the last successful read of the log started: every revocation before it is in the copy. */
  private currentAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;
  private failing = false;
  private stopped = false;

  constructor(
    private readonly kv: KeyValueStore,
    private readonly ttlMs: number,
    private readonly options: RevokedSessionsOptions = {},
  ) {
    this.followMs = options.followMs ?? 0;
    this.staleAfterMs = Math.max(1_000, 4 * this.followMs);
    this.clock = options.clock ?? Date.now;
  }

  /** Starts following the log (when `followMs` is set); resolves after the first read, successful or not. */
  async start(): Promise<void> {
    if (this.followMs <= 0 || this.stopped) return;
    await this.follow();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.reading;
  }

  /**
   * Writes both the log entry (what the replicas' copies read) and the session's key (what a
   * replica without a current copy reads, older replicas included); throws if either fails, so
   * the caller can retry.
   */
  async revoke(sessionId: string): Promise<void> {
    this.copy.set(sessionId, this.clock() + this.ttlMs);
    await this.kv.appendToLog(LOG_KEY, sessionId, { keepMs: this.ttlMs });
    await this.kv.set(keyOf(sessionId), '1', { ttlMs: this.ttlMs });
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    const now = this.clock();
    if (now - this.currentAt <= this.staleAfterMs) {
      const until = this.copy.get(sessionId);
      return until !== undefined && until > now;
    }
    return (await this.kv.get(keyOf(sessionId))) !== null;
  }

  /** Whether checks are answered from this replica's copy (for health and tests). */
  get followed(): boolean {
    return this.clock() - this.currentAt <= this.staleAfterMs;
  }

  private follow(): Promise<void> {
    this.reading = this.readNew().finally(() => {
      this.reading = undefined;
      if (!this.stopped) this.timer = setTimeout(() => void this.follow(), this.followMs).unref();
    });
    return this.reading;
  }

  private async readNew(): Promise<void> {
    const startedAt = this.clock();
    try {
      for (;;) {
        const entries = await this.kv.readLog(LOG_KEY, this.lastId, PAGE);
        for (const { id, value } of entries) {
          // Forgotten when its tokens have expired: the entry's time (its id's first part) plus their longest lifetime.
          const addedAt = Number(id.split('-')[0]);
          this.copy.set(value, (Number.isFinite(addedAt) ? addedAt : startedAt) + this.ttlMs);
          this.lastId = id;
        }
        if (entries.length < PAGE) break;
      }
      this.currentAt = startedAt;
      this.forgetExpired(startedAt);
      if (this.failing) this.options.logger?.info('revoked sessions: reading the shared log again; checks answered here');
      this.failing = false;
    } catch (error) {
      if (!this.failing) {
        this.options.logger?.warn({ err: error }, 'revoked sessions: the shared log could not be read; checks read each session from the store');
      }
      this.failing = true;
    }
  }

  private forgetExpired(now: number): void {
    if (now - this.forgottenAt < FORGET_EVERY_MS) return;
    this.forgottenAt = now;
    for (const [sessionId, until] of this.copy) if (until <= now) this.copy.delete(sessionId);
  }
}

const keyOf = (sessionId: string) => `gw:revoked-session:${sessionId}`;
const LOG_KEY = 'gw:revoked-sessions';
