import { randomUUID } from 'node:crypto';
import type { Trip } from '@uitgo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TripReadModel } from '../ports/tripReadModel.js';

const t = (ms: number) => new Date(Date.UTC(2025, 10, 26, 4) + ms).toISOString();

function aTrip(overrides: Partial<Trip> = {}): Trip {
  return {
    id: randomUUID(),
    passengerId: randomUUID(),
    driverId: null,
    status: 'REQUESTED',
    vehicleType: 'car4',
    pickup: { lat: 10.77, lng: 106.69 },
    dropoff: { lat: 10.87, lng: 106.8 },
    quote: { amount: 120_000, currency: 'VND', surgeMultiplier: 1 },
    fare: null,
    distanceM: 15_000,
    createdAt: t(0),
    updatedAt: t(0),
    ...overrides,
  };
}

/** The rules every TripReadModel adapter follows; run once per adapter. */
export function tripReadModelContract(name: string, open: () => Promise<TripReadModel>) {
  describe(`TripReadModel contract: ${name}`, () => {
    let model: TripReadModel;
    beforeAll(async () => {
      model = await open();
    });
    afterAll(() => model?.close());

    it('stores a trip and never lets an older state overwrite a newer one', async () => {
      const trip = aTrip();
      expect(await model.put(trip)).toBe(true);
      expect(await model.get(trip.id)).toEqual(trip);
      const assigned = { ...trip, status: 'DRIVER_ASSIGNED' as const, driverId: randomUUID(), updatedAt: t(5_000), assignedAt: t(5_000) };
      expect(await model.put(assigned)).toBe(true);
      expect(await model.put(trip)).toBe(false);
      expect(await model.put({ ...assigned, status: 'ARRIVED' })).toBe(false);
      expect(await model.get(trip.id)).toEqual(assigned);
      expect(await model.get(randomUUID())).toBeNull();
    });

    it('lists per passenger, per driver and all, newest first, page by page', async () => {
      const passengerId = randomUUID();
      const driverId = randomUUID();
      // Two trips share a creation time: the id breaks the tie.
      const created = [0, 1_000, 2_000, 2_000, 3_000];
      const trips = created.map((ms) => aTrip({ passengerId, createdAt: t(ms), updatedAt: t(ms) }));
      for (const trip of trips) await model.put(trip);
      await model.put({ ...trips[1]!, driverId, status: 'DRIVER_ASSIGNED', updatedAt: t(9_000) });
      const expected = [...trips].sort((a, b) => (a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : b.createdAt.localeCompare(a.createdAt))).map((x) => x.id);

      const first = await model.list({ kind: 'passenger', id: passengerId }, 2);
      expect(first.items.map((x) => x.id)).toEqual(expected.slice(0, 2));
      expect(first.incomplete).toBe(false);
      const second = await model.list({ kind: 'passenger', id: passengerId }, 2, first.next!);
      expect(second.items.map((x) => x.id)).toEqual(expected.slice(2, 4));
      const third = await model.list({ kind: 'passenger', id: passengerId }, 2, second.next!);
      expect(third).toEqual({ items: [expect.objectContaining({ id: expected[4] })], next: null, incomplete: false });

      const mine = await model.list({ kind: 'driver', id: driverId }, 10);
      expect(mine.items).toEqual([expect.objectContaining({ id: trips[1]!.id, status: 'DRIVER_ASSIGNED' })]);
      const all = await model.list({ kind: 'all' }, 100);
      expect(all.items.map((x) => x.id)).toEqual(expect.arrayContaining(expected));
      expect(await model.list({ kind: 'passenger', id: randomUUID() }, 10)).toEqual({ items: [], next: null, incomplete: false });
    });

    it('drops a trip from a driver\'s list once the driver no longer has it', async () => {
      const driverId = randomUUID();
      const trip = aTrip({ driverId, status: 'DRIVER_ASSIGNED', updatedAt: t(1_000) });
      await model.put(trip);
      expect((await model.list({ kind: 'driver', id: driverId }, 10)).items).toHaveLength(1);
      await model.put({ ...trip, driverId: null, status: 'REQUESTED', updatedAt: t(2_000) });
      expect(await model.list({ kind: 'driver', id: driverId }, 10)).toEqual({ items: [], next: null, incomplete: false });
    });

    it('forgets everything on clear, its completeness too', async () => {
      const trip = aTrip();
      await model.put(trip);
      await model.markComplete();
      expect(await model.isComplete()).toBe(true);
      await model.clear();
      expect(await model.isComplete()).toBe(false);
      expect(await model.get(trip.id)).toBeNull();
      expect((await model.list({ kind: 'passenger', id: trip.passengerId }, 10)).items).toEqual([]);
    });
  });
}
