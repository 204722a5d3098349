import type { SubscribeOptions } from '@uitgo/kit/events';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { readModelProjector } from '../consumers/readModelProjector.consumer.js';
import { toTripView } from '../domain/trip.js';
import { createTripMetrics } from '../metrics.js';
import type { TripReadModel } from '../ports/tripReadModel.js';
import { aRide, delivered, running } from './rideEvents.js';

/**
 * The projector fed the way the bus feeds it when delivery is at least once: a batch again
 * (offsets not committed before a crash), an old batch after newer ones (a rebalance rewinds
 * the group), the same event twice in one batch. Run once per read model adapter.
 */
export function projectorRedeliveryScenarios(name: string, open: () => Promise<TripReadModel>) {
  describe(`readModelProjector redeliveries (${name} read model)`, () => {
    let readModel: TripReadModel;
    let projector: SubscribeOptions;
    let put: MockInstance<TripReadModel['put']>;
    beforeAll(async () => {
      readModel = await open();
      put = vi.spyOn(readModel, 'put');
      projector = readModelProjector({ readModel, metrics: createTripMetrics(new Registry()), groupId: 'projector-test', fromBeginning: false, clock: Date.now });
    });
    afterAll(async () => {
      await readModel?.clear();
      await readModel?.close();
    });

    /** Handles the events and returns what each read-model write of that delivery answered (true: it changed the model). */
    const deliver = async (events: Parameters<SubscribeOptions['handle']>[0]) => {
      put.mockClear();
      await projector.handle(events, running);
      return Promise.all(put.mock.results.map((result) => result.value as Promise<boolean>));
    };
    const listed = async (owner: Parameters<TripReadModel['list']>[0]) => (await readModel.list(owner, 100)).items.map((t) => `${t.id}:${t.status}`);

    it('changes nothing when the same batch is delivered again', async () => {
      const ride = aRide();
      const other = aRide();
      const batch = [
        delivered('trip.v1.requested', ride.requested),
        delivered('trip.v1.assigned', ride.assigned),
        delivered('trip.v1.requested', other.requested),
        delivered('trip.v1.requested', ride.handedBack),
        delivered('trip.v1.assigned', ride.reassigned),
      ];
      expect(await deliver(batch)).toEqual([true, true]);
      expect(await deliver(batch)).toEqual([false, false]);
      expect(await deliver(batch.map((e) => ({ ...e, payload: structuredClone(e.payload) })))).toEqual([false, false]);

      expect(await readModel.get(ride.id)).toEqual(toTripView(ride.reassigned));
      expect(await readModel.get(other.id)).toEqual(toTripView(other.requested));
      expect(await listed({ kind: 'passenger', id: ride.passengerId })).toEqual([`${ride.id}:DRIVER_ASSIGNED`]);
      expect(await listed({ kind: 'driver', id: ride.driverId })).toEqual([`${ride.id}:DRIVER_ASSIGNED`]);
    });

    it('never lets a redelivered older state overwrite a newer one already projected', async () => {
      const ride = aRide();
      const first = [delivered('trip.v1.requested', ride.requested), delivered('trip.v1.assigned', ride.assigned)];
      const second = [delivered('trip.v1.requested', ride.handedBack)];
      const third = [delivered('trip.v1.assigned', ride.reassigned), delivered('trip.v1.arrived', ride.arrived), delivered('trip.v1.started', ride.started)];
      const fourth = [delivered('trip.v1.completed', ride.completed)];

      await deliver(first);
      await deliver(second);
      // The driver gave the trip back: the old assignment, delivered again, must not hand it to them again.
      expect(await deliver(first)).toEqual([false]);
      expect(await readModel.get(ride.id)).toEqual(toTripView(ride.handedBack));
      expect(await listed({ kind: 'driver', id: ride.driverId })).toEqual([]);

      await deliver(third);
      await deliver(fourth);
      for (const batch of [third, second, first]) expect(await deliver(batch)).toEqual([false]);
      // One event at a time, newest first, as a consumer that lost every commit would see them.
      for (const event of [...first, ...second, ...third].reverse()) expect(await deliver([event])).toEqual([false]);

      expect(await readModel.get(ride.id)).toEqual(toTripView(ride.completed));
      expect(await listed({ kind: 'passenger', id: ride.passengerId })).toEqual([`${ride.id}:COMPLETED`]);
      expect(await listed({ kind: 'driver', id: ride.driverId })).toEqual([`${ride.id}:COMPLETED`]);
    });

    it('writes each trip once, at its newest state, when a batch holds duplicates', async () => {
      const ride = aRide();
      const other = aRide();
      const requested = delivered('trip.v1.requested', ride.requested);
      const assigned = delivered('trip.v1.assigned', ride.assigned);
      const arrived = delivered('trip.v1.arrived', other.arrived);
      const started = delivered('trip.v1.started', other.started);
      // The same envelopes again (a producer retry), the older ones last.
      const batch = [requested, assigned, started, requested, arrived, { ...assigned }, requested, { ...started }, arrived];

      expect(await deliver(batch)).toEqual([true, true]);
      expect(put.mock.calls.map(([trip]) => `${trip.id}:${trip.status}`).sort()).toEqual([`${ride.id}:DRIVER_ASSIGNED`, `${other.id}:IN_TRIP`].sort());
      expect(await readModel.get(ride.id)).toEqual(toTripView(ride.assigned));
      expect(await readModel.get(other.id)).toEqual(toTripView(other.started));
      expect(await deliver(batch)).toEqual([false, false]);
    });
  });
}
