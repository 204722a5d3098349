import { randomUUID } from 'node:crypto';
import { driver } from '@uitgo/grpc';
import { pdfText } from '@uitgo/kit/testing';
import { expect, it } from 'vitest';
import { rebuildReadModel } from '../readModel/rebuildReadModel.js';
import { receiptKey } from '../receipts/receiptKeys.js';
import { aPassenger, anAdmin, as, eventTypes, nextArea, north, onlineDriver, pendingOffer, requestTrip, routeFrom, TripStatus } from './actors.js';
import type { TripServiceHarness } from './harness.js';
import { receiptRow } from './receiptFixtures.js';
import { eventually } from './testClock.js';

const driverStatus = async (h: TripServiceHarness, driverId: string) =>
  (await h.drivers.getDriverProfile({ driverId }, as(anAdmin()))).profile?.status;

/** Quotes, requests, the lifecycle with its events, reads, ratings and receipts, through gRPC. */
export function tripScenarios(harness: () => TripServiceHarness) {
  it('quotes a route, books it at the quoted price, and refuses expired, foreign and invalid quotes', async () => {
    const h = harness();
    const here = nextArea();
    const passenger = aPassenger();
    const quote = await h.client.quoteTrip({ passengerId: passenger.userId, route: routeFrom(here, 5_000) }, as(passenger));
    expect(quote).toMatchObject({ distanceM: 6_500, surgeMultiplier: 1, fare: { currency: 'VND' } });
    expect(quote.fare!.amount % 1_000).toBe(0);
    expect(quote.fare!.breakdown.reduce((t, l) => t + l.amount, 0)).toBe(quote.fare!.amount);
    expect(quote.expireTime!.getTime() - h.clock.now()).toBeGreaterThan(290_000);

    const other = aPassenger();
    await expect(h.client.createTrip({ passengerId: other.userId, idempotencyKey: 'k1', source: { $case: 'quoteId', value: quote.quoteId } }, as(other))).rejects.toMatchObject({ code: 'QUOTE_NOT_FOUND' });
    const { trip } = await h.client.createTrip({ passengerId: passenger.userId, idempotencyKey: 'k1', source: { $case: 'quoteId', value: quote.quoteId } }, as(passenger));
    expect(trip).toMatchObject({ status: TripStatus.TRIP_STATUS_REQUESTED, passengerId: passenger.userId, quote: { amount: quote.fare!.amount, surgeMultiplier: 1 }, distanceM: 6_500 });
    await h.client.cancelTrip({ tripId: trip!.id }, as(passenger));

    const later = await h.client.quoteTrip({ passengerId: passenger.userId, route: routeFrom(here) }, as(passenger));
    h.clock.advance(301_000);
    try {
      await expect(h.client.createTrip({ passengerId: passenger.userId, idempotencyKey: 'k2', source: { $case: 'quoteId', value: later.quoteId } }, as(passenger))).rejects.toMatchObject({ code: 'QUOTE_EXPIRED' });
    } finally {
      h.clock.reset();
    }
    const quoteOf = (route: ReturnType<typeof routeFrom>) => h.client.quoteTrip({ passengerId: passenger.userId, route }, as(passenger));
    await expect(quoteOf({ ...routeFrom(here), dropoff: here })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ path: 'dropoff' }] } });
    await expect(quoteOf(routeFrom(here, 150_000))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(quoteOf({ ...routeFrom(here), pickup: { lat: 95, lng: 0 } })).rejects.toMatchObject({ details: { fields: [{ path: 'pickup.lat' }] } });
    await expect(quoteOf({ ...routeFrom(here), vehicleType: 0 })).rejects.toMatchObject({ details: { fields: [{ path: 'vehicleType' }] } });
    await expect(h.client.quoteTrip({ passengerId: passenger.userId, route: routeFrom(here) }, as({ userId: randomUUID(), role: 'driver' }))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('answers a batch of trip reads each for its own caller, and only to a service', async () => {
    const h = harness();
    const passenger = aPassenger();
    const trip = await requestTrip(h, passenger, nextArea());
    const lookup = (tripId: string, caller: { userId: string; role: string }) => ({ tripId, caller: JSON.stringify(caller), traceId: `trace-${caller.userId}` });
    const { results } = await h.client.batchGetTrips(
      { lookups: [lookup(trip.id, passenger), lookup(trip.id, aPassenger()), lookup(randomUUID(), anAdmin()), lookup(trip.id, anAdmin()), { tripId: trip.id, caller: '', traceId: '' }] },
      as({ userId: 'gateway', role: 'service' }),
    );
    const errorOf = (i: number) => (results[i]?.result?.$case === 'error' ? JSON.parse(results[i].result.value).code : undefined);
    expect(results[0]?.result).toEqual({ $case: 'trip', value: (await h.client.getTrip({ tripId: trip.id }, as(passenger))).trip });
    expect([errorOf(1), errorOf(2), errorOf(4)]).toEqual(['FORBIDDEN', 'TRIP_NOT_FOUND', 'UNAUTHENTICATED']);
    expect(results[3]?.result).toMatchObject({ $case: 'trip', value: { id: trip.id } });
    await expect(h.client.batchGetTrips({ lookups: [lookup(trip.id, passenger)] }, as(passenger))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const tooMany = Array.from({ length: 257 }, () => lookup(trip.id, passenger));
    await expect(h.client.batchGetTrips({ lookups: tooMany }, as({ userId: 'gateway', role: 'service' }))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('answers a repeated idempotency key with the first trip and keeps one active trip per passenger', async () => {
    const h = harness();
    const here = nextArea();
    const passenger = aPassenger();
    const create = (key: string, m = 5_000) => h.client.createTrip({ passengerId: passenger.userId, idempotencyKey: key, source: { $case: 'route', value: routeFrom(here, m) } }, as(passenger));
    const first = await create('same-key');
    const again = await create('same-key');
    expect(again).toEqual({ trip: first.trip, replayed: true });
    await expect(create('same-key', 6_000)).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    await expect(create('other-key')).rejects.toMatchObject({ code: 'ACTIVE_TRIP_EXISTS' });
    await expect(create('')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await h.client.cancelTrip({ tripId: first.trip!.id }, as(passenger));
    expect((await create('other-key')).replayed).toBe(false);
  });

  it('runs a trip from request to rating: offer, accept, arrive, start, complete on the track, events in order', async () => {
    const h = harness();
    const here = nextArea();
    const me = await onlineDriver(h, north(here, 300));
    h.users.nameUser(me.userId, 'Phạm Minh Tuấn');
    const passenger = aPassenger();
    const trip = await requestTrip(h, passenger, here);
    const offer = await pendingOffer(h, trip.id);
    expect(offer).toMatchObject({ driverId: me.userId, attempt: 1, fareAmount: trip.quote!.amount });
    expect((await h.drivers.listOffers({ driverId: me.userId }, as(me))).offers).toEqual([expect.objectContaining({ tripId: trip.id })]);
    expect((await h.client.listDriverOffers({ driverId: me.userId }, as(me))).offers).toEqual([
      { tripId: trip.id, reservationId: offer.reservationId, pickup: trip.pickup, dropoff: trip.dropoff, fare: { amount: trip.quote!.amount, currency: 'VND' }, expireTime: offer.expiresAt },
    ]);

    const stranger = await onlineDriver(h, nextArea());
    expect((await h.client.listDriverOffers({ driverId: stranger.userId }, as(stranger))).offers).toEqual([]);
    await expect(h.client.listDriverOffers({ driverId: me.userId }, as(stranger))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(h.client.acceptTrip({ tripId: trip.id, driverId: stranger.userId }, as(stranger))).rejects.toMatchObject({ code: 'OFFER_NOT_FOUND' });
    await expect(h.client.getTrip({ tripId: trip.id }, as(stranger))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await h.client.getTrip({ tripId: trip.id }, as(me))).trip?.status).toBe(TripStatus.TRIP_STATUS_REQUESTED);
    await expect(h.client.startTrip({ tripId: trip.id, driverId: me.userId }, as(me))).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const accepted = await h.client.acceptTrip({ tripId: trip.id, driverId: me.userId }, as(me));
    expect(accepted.trip).toMatchObject({ status: TripStatus.TRIP_STATUS_DRIVER_ASSIGNED, driverId: me.userId });
    await eventually(async () => ((await driverStatus(h, me.userId)) === driver.DriverStatus.DRIVER_STATUS_ON_TRIP ? true : undefined));
    await expect(h.client.startTrip({ tripId: trip.id, driverId: me.userId }, as(me))).rejects.toMatchObject({ code: 'INVALID_TRIP_TRANSITION' });
    await h.client.arriveTrip({ tripId: trip.id, driverId: me.userId }, as(me));
    await expect(h.client.cancelTrip({ tripId: trip.id }, as(aPassenger()))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await h.client.startTrip({ tripId: trip.id, driverId: me.userId }, as(me));
    await expect(h.client.cancelTrip({ tripId: trip.id }, as(passenger))).rejects.toMatchObject({ code: 'INVALID_TRIP_TRANSITION' });

    // The ride: 7.2 km north in 3 points, archived by the driver service.
    const started = Date.now();
    const points = [0, 3_600, 7_200].map((m, i) => ({ location: north(here, m), recordedTime: new Date(started + 10 + i) }));
    await h.drivers.recordLocations({ driverId: me.userId, points }, as(me));
    await eventually(async () => {
      const track = await h.drivers.getLocationTrack({ driverId: me.userId, startTime: new Date(started), endTime: new Date(started + 1_000), pageSize: 0, pageToken: '' }, as(anAdmin()));
      return track.points.length === 3 ? true : undefined;
    });
    while (Date.now() <= started + 20) await new Promise((r) => setImmediate(r));
    const completed = await h.client.completeTrip({ tripId: trip.id, driverId: me.userId }, as(me));
    expect(completed.trip).toMatchObject({ status: TripStatus.TRIP_STATUS_COMPLETED, distanceM: expect.closeTo(7_200, -1) });
    // Billed on the track (7.2 km), not the quoted 6.5 km.
    expect(completed.trip!.fare!.breakdown.find((l) => l.code === 'distance')).toMatchObject({ label: 'Distance 7.2 km', amount: 72_000 });
    await eventually(async () => ((await driverStatus(h, me.userId)) === driver.DriverStatus.DRIVER_STATUS_AVAILABLE ? true : undefined));

    expect(await eventTypes(h, trip.id)).toEqual(['trip.v1.requested', 'trip.v1.offered', 'trip.v1.assigned', 'trip.v1.arrived', 'trip.v1.started', 'trip.v1.completed']);
    const read = await eventually(async () => {
      const got = await h.parts.readModel.get(trip.id);
      return got?.status === 'COMPLETED' ? got : undefined;
    });
    expect(read.fare?.amount).toBe(completed.trip!.fare!.amount);
    expect((await h.client.getTrip({ tripId: trip.id }, as(passenger))).trip).toEqual(completed.trip);

    await expect(h.client.rateTrip({ tripId: trip.id, passengerId: passenger.userId, stars: 6 }, as(passenger))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(h.client.rateTrip({ tripId: trip.id, passengerId: me.userId, stars: 5 }, as(me))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const rated = await h.client.rateTrip({ tripId: trip.id, passengerId: passenger.userId, stars: 5, comment: 'smooth' }, as(passenger));
    expect(rated.rating).toMatchObject({ tripId: trip.id, driverId: me.userId, stars: 5, comment: 'smooth' });
    await expect(h.client.rateTrip({ tripId: trip.id, passengerId: passenger.userId, stars: 4 }, as(passenger))).rejects.toMatchObject({ code: 'ALREADY_RATED' });
    expect((await eventTypes(h, trip.id)).at(-1)).toBe('trip.v1.rated');

    const receipt = await h.client.getReceipt({ tripId: trip.id }, as(passenger));
    expect(receipt.expireTime!.getTime()).toBeGreaterThan(Date.now());
    const stored = await eventually(async () => (await h.objects.get(receiptKey(trip.id))) ?? undefined);
    expect(stored.contentType).toBe('application/pdf');
    expect(stored.body.subarray(0, 5).toString()).toBe('%PDF-');
    // The driver by the name the user service has for them (asked as the trip service), and their car.
    const text = pdfText(stored.body);
    expect([receiptRow(text, 'Driver'), receiptRow(text, 'Vehicle')]).toEqual(['Pham Minh Tuan', expect.stringMatching(/^Car, 4 seats - Toyota Vios \(51F-\d{5}[A-Z]\)$/)]);
    expect(h.users.profileRequests.find((r) => r.userId === me.userId)?.context.caller).toEqual({ userId: 'trip-service', role: 'service' });
    if (h.mode === 'real') {
      const download = await fetch(receipt.url);
      expect(download.status).toBe(200);
      expect(Buffer.compare(Buffer.from(await download.arrayBuffer()), stored.body)).toBe(0);
    }
    await expect(h.client.getReceipt({ tripId: trip.id }, as(stranger))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('keeps the newest state in the read model when transitions share one clock instant', async () => {
    const h = harness();
    const here = nextArea();
    const me = await onlineDriver(h, north(here, 300));
    const passenger = aPassenger();
    // Every step in the same millisecond (as two quick calls, or a replica whose clock is behind, would have them).
    h.clock.freeze();
    try {
      const trip = await requestTrip(h, passenger, here);
      await pendingOffer(h, trip.id, me.userId);
      await h.client.acceptTrip({ tripId: trip.id, driverId: me.userId }, as(me));
      await h.client.arriveTrip({ tripId: trip.id, driverId: me.userId }, as(me));
      const started = await h.client.startTrip({ tripId: trip.id, driverId: me.userId }, as(me));
      expect(started.trip?.status).toBe(TripStatus.TRIP_STATUS_IN_TRIP);
      // Neither the write-through nor the projector dropped a change: the read model (what GetTrip serves) has the last one.
      const read = await eventually(async () => {
        const got = await h.parts.readModel.get(trip.id);
        return got?.status === 'IN_TRIP' ? got : undefined;
      }, 5_000);
      expect(read.updatedAt).toBe(started.trip!.updateTime!.toISOString());
      expect((await h.client.getTrip({ tripId: trip.id }, as(passenger))).trip).toEqual(started.trip);
      // Each change is dated 1 ms after the one before (accept, arrive, start).
      expect(started.trip!.updateTime!.getTime()).toBe(trip.createTime!.getTime() + 3);
      await h.client.cancelTrip({ tripId: trip.id, reason: 'test over' }, as(anAdmin()));
      await eventually(async () => ((await h.parts.readModel.get(trip.id))?.status === 'CANCELED' ? true : undefined), 5_000);
    } finally {
      h.clock.reset();
    }
  });

  it('refuses a receipt before completion and lists own trips newest first with a cursor', async () => {
    const h = harness();
    const here = nextArea();
    const passenger = aPassenger();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const trip = await requestTrip(h, passenger, here);
      ids.unshift(trip.id);
      if (i === 0) await expect(h.client.getReceipt({ tripId: trip.id }, as(passenger))).rejects.toMatchObject({ code: 'TRIP_NOT_COMPLETED' });
      await h.client.cancelTrip({ tripId: trip.id, reason: 'testing' }, as(passenger));
    }
    const first = await h.client.listTrips({ passengerId: passenger.userId, status: 0, pageSize: 2, pageToken: '' }, as(passenger));
    expect(first.trips.map((t) => t.id)).toEqual(ids.slice(0, 2));
    const second = await h.client.listTrips({ passengerId: passenger.userId, status: 0, pageSize: 2, pageToken: first.nextPageToken }, as(passenger));
    expect(second).toMatchObject({ trips: [expect.objectContaining({ id: ids[2], status: TripStatus.TRIP_STATUS_CANCELED, cancelReason: 'testing' })], nextPageToken: '' });
    const filtered = await h.client.listTrips({ status: TripStatus.TRIP_STATUS_CANCELED, pageSize: 10, pageToken: '' }, as(passenger));
    expect(filtered.trips.map((t) => t.id)).toEqual(ids);
    await expect(h.client.listTrips({ passengerId: passenger.userId, status: 0, pageSize: 10, pageToken: '' }, as(aPassenger()))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const all = await h.client.listTrips({ status: 0, pageSize: 100, pageToken: '' }, as(anAdmin()));
    expect(all.trips.map((t) => t.id)).toEqual(expect.arrayContaining(ids));
    await expect(h.client.listTrips({ status: 0, pageSize: 10, pageToken: 'bogus' }, as(passenger))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });

    // Lost read model: reads fall back to trips-db and repair it; a rebuild refills it all. The
    // projector may still be applying these trips' events (Kafka, in real mode) and write one
    // back: clear until the loss sticks.
    await eventually(async () => {
      await h.parts.readModel.clear();
      return (await h.parts.readModel.get(ids[0]!)) === null ? true : undefined;
    });
    expect((await h.client.getTrip({ tripId: ids[0]! }, as(passenger))).trip?.id).toBe(ids[0]);
    expect((await h.parts.readModel.get(ids[0]!))?.status).toBe('CANCELED');
    expect((await h.client.listTrips({ passengerId: passenger.userId, status: 0, pageSize: 10, pageToken: '' }, as(passenger))).trips.map((t) => t.id)).toEqual(ids);
    await h.parts.readModel.clear();
    expect(await rebuildReadModel({ trips: h.parts.deps.trips, readModel: h.parts.readModel })).toBeGreaterThanOrEqual(3);
    expect((await h.parts.readModel.list({ kind: 'passenger', id: passenger.userId }, 10)).items.map((t) => t.id)).toEqual(ids);
  });
}
