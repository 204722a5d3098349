import type { Trip } from '@uitgo/contracts';
import { expect, it, vi } from 'vitest';
import { aPassenger, as, nextArea, requestTrip, TripStatus } from './actors.js';
import type { TripInstance, TripServiceHarness } from './harness.js';
import { eventually } from './testClock.js';

const { TRIP_STATUS_CANCELED: CANCELED, TRIP_STATUS_COMPLETED: COMPLETED } = TripStatus;
const misses = async (i: TripInstance) => (await i.parts.deps.metrics.readModelMisses.get()).values[0]?.value ?? 0;
const fills = async (i: TripInstance) => (await i.parts.deps.metrics.readModelFills.get()).values.filter((v) => v.labels.reason === 'incomplete' && v.labels.outcome === 'completed').reduce((n, v) => n + v.value, 0);

/** Forgets the read model as a Redis restart would, once no fill runs; the projector may still write an event back (Kafka): until the loss sticks. */
async function loseReadModel(h: TripServiceHarness, tripId: string) {
  await h.parts.deps.readModelFill.settled();
  await eventually(async () => {
    await h.parts.readModel.clear();
    return (await h.parts.readModel.get(tripId)) === null ? true : undefined;
  });
}

/** The read model behind ListTrips: status lists, and the background fill after it lost its data. */
export function readModelScenarios(harness: () => TripServiceHarness, options: { replicas?: boolean } = {}) {
  it('serves a status list from the read model, and refills a lost read model in the background when a list finds it incomplete', async () => {
    const h = harness();
    const passenger = aPassenger();
    const here = nextArea();
    const ids: string[] = [];
    for (const reason of ['first', 'second']) {
      const trip = await requestTrip(h, passenger, here);
      await h.client.cancelTrip({ tripId: trip.id, reason }, as(passenger));
      ids.unshift(trip.id);
    }
    const list = (status: number) => h.client.listTrips({ passengerId: passenger.userId, status, pageSize: 10, pageToken: '' }, as(passenger));
    const reasons = async (status: number) => (await list(status)).trips.map((t) => `${t.id}:${t.cancelReason}`);
    await h.parts.deps.readModelFill.settled();
    expect(await h.parts.readModel.isComplete()).toBe(true);
    const fromReadModel = await misses(h);
    expect(await reasons(CANCELED)).toEqual([`${ids[0]}:second`, `${ids[1]}:first`]);
    expect(await misses(h)).toBe(fromReadModel);
    // An empty page is not trusted: trips-db answers it.
    expect((await list(COMPLETED)).trips).toEqual([]);
    expect(await misses(h)).toBe(fromReadModel + 1);

    // Redis lost its data. A copy only the read model has shows which store answers.
    const stored = (await h.parts.readModel.get(ids[0]!))!;
    await loseReadModel(h, ids[0]!);
    const copy: Trip = { ...stored, cancelReason: 'read model copy', updatedAt: new Date(Date.parse(stored.updatedAt) + 1).toISOString() };
    await h.parts.readModel.put(copy);
    const filled = await fills(h);
    expect(await reasons(CANCELED)).toEqual([`${ids[0]}:second`, `${ids[1]}:first`]);
    await h.parts.deps.readModelFill.settled();
    expect([await h.parts.readModel.isComplete(), await fills(h)]).toEqual([true, filled + 1]);
    const filledMisses = await misses(h);
    expect(await reasons(CANCELED)).toEqual([`${ids[0]}:read model copy`, `${ids[1]}:first`]);
    expect(await reasons(0)).toEqual([`${ids[0]}:read model copy`, `${ids[1]}:first`]);
    expect(await misses(h)).toBe(filledMisses);
  });

  if (options.replicas) {
    it('lets one replica at a time refill a lost read model; lists elsewhere meanwhile come from trips-db', async () => {
      const h = harness();
      const replica = await h.startReplica();
      const passenger = aPassenger();
      const trip = await requestTrip(h, passenger, nextArea());
      await h.client.cancelTrip({ tripId: trip.id }, as(passenger));
      await replica.parts.deps.readModelFill.settled();
      await loseReadModel(h, trip.id);
      const before = [await fills(h), await fills(replica)];
      const listOn = async (i: TripInstance) => (await i.client.listTrips({ passengerId: passenger.userId, status: CANCELED, pageSize: 10, pageToken: '' }, as(passenger))).trips.map((t) => t.id);

      // The first replica's fill is held in its first read of trips-db while the other lists.
      let open = () => {};
      const gate = new Promise<void>((resolve) => (open = resolve));
      const scan = h.parts.deps.trips.scan.bind(h.parts.deps.trips);
      const held = vi.spyOn(h.parts.deps.trips, 'scan').mockImplementation(async (...args) => {
        await gate;
        return scan(...args);
      });
      try {
        expect(await listOn(h)).toEqual([trip.id]);
        await eventually(async () => (held.mock.calls.length > 0 ? true : undefined));
        expect(await listOn(replica)).toEqual([trip.id]);
        await replica.parts.deps.readModelFill.settled();
      } finally {
        open();
        held.mockRestore();
      }
      await h.parts.deps.readModelFill.settled();
      expect(await h.parts.readModel.isComplete()).toBe(true);
      expect([await fills(h), await fills(replica)]).toEqual([before[0]! + 1, before[1]]);
    });
  }
}
