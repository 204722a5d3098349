import { randomUUID } from 'node:crypto';
import type { Caller, RequestContext } from '@uitgo/kit';
import { createSqlDatabase, type SqlDatabase } from '@uitgo/kit/sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrizzleDriverRepository } from '../adapters/drizzleDriverRepository.js';
import { MemoryGeoIndex } from '../adapters/memoryGeoIndex.js';
import * as schema from '../db/schema.js';
import type { DriverRepository } from '../ports/driverRepository.js';
import { migrationsFolder } from '../service.js';
import { makeGoOffline } from './goOffline.useCase.js';
import { makeReserveDriver } from './reserveDriver.useCase.js';
import { makeSetDriverTripStatus } from './setDriverTripStatus.useCase.js';

const ctxOf = (caller: Caller): RequestContext => ({ traceId: randomUUID().replaceAll('-', ''), caller });
const tripService = ctxOf({ userId: 'trip', role: 'service' });
const offer = { pickup: { lat: 10.8, lng: 106.7 }, dropoff: { lat: 10.75, lng: 106.66 }, fare: { amount: 45_000, currency: 'VND' } };

/**
 * A reservation that arrives while a driver's availability is being changed in drivers-db (after
 * the use case's checks, before the index learns the new state) must not succeed: the driver
 * would end offline, or on one trip, held for another trip's offer.
 */
describe('availability changes and reservations racing them', () => {
  let database: SqlDatabase<typeof schema>;
  let geoIndex: MemoryGeoIndex;
  /** drivers-db, with a hook that runs inside each change, where a racing call would land. */
  let drivers: DriverRepository;
  let duringChange: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    database = await createSqlDatabase({ kind: 'pglite' }, schema);
    await database.migrate({ migrationsFolder, schema: 'driver' });
    const real = new DrizzleDriverRepository(database.db, () => undefined);
    drivers = {
      find: (id, c) => real.find(id, c),
      findMany: (ids, c) => real.findMany(ids, c),
      countOnline: () => real.countOnline(),
      async change(id, decide, c) {
        const race = duringChange;
        duringChange = undefined;
        await race?.();
        return real.change(id, decide, c);
      },
    };
    geoIndex = new MemoryGeoIndex();
  });
  afterAll(() => database?.close());

  async function availableDriver(): Promise<string> {
    const id = randomUUID();
    const stored = await drivers.change(id, () => ({
      next: { id, vehicleType: 'car4', plateNumber: `51A-${id.slice(0, 5)}`, plateKey: id.slice(0, 8), vehicleModel: 'Vios', availability: 'available', currentTripId: null },
      events: [],
    }));
    await geoIndex.setDriver(id, { vehicleType: 'car4', availability: 'available', tripId: null, version: stored!.version });
    await geoIndex.upsert([{ driverId: id, lat: 10.8, lng: 106.7, recordedAt: new Date() }]);
    return id;
  }
  const reserve = (driverId: string, tripId: string) => makeReserveDriver({ drivers, geoIndex })(tripService, { driverId, tripId, ttlSeconds: 15, offer });

  it('refuses an offer that arrives while the driver goes offline', async () => {
    const id = await availableDriver();
    let raced: unknown;
    duringChange = async () => void (raced = await reserve(id, randomUUID()).catch((err: unknown) => err));
    const view = await makeGoOffline({ drivers, geoIndex })(ctxOf({ userId: id, role: 'driver' }), { driverId: id });
    expect(view.record.availability).toBe('offline');
    expect(raced).toMatchObject({ code: 'DRIVER_BUSY' });
    expect(await geoIndex.reservation(id)).toBeNull();
  });

  it("refuses another trip's offer that arrives while the driver starts a trip", async () => {
    const id = await availableDriver();
    const [tripA, tripB] = [randomUUID(), randomUUID()];
    let raced: unknown;
    duringChange = async () => void (raced = await reserve(id, tripB).catch((err: unknown) => err));
    const view = await makeSetDriverTripStatus({ drivers, geoIndex })(tripService, { driverId: id, tripId: tripA, status: 'on_trip' });
    expect(view.record).toMatchObject({ availability: 'on_trip', currentTripId: tripA });
    expect(raced).toMatchObject({ code: 'DRIVER_BUSY' });
    expect(await geoIndex.reservation(id)).toBeNull();
  });

  it('still lets the trip holding the driver start, and still refuses going offline with an offer waiting', async () => {
    const id = await availableDriver();
    const tripA = randomUUID();
    await reserve(id, tripA);
    await expect(makeGoOffline({ drivers, geoIndex })(ctxOf({ userId: id, role: 'driver' }), { driverId: id })).rejects.toMatchObject({ code: 'DRIVER_BUSY' });
    const view = await makeSetDriverTripStatus({ drivers, geoIndex })(tripService, { driverId: id, tripId: tripA, status: 'on_trip' });
    expect(view.record.availability).toBe('on_trip');
    expect(await geoIndex.reservation(id)).toBeNull();
    await makeSetDriverTripStatus({ drivers, geoIndex })(tripService, { driverId: id, tripId: tripA, status: 'available' });
    expect(await reserve(id, randomUUID())).toMatchObject({ driverId: id });
  });
});
