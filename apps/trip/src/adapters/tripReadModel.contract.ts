import { randomUUID } from 'node:crypto';
import { TRIP_STATUSES, type Trip, type TripStatus } from '@uitgo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TripList, TripReadModel } from '../ports/tripReadModel.js';
import { eventually } from '../test/testClock.js';

export const t = (ms: number) => new Date(Date.UTC(2025, 10, 26, 4) + ms).toISOString();

export function aTrip(overrides: Partial<Trip> = {}): Trip {
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
    const listed = async (list: TripList) => (await model.list(list, 100)).items.map((x) => `${x.id}:${x.status}`);

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

    it('lists per status for a passenger, a driver and all, newest first, page by page', async () => {
      const passengerId = randomUUID();
      const driverId = randomUUID();
      const passenger = { kind: 'passenger', id: passengerId } as const;
      const trips = [0, 1_000, 2_000, 2_000, 3_000, 4_000, 5_000].map((ms) => aTrip({ passengerId, createdAt: t(ms), updatedAt: t(ms) }));
      for (const trip of trips) await model.put(trip);
      const canceled = [1, 2, 3, 5].map((i) => ({ ...trips[i]!, status: 'CANCELED' as const, canceledAt: t(9_000), updatedAt: t(9_000) }));
      for (const trip of canceled) await model.put(trip);
      await model.put({ ...trips[6]!, driverId, status: 'DRIVER_ASSIGNED', updatedAt: t(9_000) });
      const newestFirst = (list: Trip[]) => [...list].sort((a, b) => (a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : b.createdAt.localeCompare(a.createdAt))).map((x) => x.id);

      const first = await model.list({ ...passenger, status: 'CANCELED' }, 2);
      expect(first).toMatchObject({ items: newestFirst(canceled).slice(0, 2).map((id) => ({ id, status: 'CANCELED' })), incomplete: false });
      const second = await model.list({ ...passenger, status: 'CANCELED' }, 3, first.next!);
      expect(second).toMatchObject({ items: newestFirst(canceled).slice(2).map((id) => ({ id })), next: null, incomplete: false });
      expect((await model.list({ ...passenger, status: 'REQUESTED' }, 10)).items.map((x) => x.id)).toEqual([trips[4]!.id, trips[0]!.id]);
      expect(await model.list({ ...passenger, status: 'ARRIVED' }, 10)).toEqual({ items: [], next: null, incomplete: false });

      expect(await listed({ kind: 'driver', id: driverId, status: 'DRIVER_ASSIGNED' })).toEqual([`${trips[6]!.id}:DRIVER_ASSIGNED`]);
      expect(await listed({ kind: 'driver', id: driverId, status: 'REQUESTED' })).toEqual([]);
      const all = await listed({ kind: 'all', status: 'CANCELED' });
      expect(all).toEqual(expect.arrayContaining(canceled.map((x) => `${x.id}:CANCELED`)));
      expect(all).not.toContain(`${trips[0]!.id}:REQUESTED`);
      expect(await listed({ kind: 'all', status: 'REQUESTED' })).toEqual(expect.arrayContaining([`${trips[0]!.id}:REQUESTED`, `${trips[4]!.id}:REQUESTED`]));
    });

    it('moves a trip to the list of its new status, and a driver\'s lists follow the driver', async () => {
      const driverId = randomUUID();
      const trip = aTrip();
      const passenger = { kind: 'passenger', id: trip.passengerId } as const;
      const driver = { kind: 'driver', id: driverId } as const;
      await model.put(trip);
      expect(await listed({ ...passenger, status: 'REQUESTED' })).toEqual([`${trip.id}:REQUESTED`]);

      const assigned = { ...trip, driverId, status: 'DRIVER_ASSIGNED' as const, updatedAt: t(1_000) };
      await model.put(assigned);
      expect(await listed({ ...passenger, status: 'REQUESTED' })).toEqual([]);
      expect(await listed({ ...passenger, status: 'DRIVER_ASSIGNED' })).toEqual([`${trip.id}:DRIVER_ASSIGNED`]);
      expect(await listed({ ...driver, status: 'DRIVER_ASSIGNED' })).toEqual([`${trip.id}:DRIVER_ASSIGNED`]);
      expect(await listed({ kind: 'all', status: 'REQUESTED' })).not.toContain(`${trip.id}:REQUESTED`);

      // The driver gives it back: requested again, and no longer theirs.
      await model.put({ ...assigned, driverId: null, status: 'REQUESTED', updatedAt: t(2_000) });
      expect(await listed({ ...passenger, status: 'REQUESTED' })).toEqual([`${trip.id}:REQUESTED`]);
      expect(await listed({ ...passenger, status: 'DRIVER_ASSIGNED' })).toEqual([]);
      expect(await listed({ ...driver, status: 'DRIVER_ASSIGNED' })).toEqual([]);
      expect(await listed(driver)).toEqual([]);

      // The same driver takes it again and drives it to the end: it is in the COMPLETED lists only.
      const steps: [TripStatus, number][] = [['DRIVER_ASSIGNED', 3_000], ['ARRIVED', 4_000], ['IN_TRIP', 5_000], ['COMPLETED', 6_000]];
      for (const [status, ms] of steps) await model.put({ ...trip, driverId, status, updatedAt: t(ms) });
      for (const status of TRIP_STATUSES) {
        const expected = status === 'COMPLETED' ? [`${trip.id}:COMPLETED`] : [];
        expect([await listed({ ...passenger, status }), await listed({ ...driver, status })]).toEqual([expected, expected]);
      }
      expect(await listed(driver)).toEqual([`${trip.id}:COMPLETED`]);
    });

    it('keeps the lists of the newest state when older states arrive after it, or race it', async () => {
      // Assigned to a first driver, given back, assigned to a second who arrives.
      const aRide = () => {
        const trip = aTrip();
        const [first, second] = [randomUUID(), randomUUID()];
        const states: Trip[] = [
          trip,
          { ...trip, driverId: first, status: 'DRIVER_ASSIGNED', updatedAt: t(1_000) },
          { ...trip, driverId: null, status: 'REQUESTED', updatedAt: t(2_000) },
          { ...trip, driverId: second, status: 'DRIVER_ASSIGNED', updatedAt: t(3_000) },
          { ...trip, driverId: second, status: 'ARRIVED', updatedAt: t(4_000) },
        ];
        return { trip, first, second, states };
      };
      const expectNewest = async ({ trip, first, second, states }: ReturnType<typeof aRide>) => {
        expect(await model.get(trip.id)).toEqual(states.at(-1));
        for (const status of TRIP_STATUSES) {
          const expected = status === 'ARRIVED' ? [`${trip.id}:ARRIVED`] : [];
          const lists = [{ kind: 'passenger', id: trip.passengerId, status }, { kind: 'driver', id: second, status }, { kind: 'driver', id: first, status }] as const;
          expect(await Promise.all(lists.map(listed))).toEqual([expected, expected, []]);
        }
        expect(await listed({ kind: 'driver', id: first })).toEqual([]);
      };

      const late = aRide();
      await model.put(late.states.at(-1)!);
      for (const state of [...late.states].reverse()) expect(await model.put(state)).toBe(false);
      for (const state of late.states) await model.put(state);
      await expectNewest(late);

      // All five states at once, in another order each time.
      for (let round = 0; round < 10; round++) {
        const raced = aRide();
        await Promise.all([...raced.states].sort(() => Math.random() - 0.5).map((state) => model.put(state)));
        await expectNewest(raced);
      }
    });

    it('lets one holder at a time have the fill lease, until it is released, lapses or the store is cleared', async () => {
      const first = await model.leaseFill(60_000);
      expect(first).not.toBeNull();
      expect(await model.leaseFill(60_000)).toBeNull();
      expect(await first!.renew()).toBe(true);
      await first!.release();

      const short = await model.leaseFill(100);
      expect(short).not.toBeNull();
      const next = await eventually(async () => (await model.leaseFill(60_000)) ?? undefined, 5_000);
      expect(await short!.renew()).toBe(false);
      // Releasing a lapsed lease leaves the next holder's alone.
      await short!.release();
      expect(await model.leaseFill(60_000)).toBeNull();

      await model.clear();
      expect(await next.renew()).toBe(false);
      const again = await model.leaseFill(60_000);
      expect(again).not.toBeNull();
      await again!.release();
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
