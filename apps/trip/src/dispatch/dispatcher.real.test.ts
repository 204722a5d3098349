import { describeReal } from '@uitgo/kit/testing';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as schema from '../db/schema.js';
import { aPassenger, nextArea, north, onlineDriver, requestTrip } from '../test/actors.js';
import { startRealTripService, type TripInstance, type TripServiceHarness } from '../test/harness.js';
import { eventually } from '../test/testClock.js';

await describeReal('Dispatch with two trip service replicas on one database', ['postgres', 'redis', 'kafka', 's3', 'dynamodb'], () => {
  let h: TripServiceHarness;
  let replica: TripInstance;
  beforeAll(async () => {
    h = await startRealTripService();
    replica = await h.startReplica();
  });
  afterAll(() => h?.stop());

  const offersOf = (tripIds: string[]) => h.db.select().from(schema.offers).where(inArray(schema.offers.tripId, tripIds));
  const eventsOf = (tripIds: string[], type: string) =>
    h.db.select().from(schema.outbox).where(and(inArray(schema.outbox.key, tripIds), eq(schema.outbox.type, type)));

  it('handles every offer deadline exactly once, whichever replica gets there, and survives a replica leaving', async () => {
    const here = nextArea();
    // Enough drivers that every trip finds one it has not asked in every round, whichever way the
    // six concurrent searches share them and even while the previous round's holds are still being
    // released: at most 12 held, 3 asked before and 5 taken by the other trips leaves 4 of 24. With
    // 12, a trip could be left with none and count an attempt without an offer.
    for (let i = 0; i < 24; i++) await onlineDriver(h, north(here, 100 + i * 40));
    const trips = await Promise.all(Array.from({ length: 6 }, (_, i) => requestTrip(h, aPassenger(), north(here, i * 40))));
    const ids = trips.map((t) => t.id);
    const pendingCount = async () => (await offersOf(ids)).filter((o) => o.status === 'pending').length;
    await eventually(async () => ((await pendingCount()) === 6 ? true : undefined));
    try {
      // Two rounds of deadlines raced by both replicas' dispatchers (their polls and explicit passes).
      for (let round = 2; round <= 3; round++) {
        h.clock.advance(15_001);
        await Promise.all([h.parts.dispatcher.runDue(), replica.parts.dispatcher.runDue(), h.parts.dispatcher.runDue(), replica.parts.dispatcher.runDue()]);
        await eventually(async () => {
          const offers = await offersOf(ids);
          return offers.filter((o) => o.status === 'pending' && o.attempt === round).length === 6 ? true : undefined;
        });
      }
      // The first replica stops dispatching: the deadlines live in the database, the other one carries on.
      await h.parts.dispatcher.stop();
      h.clock.advance(15_001);
      await eventually(async () => ((await offersOf(ids)).filter((o) => o.status === 'pending' && o.attempt === 4).length === 6 ? true : undefined));
    } finally {
      h.clock.reset();
    }
    const offers = await offersOf(ids);
    expect(offers).toHaveLength(24);
    for (const id of ids) expect(offers.filter((o) => o.tripId === id).map((o) => o.attempt).sort()).toEqual([1, 2, 3, 4]);
    expect(new Set(offers.filter((o) => o.status === 'pending').map((o) => o.driverId)).size).toBe(6);
    expect(offers.filter((o) => o.status === 'expired')).toHaveLength(18);
    // Exactly once: one offered event per offer, one expiry event per expired offer.
    expect(await eventsOf(ids, 'trip.v1.offered')).toHaveLength(24);
    const expiries = await eventsOf(ids, 'trip.v1.offer_expired');
    expect(expiries).toHaveLength(18);
    expect(new Set(expiries.map((e) => `${e.key}:${(e.payload as { driverId: string }).driverId}`)).size).toBe(18);
  }, 60_000);
});
