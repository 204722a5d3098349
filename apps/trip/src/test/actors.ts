import { randomUUID } from 'node:crypto';
import { common, trip as proto } from '@uitgo/grpc';
import type { Caller } from '@uitgo/kit';
import { and, asc, eq } from 'drizzle-orm';
import * as schema from '../db/schema.js';
import type { TripServiceHarness } from './harness.js';
import { eventually } from './testClock.js';

export type Point = { lat: number; lng: number };

/** Call options that carry `caller` as the gateway would. */
export const as = (caller: Caller) => ({ context: { traceId: randomUUID().replaceAll('-', ''), caller } });

export const aPassenger = (): Caller => ({ userId: randomUUID(), role: 'passenger' });
export const anAdmin = (): Caller => ({ userId: randomUUID(), role: 'admin' });

let areas = 0;
/** Each scenario works around its own point, 25 km from the others, so they never see each other's drivers. */
export const nextArea = (): Point => ({ lat: 10.0 + (areas += 0.25), lng: 106.7 });
export const north = (from: Point, m: number): Point => ({ lat: from.lat + m / 111_195, lng: from.lng });

export const CAR4 = common.VehicleType.VEHICLE_TYPE_CAR4;

/** A verified driver with a car, online at `where`. */
export async function onlineDriver(h: TripServiceHarness, where: Point, vehicleType = CAR4): Promise<Caller> {
  const me: Caller = { userId: randomUUID(), role: 'driver' };
  const plate = `51F-${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}${String.fromCharCode(65 + Math.floor(Math.random() * 26))}`;
  await h.drivers.upsertDriverProfile({ driverId: me.userId, vehicleType, plateNumber: plate, vehicleModel: 'Toyota Vios' }, as(me));
  await h.drivers.goOnline({ driverId: me.userId }, as(me));
  await h.drivers.updateLocation({ driverId: me.userId, point: { location: where, recordedTime: new Date() } }, as(me));
  return me;
}

export const routeFrom = (pickup: Point, m = 5_000) => ({ pickup, dropoff: north(pickup, m), vehicleType: CAR4 });

export async function requestTrip(h: TripServiceHarness, passenger: Caller, pickup: Point, key = randomUUID()) {
  const { trip } = await h.client.createTrip({ passengerId: passenger.userId, idempotencyKey: key, source: { $case: 'route', value: routeFrom(pickup) } }, as(passenger));
  return trip!;
}

export const offersOf = (h: TripServiceHarness, tripId: string) =>
  h.db.select().from(schema.offers).where(eq(schema.offers.tripId, tripId)).orderBy(asc(schema.offers.attempt));

/** Waits for the trip's live offer (the attempt number or the driver, if given). */
export const pendingOffer = (h: TripServiceHarness, tripId: string, which?: number | string) =>
  eventually(async () => {
    const [offer] = await h.db
      .select()
      .from(schema.offers)
      .where(and(eq(schema.offers.tripId, tripId), eq(schema.offers.status, 'pending')));
    const matches = which === undefined || (typeof which === 'number' ? offer?.attempt === which : offer?.driverId === which);
    return offer && matches ? offer : undefined;
  });

export const eventTypes = (h: TripServiceHarness, tripId: string) =>
  h.db
    .select({ type: schema.outbox.type })
    .from(schema.outbox)
    .where(eq(schema.outbox.key, tripId))
    .orderBy(asc(schema.outbox.id))
    .then((rows) => rows.map((r) => r.type));

export const tripStatus = async (h: TripServiceHarness, tripId: string) => {
  const [row] = await h.db.select({ status: schema.trips.status }).from(schema.trips).where(eq(schema.trips.id, tripId));
  return row?.status;
};

export const { TripStatus } = proto;

/** The error code of a settled call ('OK' if it succeeded). */
export const codeOf = (outcome: PromiseSettledResult<unknown>) => (outcome.status === 'fulfilled' ? 'OK' : (outcome.reason as { code?: string }).code);
/** How many settled calls ended with each code. */
export const tally = (outcomes: PromiseSettledResult<unknown>[]) => outcomes.map(codeOf).reduce<Record<string, number>>((t, c) => ({ ...t, [c ?? '?']: (t[c ?? '?'] ?? 0) + 1 }), {});
