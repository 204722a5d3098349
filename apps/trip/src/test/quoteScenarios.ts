import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import * as schema from '../db/schema.js';
import { aPassenger, as, nextArea, routeFrom, tally } from './actors.js';
import type { TripServiceHarness } from './harness.js';

/** A quote books one trip: no second trip from it with another key, canceled first or racing; the first key still replays. */
export function quoteScenarios(harness: () => TripServiceHarness) {
  async function aQuote() {
    const h = harness();
    const passenger = aPassenger();
    const quote = await h.client.quoteTrip({ passengerId: passenger.userId, route: routeFrom(nextArea()) }, as(passenger));
    const book = (idempotencyKey: string) => h.client.createTrip({ passengerId: passenger.userId, idempotencyKey, source: { $case: 'quoteId', value: quote.quoteId } }, as(passenger));
    const tripsOf = async () => (await h.db.select({ n: sql<number>`count(*)::int` }).from(schema.trips).where(eq(schema.trips.quoteId, quote.quoteId)))[0]!.n;
    return { passenger, quote, book, tripsOf };
  }

  it('refuses a second trip from a quote, before and after its first trip is canceled, and still replays the first request', async () => {
    const h = harness();
    const { passenger, quote, book, tripsOf } = await aQuote();
    const first = await book('first-key');
    expect(first.replayed).toBe(false);

    const used = { code: 'QUOTE_ALREADY_USED', message: expect.stringContaining('ask for a new one') };
    await expect(book('second-key')).rejects.toMatchObject(used);
    await h.client.cancelTrip({ tripId: first.trip!.id, reason: 'rebooking at the old price' }, as(passenger));
    // The price of a spent quote (a surge, say, has started since) cannot be locked in again.
    await expect(book('second-key')).rejects.toMatchObject(used);
    await expect(book(randomUUID())).rejects.toMatchObject(used);

    const replay = await book('first-key');
    expect(replay).toMatchObject({ replayed: true, trip: { id: first.trip!.id, quote: { amount: quote.fare!.amount } } });
    expect(await tripsOf()).toBe(1);

    // A new quote books a new trip.
    const fresh = await h.client.quoteTrip({ passengerId: passenger.userId, route: routeFrom(nextArea()) }, as(passenger));
    const next = await h.client.createTrip({ passengerId: passenger.userId, idempotencyKey: 'second-key', source: { $case: 'quoteId', value: fresh.quoteId } }, as(passenger));
    expect(next).toMatchObject({ replayed: false, trip: { quote: { amount: fresh.fare!.amount } } });
    await h.client.cancelTrip({ tripId: next.trip!.id }, as(passenger));
  });

  it('books one trip for racing requests with one quote and different keys, replays among them, and none once that trip is canceled', async () => {
    const h = harness();
    const { passenger, book, tripsOf } = await aQuote();
    // Eleven keys, one of them sent ten times: whichever wins, every success is the one trip, and
    // every repeat of the winning key gets it.
    const keys = [...Array.from({ length: 10 }, () => 'repeated-key'), ...Array.from({ length: 10 }, () => randomUUID())];
    const outcomes = await Promise.allSettled(keys.map(book));
    const booked = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(new Set(booked.map((o) => o.trip!.id)).size).toBe(1);
    expect(booked.filter((o) => !o.replayed)).toHaveLength(1);
    const winner = keys[outcomes.findIndex((o) => o.status === 'fulfilled' && !o.value.replayed)];
    expect(tally(outcomes)).toEqual({ OK: keys.filter((k) => k === winner).length, QUOTE_ALREADY_USED: keys.filter((k) => k !== winner).length });
    expect(await tripsOf()).toBe(1);

    await h.client.cancelTrip({ tripId: booked[0]!.trip!.id }, as(passenger));
    const again = await Promise.allSettled(Array.from({ length: 10 }, () => book(randomUUID())));
    expect(tally(again)).toEqual({ QUOTE_ALREADY_USED: 10 });
    expect(await tripsOf()).toBe(1);
  });
}
