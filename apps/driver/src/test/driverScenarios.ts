import { randomUUID } from 'node:crypto';
import { common, driver, user } from '@uitgo/grpc';
import type { Caller } from '@uitgo/kit';
import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import * as schema from '../db/schema.js';
import { as, eventually, type DriverServiceHarness } from './harness.js';

const { VehicleType } = common;
const { DriverStatus } = driver;
const CENTER = { lat: 10.8, lng: 106.7 };
const passenger: Caller = { userId: randomUUID(), role: 'passenger' };
const admin: Caller = { userId: randomUUID(), role: 'admin' };
const tripService: Caller = { userId: 'trip-service', role: 'service' };
/** Each scenario searches around its own point so they never see each other's drivers. */
let area = 0;
const nextArea = () => ({ lat: CENTER.lat + (area += 0.05), lng: CENTER.lng });
const north = (from: { lat: number; lng: number }, m: number) => ({ lat: from.lat + m / 111_226, lng: from.lng });
const point = (where: { lat: number; lng: number }, ageMs = 0): driver.LocationPoint => ({ location: where, recordedTime: new Date(Date.now() - ageMs) });
const plate = () => `51F-${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;

async function aDriver(h: DriverServiceHarness, verified = true, vehicleType = VehicleType.VEHICLE_TYPE_CAR4): Promise<Caller> {
  const me: Caller = { userId: randomUUID(), role: 'driver' };
  h.verification.set(me.userId, verified ? user.VerificationStatus.VERIFICATION_STATUS_VERIFIED : user.VerificationStatus.VERIFICATION_STATUS_PENDING);
  await as(me, () => h.client.upsertDriverProfile({ driverId: me.userId, vehicleType, plateNumber: plate(), vehicleModel: 'Toyota Vios 2022' }));
  return me;
}

async function onlineAt(h: DriverServiceHarness, where: { lat: number; lng: number }, vehicleType = VehicleType.VEHICLE_TYPE_CAR4) {
  const me = await aDriver(h, true, vehicleType);
  await as(me, () => h.client.goOnline({ driverId: me.userId }));
  await as(me, () => h.client.updateLocation({ driverId: me.userId, point: point(where) }));
  return me;
}

const nearby = (h: DriverServiceHarness, where: { lat: number; lng: number }, vehicleType = VehicleType.VEHICLE_TYPE_UNSPECIFIED) =>
  as(passenger, () => h.client.searchNearbyDrivers({ center: where, radiusM: 3_000, limit: 10, vehicleType })).then((r) => r.drivers.map((d) => d.driverId));

const outboxTypes = (h: DriverServiceHarness, driverId: string) =>
  h.db.select({ type: schema.outbox.type }).from(schema.outbox).where(eq(schema.outbox.key, driverId)).orderBy(schema.outbox.id).then((rows) => rows.map((r) => r.type));

/** Profiles, availability, ingest, search, dispatch and history through gRPC. */
export function driverScenarios(harness: () => DriverServiceHarness) {
  it('registers a vehicle with a normalised, unique plate; only the driver may', async () => {
    const h = harness();
    const me: Caller = { userId: randomUUID(), role: 'driver' };
    const upsert = (caller: Caller, plateNumber: string, driverId = me.userId) =>
      as(caller, () => h.client.upsertDriverProfile({ driverId, vehicleType: VehicleType.VEHICLE_TYPE_BIKE, plateNumber, vehicleModel: ' Honda Wave ' }));
    const suffix = String(Math.floor(Math.random() * 1e5)).padStart(5, '0');
    const { profile } = await upsert(me, ` 59x1-${suffix} `);
    expect(profile).toMatchObject({ driverId: me.userId, plateNumber: `59X1-${suffix}`, vehicleModel: 'Honda Wave', status: DriverStatus.DRIVER_STATUS_OFFLINE });
    await expect(upsert(passenger, plate(), passenger.userId)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const other: Caller = { userId: randomUUID(), role: 'driver' };
    await expect(upsert(other, `59X1 ${suffix}`, other.userId)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(upsert(me, '!!')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await as(admin, () => h.client.getDriverProfile({ driverId: me.userId }))).profile?.vehicleType).toBe(VehicleType.VEHICLE_TYPE_BIKE);
    await expect(as(passenger, () => h.client.getDriverProfile({ driverId: me.userId }))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(as(admin, () => h.client.getDriverProfile({ driverId: randomUUID() }))).rejects.toMatchObject({ code: 'DRIVER_NOT_FOUND' });
  });

  it('lets only verified drivers with a vehicle go online, and records online/offline in the outbox', async () => {
    const h = harness();
    const novice: Caller = { userId: randomUUID(), role: 'driver' };
    await expect(as(novice, () => h.client.goOnline({ driverId: novice.userId }))).rejects.toMatchObject({ code: 'VEHICLE_NOT_REGISTERED' });
    const unverified = await aDriver(h, false);
    await expect(as(unverified, () => h.client.goOnline({ driverId: unverified.userId }))).rejects.toMatchObject({ code: 'DRIVER_NOT_VERIFIED' });
    const verified = await aDriver(h);
    const online = await as(verified, () => h.client.goOnline({ driverId: verified.userId }));
    expect(online.profile?.status).toBe(DriverStatus.DRIVER_STATUS_AVAILABLE);
    await as(verified, () => h.client.goOnline({ driverId: verified.userId }));
    const offline = await as(verified, () => h.client.goOffline({ driverId: verified.userId }));
    expect(offline.profile?.status).toBe(DriverStatus.DRIVER_STATUS_OFFLINE);
    expect(await outboxTypes(h, verified.userId)).toEqual(['driver.v1.profile_updated', 'driver.v1.online', 'driver.v1.offline']);
    expect(await outboxTypes(h, unverified.userId)).toEqual(['driver.v1.profile_updated']);
    const [row] = await h.db.select().from(schema.outbox).where(and(eq(schema.outbox.key, verified.userId), eq(schema.outbox.type, 'driver.v1.online')));
    expect(row).toMatchObject({ topic: 'uitgo.driver.v1', payload: { driverId: verified.userId, vehicleType: 'car4' } });
  });

  it('finds online drivers near a point, nearest first, and not offline ones', async () => {
    const h = harness();
    const here = nextArea();
    const far = await onlineAt(h, north(here, 1_200));
    const near = await onlineAt(h, north(here, 300), VehicleType.VEHICLE_TYPE_BIKE);
    const offline = await aDriver(h);
    await as(offline, () => h.client.updateLocation({ driverId: offline.userId, point: point(north(here, 100)) }));
    expect(await nearby(h, here)).toEqual([near.userId, far.userId]);
    expect(await nearby(h, here, VehicleType.VEHICLE_TYPE_CAR4)).toEqual([far.userId]);
    const found = await as(passenger, () => h.client.searchNearbyDrivers({ center: here, radiusM: 3_000, limit: 1, vehicleType: 0 }));
    expect(found.drivers[0]).toMatchObject({ driverId: near.userId, vehicleType: VehicleType.VEHICLE_TYPE_BIKE, distanceM: expect.closeTo(300, 0) });
    const profile = await as(offline, () => h.client.getDriverProfile({ driverId: offline.userId }));
    expect(profile.profile?.lastLocation?.location?.lat).toBeCloseTo(north(here, 100).lat, 9);
    await expect(as(near, () => h.client.searchNearbyDrivers({ center: here, radiusM: 3_000, limit: 1, vehicleType: 0 }))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(as(passenger, () => h.client.searchNearbyDrivers({ center: here, radiusM: 50_000, limit: 1, vehicleType: 0 }))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('answers a batch of nearby searches each for its own caller, and only to a service', async () => {
    const h = harness();
    const here = nextArea();
    const near = await onlineAt(h, north(here, 300), VehicleType.VEHICLE_TYPE_BIKE);
    const far = await onlineAt(h, north(here, 1_200));
    const search = (caller: Caller | undefined, query: Partial<driver.SearchNearbyDriversRequest> = {}): driver.NearbySearch => ({
      query: { center: here, radiusM: 3_000, limit: 10, vehicleType: 0, ...query },
      caller: caller ? JSON.stringify(caller) : '',
      traceId: `trace-${caller?.userId ?? 'anonymous'}`,
    });
    const { results } = await as(tripService, () =>
      h.client.batchSearchNearbyDrivers({
        searches: [search(passenger), search(admin, { vehicleType: VehicleType.VEHICLE_TYPE_CAR4 }), search(near), search(passenger, { radiusM: 50_000 }), search(undefined), search(passenger, { limit: 1 })],
      }),
    );
    const idsOf = (i: number) => (results[i]?.result?.$case === 'found' ? results[i].result.value.drivers.map((d) => d.driverId) : undefined);
    const errorOf = (i: number) => (results[i]?.result?.$case === 'error' ? (JSON.parse(results[i].result.value) as { code: string }).code : undefined);
    expect(results).toHaveLength(6);
    expect(idsOf(0)).toEqual([near.userId, far.userId]);
    expect(results[0]?.result).toEqual({ $case: 'found', value: await as(passenger, () => h.client.searchNearbyDrivers(search(passenger).query!)) });
    expect(idsOf(1)).toEqual([far.userId]);
    expect([errorOf(2), errorOf(3), errorOf(4)]).toEqual(['FORBIDDEN', 'VALIDATION_FAILED', 'UNAUTHENTICATED']);
    expect(idsOf(5)).toEqual([near.userId]);
    await expect(as(passenger, () => h.client.batchSearchNearbyDrivers({ searches: [search(passenger)] }))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const tooMany = Array.from({ length: 257 }, () => search(passenger));
    await expect(as(tripService, () => h.client.batchSearchNearbyDrivers({ searches: tooMany }))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('validates positions, keeps the valid points of a batch, and never moves a driver back', async () => {
    const h = harness();
    const here = nextArea();
    const me = await onlineAt(h, north(here, 200));
    const update = (p: driver.LocationPoint) => as(me, () => h.client.updateLocation({ driverId: me.userId, point: p }));
    await expect(update(point({ lat: 91, lng: 106 }))).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ path: 'lat' }] } });
    await expect(update(point(here, -10_000))).rejects.toMatchObject({ details: { fields: [{ path: 'recordedAt' }] } });
    await expect(update(point(here, 3 * 60_000))).rejects.toMatchObject({ details: { fields: [{ path: 'recordedAt' }] } });
    expect(await update(point(north(here, 2_500), 10_000))).toEqual({ ignored: true });
    expect((await as(passenger, () => h.client.searchNearbyDrivers({ center: here, radiusM: 3_000, limit: 5, vehicleType: 0 }))).drivers[0]?.distanceM).toBeCloseTo(200, 0);
    const batch = await as(me, () =>
      h.client.recordLocations({ driverId: me.userId, points: [point(north(here, 400), -1_000), point({ lat: 10, lng: 200 }), point(north(here, 500), -2_000), point(here, -60_000)] }),
    );
    expect(batch).toEqual({ accepted: 2, ignored: 0, rejected: [expect.objectContaining({ index: 1, field: 'lng' }), expect.objectContaining({ index: 3, field: 'recordedAt' })] });
    expect((await as(passenger, () => h.client.searchNearbyDrivers({ center: here, radiusM: 3_000, limit: 5, vehicleType: 0 }))).drivers[0]?.distanceM).toBeCloseTo(500, 0);
    await expect(as(passenger, () => h.client.updateLocation({ driverId: passenger.userId, point: point(here) }))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const ghost: Caller = { userId: randomUUID(), role: 'driver' };
    await expect(as(ghost, () => h.client.updateLocation({ driverId: ghost.userId, point: point(here) }))).rejects.toMatchObject({ code: 'DRIVER_NOT_FOUND' });
  });

  it('ingests a multiplexed stream of many drivers and archives every accepted point', async () => {
    const h = harness();
    const here = nextArea();
    const drivers = await Promise.all([0, 1, 2].map(async (i) => {
      const me = await aDriver(h);
      await as(me, () => h.client.goOnline({ driverId: me.userId }));
      return { me, at: north(here, 100 + i * 100) };
    }));
    const started = Date.now();
    async function* frames() {
      // Older points batched in one message (as the gateway sends them), newer ones one by one.
      yield { points: [3, 2].flatMap((step) => drivers.map((d) => ({ driverId: d.me.userId, point: point(d.at, step * 1_000) }))) };
      for (let step = 1; step >= 0; step--) for (const d of drivers) yield { driverId: d.me.userId, point: point(d.at, step * 1_000) };
      yield { driverId: randomUUID(), point: point(here) };
      yield { driverId: drivers[0]!.me.userId, point: point({ lat: 100, lng: 0 }) };
    }
    const totals = await as(tripService, () => h.client.streamLocations(frames()));
    expect(totals).toEqual({ accepted: 12, rejected: 2, ignored: 0 });
    expect(await nearby(h, here)).toEqual(drivers.map((d) => d.me.userId));
    const first = drivers[0]!.me.userId;
    const track = await eventually(async () => {
      const reply = await as(admin, () => h.client.getLocationTrack({ driverId: first, startTime: new Date(started - 60_000), endTime: new Date(Date.now() + 10_000), pageSize: 0, pageToken: '' }));
      return reply.points.length === 4 ? reply.points : undefined;
    });
    expect(track.map((p) => p.recordedTime!.getTime())).toEqual([...track.map((p) => p.recordedTime!.getTime())].sort((a, b) => a - b));
    const page = await as(admin, () => h.client.getLocationTrack({ driverId: first, startTime: new Date(started - 60_000), endTime: new Date(Date.now() + 10_000), pageSize: 3, pageToken: '' }));
    expect(page.points).toHaveLength(3);
    const rest = await as(admin, () => h.client.getLocationTrack({ driverId: first, startTime: new Date(started - 60_000), endTime: new Date(Date.now() + 10_000), pageSize: 3, pageToken: page.nextPageToken }));
    expect(rest).toMatchObject({ points: [track[3]], nextPageToken: '' });
    await expect(as(passenger, () => h.client.getLocationTrack({ driverId: first, startTime: new Date(started), endTime: new Date(), pageSize: 0, pageToken: '' }))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('reserves a driver for one trip (the offer), hides them from search, and runs the trip', async () => {
    const h = harness();
    const here = nextArea();
    const me = await onlineAt(h, north(here, 250));
    const [tripA, tripB] = [randomUUID(), randomUUID()];
    const reserve = (tripId: string) =>
      as(tripService, () => h.client.reserveDriver({ driverId: me.userId, tripId, ttlSeconds: 20, pickup: here, dropoff: north(here, 5_000), fare: { amount: 52_000, currency: 'VND' } }));
    const held = await reserve(tripA);
    await expect(reserve(tripB)).rejects.toMatchObject({ code: 'DRIVER_BUSY' });
    expect((await reserve(tripA)).reservationId).toBe(held.reservationId);
    const offers = await as(me, () => h.client.listOffers({ driverId: me.userId }));
    expect(offers.offers).toEqual([expect.objectContaining({ tripId: tripA, reservationId: held.reservationId, fare: { amount: 52_000, currency: 'VND' } })]);
    expect(await nearby(h, here)).toEqual([]);
    await expect(as(me, () => h.client.goOffline({ driverId: me.userId }))).rejects.toMatchObject({ code: 'DRIVER_BUSY' });
    await as(tripService, () => h.client.releaseDriver({ driverId: me.userId, reservationId: '', tripId: tripB }));
    expect((await as(me, () => h.client.listOffers({ driverId: me.userId }))).offers).toHaveLength(1);
    await expect(as(passenger, () => h.client.reserveDriver({ driverId: me.userId, tripId: tripB, ttlSeconds: 20, pickup: here, dropoff: here, fare: { amount: 1, currency: 'VND' } }))).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const onTrip = await as(tripService, () => h.client.setDriverTripStatus({ driverId: me.userId, tripId: tripA, status: DriverStatus.DRIVER_STATUS_ON_TRIP }));
    expect(onTrip.profile?.status).toBe(DriverStatus.DRIVER_STATUS_ON_TRIP);
    expect((await as(me, () => h.client.listOffers({ driverId: me.userId }))).offers).toEqual([]);
    await as(me, () => h.client.updateLocation({ driverId: me.userId, point: point(north(here, 260)) }));
    expect(await nearby(h, here)).toEqual([]);
    await expect(as(tripService, () => h.client.setDriverTripStatus({ driverId: me.userId, tripId: tripB, status: DriverStatus.DRIVER_STATUS_ON_TRIP }))).rejects.toMatchObject({ code: 'DRIVER_BUSY' });
    await expect(as(me, () => h.client.goOffline({ driverId: me.userId }))).rejects.toMatchObject({ code: 'DRIVER_BUSY' });
    await as(tripService, () => h.client.setDriverTripStatus({ driverId: me.userId, tripId: tripA, status: DriverStatus.DRIVER_STATUS_AVAILABLE }));
    expect(await nearby(h, here)).toEqual([me.userId]);
    await as(tripService, () => h.client.releaseDriver({ driverId: me.userId, reservationId: held.reservationId, tripId: '' }));
  });

  it('never lets a driver online when the user service cannot be asked', async () => {
    const h = harness();
    const me = await aDriver(h);
    h.stopUserService();
    await expect(as(me, () => h.client.goOnline({ driverId: me.userId }))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect((await as(me, () => h.client.getDriverProfile({ driverId: me.userId }))).profile?.status).toBe(DriverStatus.DRIVER_STATUS_OFFLINE);
  });
}
