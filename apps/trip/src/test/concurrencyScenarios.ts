import { randomUUID } from 'node:crypto';
import type { Caller } from '@uitgo/kit';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import * as schema from '../db/schema.js';
import { aPassenger, anAdmin, as, codeOf, nextArea, north, offersOf, onlineDriver, pendingOffer, requestTrip, routeFrom, tally, type Point } from './actors.js';
import type { TripServiceHarness } from './harness.js';
import { eventually } from './testClock.js';

async function fleet(h: TripServiceHarness, here: Point, n: number): Promise<Caller[]> {
  const drivers: Caller[] = [];
  for (let i = 0; i < n; i += 10) drivers.push(...(await Promise.all(Array.from({ length: Math.min(10, n - i) }, (_, j) => onlineDriver(h, north(here, 100 + (i + j) * 20))))));
  return drivers;
}

/** Races at the service level: accepts, declines, expiry, mass requests, repeated idempotency keys. */
export function concurrencyScenarios(harness: () => TripServiceHarness) {
  it('lets exactly one of 50 racing accepts win, and no other driver take the offer', async () => {
    const h = harness();
    const here = nextArea();
    const [offered] = await fleet(h, here, 1);
    const others = Array.from({ length: 49 }, (): Caller => ({ userId: randomUUID(), role: 'driver' }));
    const trip = await requestTrip(h, aPassenger(), here);
    await pendingOffer(h, trip.id, offered!.userId);
    const byOffered = Array.from({ length: 50 }, () => h.client.acceptTrip({ tripId: trip.id, driverId: offered!.userId }, as(offered!)));
    const byOthers = others.map((d) => h.client.acceptTrip({ tripId: trip.id, driverId: d.userId }, as(d)));
    const [mine, theirs] = await Promise.all([Promise.allSettled(byOffered), Promise.allSettled(byOthers)]);
    expect(tally(mine)).toEqual({ OK: 1, OFFER_NOT_ACTIVE: 49 });
    expect(tally(theirs)).toEqual({ OFFER_NOT_FOUND: 49 });
    expect((await offersOf(h, trip.id)).map((o) => o.status)).toEqual(['accepted']);
  });

  it('lets either the accept or the decline win a race, never both', async () => {
    const h = harness();
    const here = nextArea();
    const drivers = await fleet(h, here, 2);
    const trip = await requestTrip(h, aPassenger(), here);
    const offer = await pendingOffer(h, trip.id, 1);
    const driver = drivers.find((d) => d.userId === offer.driverId)!;
    const calls = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0 ? h.client.acceptTrip({ tripId: trip.id, driverId: driver.userId }, as(driver)) : h.client.declineTrip({ tripId: trip.id, driverId: driver.userId }, as(driver)),
    );
    const outcomes = await Promise.allSettled(calls);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const [first] = await offersOf(h, trip.id);
    const [row] = await h.db.select().from(schema.trips).where(eq(schema.trips.id, trip.id));
    if (first!.status === 'accepted') expect(row).toMatchObject({ status: 'DRIVER_ASSIGNED', driverId: driver.userId });
    else expect(first!.status).toBe('declined');
    await h.client.cancelTrip({ tripId: trip.id }, as(anAdmin()));
  });

  it('lets either the accept or the expiry win when the deadline arrives during the accept', async () => {
    const h = harness();
    try {
      for (let round = 0; round < 3; round++) {
        const here = nextArea();
        const [driver] = await fleet(h, here, 1);
        const trip = await requestTrip(h, aPassenger(), here);
        const offer = await pendingOffer(h, trip.id, 1);
        h.clock.advance(offer.expiresAt.getTime() - h.clock.now() + round - 1);
        const [accept] = await Promise.allSettled([h.client.acceptTrip({ tripId: trip.id, driverId: driver!.userId }, as(driver!)), h.parts.dispatcher.runDue()]);
        // A deadline that passed just after the dispatcher looked is handled by its next pass.
        h.clock.advance(1);
        const after = await eventually(async () => {
          const [offer] = await offersOf(h, trip.id);
          return offer!.status === 'pending' ? undefined : offer;
        });
        const [row] = await h.db.select().from(schema.trips).where(eq(schema.trips.id, trip.id));
        if (accept!.status === 'fulfilled') {
          expect(after.status).toBe('accepted');
          expect(row).toMatchObject({ status: 'DRIVER_ASSIGNED', driverId: driver!.userId });
        } else {
          expect(codeOf(accept!)).toBe('OFFER_NOT_ACTIVE');
          expect(after.status).toBe('expired');
          expect(row!.driverId).toBeNull();
        }
        h.clock.reset();
        await h.client.cancelTrip({ tripId: trip.id }, as(anAdmin()));
      }
    } finally {
      h.clock.reset();
    }
  });

  it('creates one trip for 20 racing requests with the same idempotency key', async () => {
    const h = harness();
    const passenger = aPassenger();
    const route = routeFrom(nextArea());
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => h.client.createTrip({ passengerId: passenger.userId, idempotencyKey: 'race-key', source: { $case: 'route', value: route } }, as(passenger))),
    );
    expect(new Set(outcomes.map((o) => o.trip!.id)).size).toBe(1);
    expect(outcomes.filter((o) => !o.replayed)).toHaveLength(1);
    const [count] = await h.db.select({ n: sql<number>`count(*)::int` }).from(schema.trips).where(eq(schema.trips.passengerId, passenger.userId));
    expect(count!.n).toBe(1);
    await h.client.cancelTrip({ tripId: outcomes[0]!.trip!.id }, as(passenger));
  });

  it('gives 200 simultaneous requests over 50 drivers no driver twice and no trip two drivers', async () => {
    const h = harness();
    const here = nextArea();
    const drivers = await fleet(h, here, 50);
    const byId = new Map(drivers.map((d) => [d.userId, d]));
    const trips = await Promise.all(Array.from({ length: 200 }, (_, i) => requestTrip(h, aPassenger(), north(here, (i % 20) * 30))));
    const tripIds = trips.map((t) => t.id);
    // Every driver accepts whatever they are offered, as fast as they can.
    const accepted = new Set<string>();
    await eventually(async () => {
      const live = await h.db.select().from(schema.offers).where(and(inArray(schema.offers.tripId, tripIds), eq(schema.offers.status, 'pending')));
      await Promise.allSettled(live.map(async (o) => {
        await h.client.acceptTrip({ tripId: o.tripId, driverId: o.driverId }, as(byId.get(o.driverId)!));
        accepted.add(o.driverId);
      }));
      return accepted.size === 50 ? true : undefined;
    }, 60_000, 50);
    const rows = await h.db.select().from(schema.trips).where(inArray(schema.trips.id, tripIds));
    const assigned = rows.filter((r) => r.status === 'DRIVER_ASSIGNED');
    expect(assigned).toHaveLength(50);
    expect(new Set(assigned.map((r) => r.driverId)).size).toBe(50);
    expect(rows.filter((r) => r.status !== 'DRIVER_ASSIGNED').every((r) => r.driverId === null && (r.status === 'REQUESTED' || r.status === 'CANCELED'))).toBe(true);
    const acceptedOffers = await h.db.select().from(schema.offers).where(and(inArray(schema.offers.tripId, tripIds), eq(schema.offers.status, 'accepted')));
    expect(acceptedOffers).toHaveLength(50);
    expect(new Set(acceptedOffers.map((o) => o.tripId)).size).toBe(50);
    expect(acceptedOffers.every((o) => assigned.find((r) => r.id === o.tripId)?.driverId === o.driverId)).toBe(true);
    // The rest are canceled so later scenarios find no leftovers.
    await Promise.all(rows.map((r) => h.client.cancelTrip({ tripId: r.id }, as(anAdmin())).catch(() => undefined)));
  }, 120_000);
}
