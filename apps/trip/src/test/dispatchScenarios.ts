import { driver, trip as proto } from '@uitgo/grpc';
import { expect, it } from 'vitest';
import { aPassenger, anAdmin, as, eventTypes, nextArea, north, offersOf, onlineDriver, pendingOffer, requestTrip, tripStatus, TripStatus } from './actors.js';
import type { TripServiceHarness } from './harness.js';
import { eventually } from './testClock.js';

const OFFER_TTL_MS = 15_000;

/** Moves time past the live offer's deadline and lets the dispatcher act on it. */
async function expireOffer(h: TripServiceHarness) {
  h.clock.advance(OFFER_TTL_MS + 1);
  await h.parts.dispatcher.runDue();
}

const nearbyIds = async (h: TripServiceHarness, where: { lat: number; lng: number }) =>
  (await h.drivers.searchNearbyDrivers({ center: where, radiusM: 3_000, limit: 10, vehicleType: 0 }, as(anAdmin()))).drivers.map((d) => d.driverId);

/** Runs a test part that moves the harness clock, and puts the clock back to real time after it, pass or fail. */
async function withMovedClock(h: TripServiceHarness, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } finally {
    h.clock.reset();
  }
}

/** Waits until the trip's row counts `attempts` dispatch attempts. */
const attemptsReached = (h: TripServiceHarness, tripId: string, attempts: number) =>
  eventually(async () => {
    const [row] = await h.db.query.trips.findMany({ where: (t, { eq }) => eq(t.id, tripId) });
    return row!.dispatchAttempts >= attempts ? true : undefined;
  });

/** Waits until dispatch gave the trip up: CANCELED by the system, NO_DRIVER_AVAILABLE. */
async function gaveUp(h: TripServiceHarness, tripId: string) {
  await eventually(async () => ((await tripStatus(h, tripId)) === 'CANCELED' ? true : undefined));
  const read = await h.client.getTrip({ tripId }, as(anAdmin()));
  expect(read.trip).toMatchObject({ status: TripStatus.TRIP_STATUS_CANCELED, cancelReason: 'NO_DRIVER_AVAILABLE', canceledBy: proto.CancelActor.CANCEL_ACTOR_SYSTEM });
}

/** Dispatch: the nearest driver first, declines and expiries to the next, no driver, cancel paths, live streams. */
/** Drivers 200 m and 700 m north of a fresh area, and a trip requested there (the first is nearer: offered first). */
async function twoDriversAndARequest(h: TripServiceHarness) {
  const here = nextArea();
  const first = await onlineDriver(h, north(here, 200));
  const second = await onlineDriver(h, north(here, 700));
  const trip = await requestTrip(h, aPassenger(), here);
  return { h, first, second, trip };
}

