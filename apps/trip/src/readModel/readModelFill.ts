import type { Logger } from '@uitgo/kit';
import type { TripMetrics } from '../metrics.js';
import type { FillLease, TripReadModel } from '../ports/tripReadModel.js';
import type { TripRepository } from '../ports/tripRepository.js';
import { rebuildReadModel } from './rebuildReadModel.js';

export type FillReason = 'start-up' | 'incomplete';

interface Deps {
  trips: Pick<TripRepository, 'scan'>;
  readModel: TripReadModel;
  metrics: Pick<TripMetrics, 'readModelFills'>;
  logger: Logger;
}

class FillLeaseLost extends Error {
  constructor() {
    super('the fill lease was lost (it lapsed, or the store lost its data)');
  }
}

/**
 * Fills the read model from trips-db in the background whenever it is found not complete (at
 * start-up, or by a list after the store lost its data), keeping what it holds: the projector
 * and repairs go on writing meanwhile. One fill at a time in a process, and one replica at a
 * time through a lease in the read model's store, renewed while the fill runs. A fill whose
 * lease is lost stops without marking the read model complete: what it wrote may be gone.
 */
export class ReadModelFill {
  private running: Promise<void> | undefined;
  private readonly stopping = new AbortController();
  private retryAt = 0;

  constructor(
    private readonly deps: Deps,
    private readonly timing = { leaseMs: 30_000, retryMs: 10_000 },
  ) {}

  /** Starts a fill unless one runs here, or within `retryMs` an attempt failed or found another replica filling. */
  start(reason: FillReason): void {
    if (this.running || this.stopping.signal.aborted || Date.now() < this.retryAt) return;
    this.running = this.attempt(reason).finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves once no fill runs here. */
  settled(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** Stops a running fill at its next batch. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  private async attempt(reason: FillReason): Promise<void> {
    const { readModel, logger } = this.deps;
    const lease = await readModel.leaseFill(this.timing.leaseMs).catch((err: unknown) => {
      logger.warn({ err, reason }, 'cannot take the trip read model fill lease; lists are served from trips-db');
      return null;
    });
    if (!lease) {
      // Another replica fills, or the store is down: look again later, not at every list.
      this.retryAt = Date.now() + this.timing.retryMs;
      return;
    }
    try {
      if (!(await readModel.isComplete())) await this.fill(lease, reason);
    } catch (err) {
      if (this.stopping.signal.aborted) return;
      // The store lost its data during the fill: the next list may start again at once.
      if (!(err instanceof FillLeaseLost)) this.retryAt = Date.now() + this.timing.retryMs;
      logger.warn({ err, reason }, 'cannot fill the trip read model; lists are served from trips-db');
    } finally {
      await lease.release().catch(() => undefined);
    }
  }

  private async fill(lease: FillLease, reason: FillReason): Promise<void> {
    const { metrics, logger } = this.deps;
    const lost = new AbortController();
    const renewal = setInterval(() => {
      lease.renew().then((held) => held || lost.abort(new FillLeaseLost()), () => undefined);
    }, this.timing.leaseMs / 3);
    renewal.unref();
    const started = Date.now();
    logger.info({ reason }, 'filling the trip read model from trips-db');
    try {
      const trips = await rebuildReadModel(this.deps, {
        keep: true,
        signal: AbortSignal.any([this.stopping.signal, lost.signal]),
        beforeComplete: async () => {
          if (!(await lease.renew())) throw new FillLeaseLost();
        },
      });
      metrics.readModelFills.inc({ reason, outcome: 'completed' });
      logger.info({ reason, trips, ms: Date.now() - started }, 'trip read model filled from trips-db');
    } catch (err) {
      metrics.readModelFills.inc({ reason, outcome: this.stopping.signal.aborted ? 'stopped' : 'failed' });
      throw err;
    } finally {
      clearInterval(renewal);
    }
  }
}
