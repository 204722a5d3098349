import { randomUUID } from 'node:crypto';
import { isAppError } from '@uitgo/kit';
import type { DriverTask } from '../ports/tripRepository.js';
import type { TripDeps } from '../useCases/deps.js';

type Deps = Pick<TripDeps, 'trips' | 'drivers' | 'clock' | 'logger' | 'metrics'>;

const BATCH = 50;
const LEASE_MS = 30_000;
/** A refusal (not an outage) is tried this often before the task is given up. */
const MAX_REFUSED_ATTEMPTS = 15;
const backoffMs = (attempts: number) => Math.min(60_000, 250 * 2 ** Math.min(attempts, 20));

/** The driver service could not be reached or did not answer in time: worth trying until it can. */
const isOutage = (err: unknown) => !isAppError(err) || err.code === 'UNAVAILABLE' || err.code === 'DEADLINE_EXCEEDED';

/**
 * Carries out the driver-service calls transitions left in trips-db (on_trip at accept,
 * available at the end, releases of holds) after their commit, retrying until done. Tasks of
 * one driver run in order (only a driver's oldest task can be claimed); each call is idempotent.
 */
export class DriverTaskWorker {
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly deps: Deps,
    private readonly pollMs: number,
  ) {}

  start(): void {
    this.running = true;
    this.kick();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.pass;
  }

  kick(): void {
    if (!this.running) return;
    if (this.pass) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.pass = this.runDue()
      .catch((err: unknown) => this.deps.logger.error({ err }, 'driver task pass failed'))
      .then(() => {
        this.pass = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        } else this.schedule();
      });
  }

  /** Runs due tasks until none is left (a driver's next task becomes due once the previous is done). */
  async runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const now = this.deps.clock();
      const tasks = await this.deps.trips.claimTasks(new Date(now), new Date(now + LEASE_MS), BATCH);
      if (tasks.length === 0) return total;
      await Promise.all(tasks.map((task) => this.run(task)));
      total += tasks.length;
    }
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => this.kick(), this.pollMs);
    this.timer.unref();
  }

  private async run(task: DriverTask): Promise<void> {
    const ctx = { traceId: randomUUID().replaceAll('-', '') };
    const { drivers, trips } = this.deps;
    try {
      if (task.kind === 'release') await drivers.release(ctx, task.driverId, task.tripId);
      else await drivers.setTripStatus(ctx, task.driverId, task.tripId, task.kind);
      await trips.finishTask(task.id);
    } catch (err) {
      // An outage is retried for as long as it lasts (every minute at most), so a driver's
      // status catches up with the trip whatever the outage's length; the failures metric alerts.
      const permanent = isAppError(err) && (err.code === 'DRIVER_NOT_FOUND' || err.code === 'VALIDATION_FAILED');
      if (permanent || (!isOutage(err) && task.attempts >= MAX_REFUSED_ATTEMPTS)) {
        this.deps.logger.error({ err, task }, 'driver task abandoned');
        await trips.finishTask(task.id);
        return;
      }
      this.deps.metrics.driverTaskFailures.inc();
      if (task.attempts >= MAX_REFUSED_ATTEMPTS) this.deps.logger.error({ err, task }, 'driver task still failing; retrying');
      else this.deps.logger.warn({ err, task }, 'driver task failed; retrying');
      await trips.retryTask(task.id, new Date(this.deps.clock() + backoffMs(task.attempts)), err instanceof Error ? err.message : String(err));
    }
  }
}
