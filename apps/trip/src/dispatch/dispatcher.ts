import { randomUUID } from 'node:crypto';
import type { Logger } from '@uitgo/kit';
import type { TripRecord } from '../domain/trip.js';
import type { TripDeps } from '../useCases/deps.js';
import { dispatchStep } from './dispatchStep.js';

type Deps = Pick<TripDeps, 'trips' | 'drivers' | 'readModel' | 'settings' | 'clock' | 'logger' | 'metrics' | 'kick'>;

const BATCH = 20;

/**
 * Runs dispatch from the deadlines in trips-db. Every replica runs one: a trip due for
 * dispatch (new, declined, offer lapsed, search to retry) is claimed by an atomic
 * UPDATE … FOR UPDATE SKIP LOCKED with a lease, so exactly one replica handles each
 * deadline, and a replica that dies mid-step only delays its trips by the lease.
 * `kick(tripId)` handles a trip at once on the replica that just committed it; a trip it just
 * created comes already claimed, with its row, so the first step reads nothing back.
 */
export class Dispatcher {
  private running = false;
  /** Set by stop(): a pass finishes the batch it claimed but claims no more. */
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: Deps) {}

  start(): void {
    this.running = true;
    this.stopping = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Handles the trip now; `claimed`: the caller has claimed it already (a trip it just created). */
  kick(tripId?: string, claimed?: { claim: string; trip: TripRecord }): void {
    if (!this.running) return;
    if (!claimed || !tripId) return this.track(this.claimAndRun(tripId));
    this.track(dispatchStep(this.deps, tripId, claimed.claim, claimed.trip).catch((err: unknown) => logFailure(this.deps.logger, tripId, err)));
  }

  /** One pass over the due trips (tests call it to avoid waiting for the poll). */
  async runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.claimAndRun();
      total += n;
      // A backlog keeps a batch full; a stopping dispatcher leaves it in the database for the next one.
      if (n < BATCH || this.stopping) return total;
    }
  }

  private async claimAndRun(tripId?: string): Promise<number> {
    const { trips, clock, settings } = this.deps;
    const now = clock();
    const claim = randomUUID();
    const ids = await trips.claimDue(new Date(now), new Date(now + settings.dispatch.leaseMs), claim, { limit: tripId ? 1 : BATCH, ...(tripId ? { tripId } : {}) });
    await Promise.all(ids.map((id) => dispatchStep(this.deps, id, claim).catch((err: unknown) => logFailure(this.deps.logger, id, err))));
    return ids.length;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      const pass = this.runDue().catch((err: unknown) => this.deps.logger.error({ err }, 'dispatcher pass failed'));
      this.track(pass.then(() => this.schedule(this.deps.settings.dispatch.pollMs)));
    }, delayMs);
    this.timer.unref();
  }

  private track(work: Promise<unknown>): void {
    const done: Promise<void> = work.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
  }
}

function logFailure(logger: Logger, tripId: string, err: unknown): void {
  logger.error({ err, tripId }, 'dispatch step failed; the trip is retried when its lease ends');
}
