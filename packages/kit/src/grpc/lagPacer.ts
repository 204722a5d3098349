export interface LagPacerOptions {
  /** The lag that is too much: at or past it, the pace is cut. */
  targetMs: number;
  /** How often the lag is looked at and the pace adjusted. */
  windowMs?: number;
  /** The pace never goes below this many calls a second. */
  minPerSecond?: number;
  now?: () => number;
}

/**
 * Paces calls whose work reaches people through an asynchronous pipeline, by the lag seen at its
 * end: a trip request's offer goes through the trip service's dispatch step, its outbox, Kafka
 * and the gateway's fan-out, and past what that pipeline carries, offers reach drivers seconds
 * late although the request itself was answered quickly (AdmissionControl's latency measure
 * never sees it).
 *
 * Each window, the mean lag of the events observed decides. At or past the target, pacing starts at half the rate calls were let through, and is cut by 15 % each
 * window the lag is not yet falling (a falling lag means the last cut is draining the backlog, so the pace holds). Under the
 * target, the pace grows by 10 % a window, and pacing ends after a window that refused nothing.
 * A window with calls but no events tells nothing, and the pace holds; a second with neither
 * calls nor events for four windows (a second at the default 250 ms) ends pacing. A call over the
 * pace is refused.
 */
export class LagPacer {
  private readonly targetMs: number;
  private readonly windowMs: number;
  private readonly minPerMs: number;
  private readonly now: () => number;
  private windowStart: number;
  private lastActivityAt: number;
  private lagSumMs = 0;
  private lagCount = 0;
  private previousLagMs = 0;
  private admitted = 0;
  private refused = 0;
  /** Calls let through per ms while pacing; undefined while not pacing. */
  private perMs: number | undefined;
  private tokens = 0;
  private refilledAt = 0;

  constructor({ targetMs, windowMs = 250, minPerSecond = 2, now = () => performance.now() }: LagPacerOptions) {
    if (!(targetMs > 0)) throw new RangeError(`targetMs must be positive, got ${targetMs}`);
    this.targetMs = targetMs;
    this.windowMs = windowMs;
    this.minPerMs = minPerSecond / 1000;
    this.now = now;
    this.windowStart = this.lastActivityAt = now();
  }

  /** How late one event reached the end of the pipeline, ms; a value that is not a finite number is ignored. */
  observe(lagMs: number): void {
    if (!Number.isFinite(lagMs)) return;
    this.step(this.now());
    this.lagSumMs += Math.max(0, lagMs);
    this.lagCount++;
  }

  /** Whether a call may go now; counts it if so. */
  admit(): boolean {
    const now = this.now();
    this.step(now);
    if (this.perMs !== undefined) {
      // A bucket holding at most a window's worth, so a pause is not followed by a burst.
      this.tokens = Math.min(Math.max(1, this.perMs * this.windowMs), this.tokens + (now - this.refilledAt) * this.perMs);
      this.refilledAt = now;
      if (this.tokens < 1) {
        this.refused++;
        return false;
      }
      this.tokens--;
    }
    this.admitted++;
    return true;
  }

  /** Calls a second let through, as of the last call or event, or undefined when not pacing (for tests and diagnostics). */
  get pacePerSecond(): number | undefined {
    return this.perMs === undefined ? undefined : this.perMs * 1000;
  }

  private step(now: number): void {
    if (now - this.lastActivityAt >= 4 * this.windowMs) {
      // Quiet for four windows: what was measured before says nothing about what comes next.
      this.perMs = undefined;
      this.previousLagMs = 0;
      this.startWindow(now);
    }
    this.lastActivityAt = now;
    if (now - this.windowStart >= this.windowMs) this.adjust(now);
  }

  private adjust(now: number): void {
    const elapsed = now - this.windowStart;
    const observed = this.lagCount > 0;
    const lagMs = observed ? this.lagSumMs / this.lagCount : 0;
    const late = observed && lagMs >= this.targetMs;
    const caughtUp = observed && !late;
    const rising = lagMs >= this.previousLagMs;
    if (late && this.perMs === undefined && this.admitted > 0) {
      this.pace(Math.max(this.minPerMs, (this.admitted / elapsed) * 0.5), now);
    } else if (late && this.perMs !== undefined && rising) {
      this.perMs = Math.max(this.minPerMs, this.perMs * 0.85);
    } else if (caughtUp && this.perMs !== undefined) {
      this.perMs = this.refused === 0 ? undefined : this.perMs * 1.1;
    }
    if (observed) this.previousLagMs = lagMs;
    this.startWindow(now);
  }

  private startWindow(now: number): void {
    this.lagSumMs = 0;
    this.lagCount = 0;
    this.admitted = 0;
    this.refused = 0;
    this.windowStart = now;
  }

  private pace(perMs: number, now: number): void {
    this.perMs = perMs;
    this.tokens = 1;
    this.refilledAt = now;
  }
}
