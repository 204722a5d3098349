import { Writable } from 'node:stream';
import { AppError, createLogger } from '@uitgo/kit';
import { pdfText } from '@uitgo/kit/testing';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { loadTripSettings } from '../config.js';
import { createTripMetrics } from '../metrics.js';
import type { DriverDirectory } from '../ports/driverDirectory.js';
import type { UserDirectory } from '../ports/userDirectory.js';
import { aCompletedTrip, receiptRow } from '../test/receiptFixtures.js';
import type { TripDeps } from './deps.js';
import { ensureReceipt } from './getReceipt.useCase.js';

const trip = aCompletedTrip();
const ctx = { traceId: '0af7651916cd43dd8448eb211c80319c' };
const car = { vehicleType: 'car4' as const, plateNumber: '51F-12345', vehicleModel: 'Toyota Vios' };

/** ensureReceipt with the given user and driver lookups: what it stored and what it logged. */
async function receiptWith(users: UserDirectory['name'], vehicle: DriverDirectory['vehicle'] = async () => car) {
  const stored = new Map<string, Buffer>();
  const logs: { level: string; msg: string; [key: string]: unknown }[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const deps = {
    trips: { findReceipt: async () => null, saveReceipt: async () => undefined } as unknown as TripDeps['trips'],
    drivers: { vehicle } as unknown as TripDeps['drivers'],
    users: { name: users },
    objects: { put: async (key: string, body: Buffer) => void stored.set(key, body) } as unknown as TripDeps['objects'],
    settings: loadTripSettings({}),
    logger: createLogger({ service: 'trip-test', level: 'info', destination: sink }),
    metrics: createTripMetrics(new Registry()),
    clock: Date.now,
  };
  const key = await ensureReceipt(deps, ctx, trip);
  return { text: pdfText(stored.get(key)!), warnings: logs.filter((l) => l.level === 'warn') };
}

describe('ensureReceipt', () => {
  it('names the driver from the user service, asked about the trip\'s driver', async () => {
    const asked: string[] = [];
    const { text, warnings } = await receiptWith(async (_ctx, userId) => (asked.push(userId), 'Trần Thị Bích'));
    expect(asked).toEqual([trip.driverId]);
    expect(receiptRow(text, 'Driver')).toBe('Tran Thi Bich');
    expect(receiptRow(text, 'Vehicle')).toBe('Car, 4 seats - Toyota Vios (51F-12345)');
    expect(warnings).toEqual([]);
  });

  it('still renders the receipt, with the driver id and a warning carrying the trace id, when the user service is unavailable', async () => {
    const { text, warnings } = await receiptWith(async () => {
      throw new AppError('UNAVAILABLE', '/uitgo.user.v1.UserService/GetProfile is unavailable, try again shortly');
    });
    expect(receiptRow(text, 'Driver')).toBe(trip.driverId);
    expect(receiptRow(text, 'Vehicle')).toBe('Car, 4 seats - Toyota Vios (51F-12345)');
    expect(warnings).toEqual([expect.objectContaining({ traceId: ctx.traceId, tripId: trip.id, driverId: trip.driverId, err: expect.objectContaining({ code: 'UNAVAILABLE' }) })]);
  });

  it('shows the driver id, with a warning, when the driver has no profile; vehicle and name fall back independently', async () => {
    const { text, warnings } = await receiptWith(
      async () => null,
      async () => {
        throw new AppError('DEADLINE_EXCEEDED', 'slow');
      },
    );
    expect(receiptRow(text, 'Driver')).toBe(trip.driverId);
    expect(receiptRow(text, 'Vehicle')).toBe('Car, 4 seats');
    expect(warnings.map((w) => [w.msg, w.traceId])).toEqual(
      expect.arrayContaining([
        [expect.stringContaining('driver name unknown'), ctx.traceId],
        [expect.stringContaining('driver profile unavailable'), ctx.traceId],
      ]),
    );
    expect(warnings).toHaveLength(2);
  });
});