export function dispatchScenarios(harness: () => TripServiceHarness) {
  it('offers the nearest driver first and moves to the next on decline and on expiry, releasing each hold', async () => {
    const h = harness();
    const here = nextArea();
    const near = await onlineDriver(h, north(here, 200));
    const middle = await onlineDriver(h, north(here, 600));
    const far = await onlineDriver(h, north(here, 1_000));
    const trip = await requestTrip(h, aPassenger(), here);
    await withMovedClock(h, async () => {
      expect((await pendingOffer(h, trip.id, 1)).driverId).toBe(near.userId);
      const declined = await h.client.declineTrip({ tripId: trip.id, driverId: near.userId }, as(near));
      expect(declined.trip?.status).toBe(TripStatus.TRIP_STATUS_REQUESTED);
      await expect(h.client.acceptTrip({ tripId: trip.id, driverId: near.userId }, as(near))).rejects.toMatchObject({ code: 'OFFER_NOT_ACTIVE' });
      expect((await pendingOffer(h, trip.id, 2)).driverId).toBe(middle.userId);
      await eventually(async () => ((await nearbyIds(h, here)).includes(near.userId) ? true : undefined));

      await expireOffer(h);
      // The next candidate; an attempt whose search found nobody in between would not change that.
      await pendingOffer(h, trip.id, far.userId);
      await expect(h.client.acceptTrip({ tripId: trip.id, driverId: middle.userId }, as(middle))).rejects.toMatchObject({ code: 'OFFER_NOT_ACTIVE' });
      await eventually(async () => ((await nearbyIds(h, here)).includes(middle.userId) ? true : undefined));
      await h.client.acceptTrip({ tripId: trip.id, driverId: far.userId }, as(far));
      expect((await offersOf(h, trip.id)).map((o) => o.status)).toEqual(['declined', 'expired', 'accepted']);
      expect(await eventTypes(h, trip.id)).toEqual([
        'trip.v1.requested',
        'trip.v1.offered',
        'trip.v1.offer_expired',
        'trip.v1.offered',
        'trip.v1.offer_expired',
        'trip.v1.offered',
        'trip.v1.assigned',
      ]);
    });
  });

  it('cancels with NO_DRIVER_AVAILABLE after the configured attempts find nobody', async () => {
    const h = harness();
    const trip = await requestTrip(h, aPassenger(), nextArea());
    await withMovedClock(h, async () => {
      for (let attempt = 1; attempt <= 5; attempt++) {
        await attemptsReached(h, trip.id, attempt);
        h.clock.advance(1_001);
        await h.parts.dispatcher.runDue();
      }
      await gaveUp(h, trip.id);
      expect((await eventTypes(h, trip.id)).at(-1)).toBe('trip.v1.canceled');
    });
  });

  it('withdraws a live offer when the passenger cancels and frees the driver', async () => {
    const h = harness();
    const here = nextArea();
    const me = await onlineDriver(h, north(here, 300));
    const passenger = aPassenger();
    const trip = await requestTrip(h, passenger, here);
    await pendingOffer(h, trip.id);
    const canceled = await h.client.cancelTrip({ tripId: trip.id, reason: 'found a friend' }, as(passenger));
    expect(canceled.trip).toMatchObject({ status: TripStatus.TRIP_STATUS_CANCELED, canceledBy: proto.CancelActor.CANCEL_ACTOR_PASSENGER, cancelReason: 'found a friend' });
    expect((await offersOf(h, trip.id)).map((o) => o.status)).toEqual(['withdrawn']);
    await expect(h.client.acceptTrip({ tripId: trip.id, driverId: me.userId }, as(me))).rejects.toMatchObject({ code: 'OFFER_NOT_ACTIVE' });
    await eventually(async () => ((await nearbyIds(h, here)).includes(me.userId) ? true : undefined));
    expect(await eventTypes(h, trip.id)).toEqual(['trip.v1.requested', 'trip.v1.offered', 'trip.v1.offer_expired', 'trip.v1.canceled']);
  });

  it('sends the trip back to dispatch when the assigned driver gives it up, and lets an admin cancel a ride in progress', async () => {
    const { h, first, second, trip } = await twoDriversAndARequest(harness());
    expect((await pendingOffer(h, trip.id, 1)).driverId).toBe(first.userId);
    await h.client.acceptTrip({ tripId: trip.id, driverId: first.userId }, as(first));
    const back = await h.client.cancelTrip({ tripId: trip.id, reason: 'flat tyre' }, as(first));
    expect(back.trip).toMatchObject({ status: TripStatus.TRIP_STATUS_REQUESTED, canceledBy: proto.CancelActor.CANCEL_ACTOR_UNSPECIFIED });
    expect(back.trip?.driverId).toBeUndefined();
    expect((await pendingOffer(h, trip.id, 2)).driverId).toBe(second.userId);
    const status = async (driverId: string) => (await h.drivers.getDriverProfile({ driverId }, as(anAdmin()))).profile?.status;
    await eventually(async () => ((await status(first.userId)) === driver.DriverStatus.DRIVER_STATUS_AVAILABLE ? true : undefined));
    await h.client.acceptTrip({ tripId: trip.id, driverId: second.userId }, as(second));
    await h.client.arriveTrip({ tripId: trip.id, driverId: second.userId }, as(second));
    await h.client.startTrip({ tripId: trip.id, driverId: second.userId }, as(second));
    await expect(h.client.cancelTrip({ tripId: trip.id }, as(second))).rejects.toMatchObject({ code: 'INVALID_TRIP_TRANSITION' });
    const byAdmin = await h.client.cancelTrip({ tripId: trip.id, reason: 'incident' }, as(anAdmin()));
    expect(byAdmin.trip).toMatchObject({ status: TripStatus.TRIP_STATUS_CANCELED, canceledBy: proto.CancelActor.CANCEL_ACTOR_ADMIN });
    await eventually(async () => ((await status(second.userId)) === driver.DriverStatus.DRIVER_STATUS_AVAILABLE ? true : undefined));
    expect(await eventTypes(h, trip.id)).toEqual([
      'trip.v1.requested',
      'trip.v1.offered',
      'trip.v1.assigned',
      'trip.v1.requested',
      'trip.v1.offered',
      'trip.v1.assigned',
      'trip.v1.arrived',
      'trip.v1.started',
      'trip.v1.canceled',
    ]);
  });

  it('starts a new dispatch round when a driver gives the trip back long after the request', async () => {
    const { h, first, second, trip } = await twoDriversAndARequest(harness());
    await withMovedClock(h, async () => {
      expect((await pendingOffer(h, trip.id, 1)).driverId).toBe(first.userId);
      await h.client.acceptTrip({ tripId: trip.id, driverId: first.userId }, as(first));
      // Three minutes on the way: well past the 2 minutes a round of dispatch may take.
      h.clock.advance(180_000);
      const back = await h.client.cancelTrip({ tripId: trip.id, reason: 'flat tyre' }, as(first));
      expect(back.trip?.status).toBe(TripStatus.TRIP_STATUS_REQUESTED);
      // The round starts over from the first radius (2 km; the second driver is 700 m away), the first driver is not asked again.
      expect((await pendingOffer(h, trip.id, 2)).driverId).toBe(second.userId);
      expect(await tripStatus(h, trip.id)).toBe('REQUESTED');
      const [row] = await h.db.query.trips.findMany({ where: (t, { eq }) => eq(t.id, trip.id) });
      expect(row).toMatchObject({ dispatchAttempts: 2, dispatchAttemptsBeforeRound: 1, dispatchStartedAt: back.trip!.updateTime });
      await h.client.acceptTrip({ tripId: trip.id, driverId: second.userId }, as(second));
      expect(await eventTypes(h, trip.id)).toEqual(['trip.v1.requested', 'trip.v1.offered', 'trip.v1.assigned', 'trip.v1.requested', 'trip.v1.offered', 'trip.v1.assigned']);
      await h.client.cancelTrip({ tripId: trip.id, reason: 'test over' }, as(anAdmin()));
    });
  });

  it('still gives up with NO_DRIVER_AVAILABLE when a new round finds nobody in time', async () => {
    const h = harness();
    const here = nextArea();
    const me = await onlineDriver(h, north(here, 200));
    const trip = await requestTrip(h, aPassenger(), here);
    await withMovedClock(h, async () => {
      await pendingOffer(h, trip.id, me.userId);
      await h.client.acceptTrip({ tripId: trip.id, driverId: me.userId }, as(me));
      h.clock.advance(180_000);
      await h.client.cancelTrip({ tripId: trip.id }, as(me));
      // Nobody else around: the new round searches, then runs out of time like any other.
      await attemptsReached(h, trip.id, 2);
      expect(await tripStatus(h, trip.id)).toBe('REQUESTED');
      h.clock.advance(120_000);
      await h.parts.dispatcher.runDue();
      await gaveUp(h, trip.id);
    });
  });

  it('streams a driver\'s offers and a trip\'s changes to watchers, current state first', async () => {
    const h = harness();
    const here = nextArea();
    const me = await onlineDriver(h, north(here, 300));
    const passenger = aPassenger();
    const abort = new AbortController();
    const offers = h.client.watchDriverOffers({ driverId: me.userId }, { ...as(me), signal: abort.signal })[Symbol.asyncIterator]();
    const firstOffer = offers.next();
    const trip = await requestTrip(h, passenger, here);
    const offered = await Promise.race([firstOffer, pendingOffer(h, trip.id).then(() => firstOffer)]);
    expect(offered.value).toMatchObject({ type: proto.OfferEventType.OFFER_EVENT_TYPE_OFFERED, driverId: me.userId, offer: { tripId: trip.id } });

    const watch = h.client.watchTrip({ tripId: trip.id }, { ...as(passenger), signal: abort.signal })[Symbol.asyncIterator]();
    expect((await watch.next()).value?.trip?.status).toBe(TripStatus.TRIP_STATUS_REQUESTED);
    await h.client.acceptTrip({ tripId: trip.id, driverId: me.userId }, as(me));
    expect((await watch.next()).value?.trip).toMatchObject({ status: TripStatus.TRIP_STATUS_DRIVER_ASSIGNED, driverId: me.userId });
    await h.client.cancelTrip({ tripId: trip.id }, as(passenger));
    expect((await watch.next()).value?.trip?.status).toBe(TripStatus.TRIP_STATUS_CANCELED);
    expect((await watch.next()).done).toBe(true);
    await expect(h.client.watchTrip({ tripId: trip.id }, as(aPassenger()))[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    abort.abort();
    await offers.next().catch(() => undefined);
  });
}
