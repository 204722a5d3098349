import { randomUUID } from 'node:crypto';
import { AppError, createLogger } from '@uitgo/kit';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createTripMetrics } from '../metrics.js';
import type { DriverTask } from '../ports/tripRepository.js';
import type { TripDeps } from '../useCases/deps.js';
import { DriverTaskWorker } from './driverTaskWorker.js';

/** One due task, a driver service that fails it with `error`; what the worker does with the task. */
async function outcomeOf(error: unknown, attempts: number): Promise<'finished' | 'retried'> {
  const task: DriverTask = { id: 1, kind: 'on_trip', driverId: randomUUID(), tripId: randomUUID(), attempts };
  let claimed = false;
  let outcome: 'finished' | 'retried' | undefined;
  const trips = {
    claimTasks: async () => (claimed ? [] : ((claimed = true), [task])),
    finishTask: async () => void (outcome = 'finished'),
    retryTask: async () => void (outcome = 'retried'),
  } as unknown as TripDeps['trips'];
  const drivers = {
    setTripStatus: async () => {
      throw error;
    },
  } as unknown as TripDeps['drivers'];
  const deps = { trips, drivers, clock: Date.now, logger: createLogger({ service: 'trip-test', level: 'silent' }), metrics: createTripMetrics(new Registry()) } as Pick<TripDeps, 'trips' | 'drivers' | 'clock' | 'logger' | 'metrics'>;
  await new DriverTaskWorker(deps, 1_000).runDue();
  return outcome!;
}

describe('DriverTaskWorker', () => {
  it('keeps retrying while the driver service is unreachable, however long that lasts', async () => {
    expect(await outcomeOf(new AppError('UNAVAILABLE', 'down'), 2)).toBe('retried');
    expect(await outcomeOf(new AppError('UNAVAILABLE', 'down'), 40)).toBe('retried');
    expect(await outcomeOf(new AppError('DEADLINE_EXCEEDED', 'slow'), 40)).toBe('retried');
    expect(await outcomeOf(new Error('socket hang up'), 40)).toBe('retried');
  });

  it('gives a refused task up: at once when it can never succeed, after 15 tries otherwise', async () => {
    expect(await outcomeOf(new AppError('DRIVER_NOT_FOUND', 'gone'), 0)).toBe('finished');
    expect(await outcomeOf(new AppError('DRIVER_BUSY', 'busy'), 3)).toBe('retried');
    expect(await outcomeOf(new AppError('DRIVER_BUSY', 'busy'), 15)).toBe('finished');
  });
});
