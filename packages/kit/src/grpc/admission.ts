import { AppError } from '../errors.js';
import { LagPacer } from './lagPacer.js';

export interface AdmissionOptions {
  /**
   * The longest a call may expect to wait behind the calls already in flight to its method
   * (in flight / the rate that method has been answering); a call that would wait longer is
   * refused at once.
   */
  budgetMs: number;
  /**
   * The methods that may be refused (their path, `/package.Service/Method`): work that can wait
   * or be asked for again (new requests, reads). Calls of any other method are always sent: under
   * load, finishing work already begun (a driver accepting an offer, a trip's transitions) is
   * what frees capacity. Absent: every unary method may be refused.
   */
  sheddable?: ReadonlySet<string>;
  /**
   * Methods whose work reaches people through an asynchronous pipeline (a trip request: its
   * offer, through the outbox, Kafka and the live fan-out), paced besides by the lag reported with
   * `observeLag` so that it stays under half the budget (see LagPacer). Must be sheddable.
   */
  pacedByLag?: ReadonlySet<string>;
  /** Calls in flight to one method that are always admitted, however slow it has been. */
  minInFlight?: number;
  /** How often each method's answer rate is re-estimated. */
  windowMs?: number;
  now?: () => number;
}

/** A call refused by admission control: 503 UNAVAILABLE, retry after a second. */
export class Overloaded extends AppError {
  constructor(
    readonly method: string,
    reason = 'is answering slower than requests arrive',
  ) {
    super('UNAVAILABLE', `${method} ${reason}; retry in a second`, { retryAfterS: 1 });
  }
}

interface MethodLoad {
  inFlight: number;
  /** Calls answered since windowStart, and the sum of their latencies. */
  answered: number;
  answeredMs: number;
  windowStart: number;
  /** Mean latency of the last window's answers, ms; 0 after an idle window. */
  latencyMs: number;
  /** Calls that may be in flight at once; Infinity while the method is not saturated. */
  limit: number;
  /** When a call of the method was last admitted or answered. */
  lastEventAt: number;
}

/**
 * Admission control for outgoing unary calls, per method. Past a service's capacity, calls
 * queue (in its event loop, its connection pool, its database) and every caller waits longer,
 * until each times out and the service has worked on answers nobody waits for. Here a method
 * counts as saturated while its answers (their mean latency over the last window) take at
 * least half the budget (and, once limited, until it is under a quarter). Saturated, the rate
 * it answers at (measured per window) is its capacity, and that rate times the budget is how
 * many calls may be in flight so that a new one is answered within about the budget (Little's
 * law). A call beyond that is refused before it is
 * sent (UNAVAILABLE, retry after a second) rather than lengthening the queue. Below half the
 * budget nothing is refused, bursts included. Each caller (a gateway replica) keeps its own
 * estimate; no coordination is needed.
 */
export class AdmissionControl {
  private readonly methods = new Map<string, MethodLoad>();
  private readonly sheddable: ReadonlySet<string> | undefined;
  private readonly pacedByLag: ReadonlySet<string>;
  /** One pace for all the methods paced by lag: they share the pipeline. */
  private readonly pacer: LagPacer | undefined;
  private readonly budgetMs: number;
  private readonly minInFlight: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor({ budgetMs, sheddable, pacedByLag = new Set(), minInFlight = 32, windowMs = 250, now = () => performance.now() }: AdmissionOptions) {
    if (!(budgetMs > 0)) throw new RangeError(`budgetMs must be positive, got ${budgetMs}`);
    for (const method of pacedByLag) {
      if (sheddable && !sheddable.has(method)) throw new RangeError(`${method} is paced by lag but not sheddable`);
    }
    this.sheddable = sheddable;
    this.pacedByLag = pacedByLag;
    this.pacer = pacedByLag.size > 0 ? new LagPacer({ targetMs: budgetMs / 2, windowMs, now }) : undefined;
    this.budgetMs = budgetMs;
    this.minInFlight = minInFlight;
    this.windowMs = windowMs;
    this.now = now;
  }

  /** Whether calls of `method` go through `admit` and `done` at all. */
  governs(method: string): boolean {
    return this.sheddable?.has(method) ?? true;
  }

  /** Admits a call to `method` and returns when it started (pass it to `done`), or throws Overloaded. */
  admit(method: string): number {
    const load = this.stateOf(method);
    const now = this.now();
    if (load.inFlight === 0 && now - load.lastEventAt >= this.windowMs) {
      // Idle for a window or more: what was measured before says nothing about the next burst.
      Object.assign(load, { answered: 0, answeredMs: 0, windowStart: now, latencyMs: 0, limit: Infinity });
    }
    this.roll(load, now);
    if (load.inFlight >= load.limit) throw new Overloaded(method);
    if (this.pacer && this.pacedByLag.has(method) && !this.pacer.admit()) throw new Overloaded(method, 'starts work that is reaching people late');
    load.inFlight++;
    load.lastEventAt = now;
    return now;
  }

  /** An admitted call ended, however it ended. */
  done(method: string, startedAt: number): void {
    const load = this.stateOf(method);
    const now = this.now();
    load.inFlight--;
    load.answered++;
    load.answeredMs += now - startedAt;
    load.lastEventAt = now;
    this.roll(load, now);
  }

  /** How late one event of the pipeline behind the `pacedByLag` methods arrived, ms. */
  observeLag(lagMs: number): void {
    this.pacer?.observe(lagMs);
  }

  /** The pace of the `pacedByLag` methods, calls a second, or undefined while they are not paced. */
  get lagPacePerSecond(): number | undefined {
    return this.pacer?.pacePerSecond;
  }

  /** What is known of `method`'s load (for tests and diagnostics). */
  loadOf(method: string): Readonly<MethodLoad> {
    return this.stateOf(method);
  }

  private stateOf(method: string): MethodLoad {
    let load = this.methods.get(method);
    if (!load) {
      const now = this.now();
      this.methods.set(method, (load = { inFlight: 0, answered: 0, answeredMs: 0, windowStart: now, latencyMs: 0, limit: Infinity, lastEventAt: now }));
    }
    return load;
  }

  private roll(load: MethodLoad, now: number): void {
    const elapsed = now - load.windowStart;
    if (elapsed < this.windowMs) return;
    if (load.inFlight === 0 && load.answered === 0) {
      // A window with nothing in flight and nothing answered: idle.
      load.latencyMs = 0;
      load.limit = Infinity;
    } else if (load.answered > 0) {
      load.latencyMs = load.answeredMs / load.answered;
      // Saturated from half the budget on; once limited, the limit stays until latency is under a
      // quarter of it, so the limit does not flap on and off around one threshold.
      const limited = load.limit !== Infinity;
      const saturated = load.latencyMs * 2 >= this.budgetMs || (limited && load.latencyMs * 4 >= this.budgetMs);
      // The answer rate: measured over the window once limited (saturated, it is the capacity);
      // on the first saturated window, in flight / latency (the window may have begun before the
      // first answers came back, and would understate it).
      const rate = limited ? load.answered / elapsed : load.inFlight / load.latencyMs;
      load.limit = saturated ? Math.max(this.minInFlight, Math.ceil(rate * this.budgetMs)) : Infinity;
    }
    // Calls in flight and none answered: stalled; the limit stands until answers tell more.
    load.answered = 0;
    load.answeredMs = 0;
    load.windowStart = now;
  }
}
