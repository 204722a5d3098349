import { randomUUID } from 'node:crypto';
import { TRIP_STATUSES, type Trip, type TripStatus } from '@uitgo/contracts';
import { closeRedis, openRedis, redisCommands, type RedisHandle, type RedisTarget } from '@uitgo/kit/kv';
import { describeReal, loadInfraEnv } from '@uitgo/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMember, statusMember } from '../readModel/readModelKeys.js';
import { RedisTripReadModel } from './redisTripReadModel.js';
import { aTrip, t, tripReadModelContract } from './tripReadModel.contract.js';

/** What only the keys show: no entries left behind for reads to clean, stores written before status lists, lost trips. */
function redisLayoutChecks(name: string, target: () => RedisTarget) {
  describe(`RedisTripReadModel keys: ${name}`, () => {
    const prefix = `uitgo-test:trip-rm:${randomUUID()}:`;
    let model: RedisTripReadModel;
    let raw: RedisHandle;
    beforeAll(async () => {
      model = await RedisTripReadModel.connect(target(), prefix);
      raw = await openRedis(target());
    });
    afterAll(async () => {
      await model?.clear();
      await model?.close();
      if (raw) await closeRedis(raw);
    });
    const entries = async (key: string, tripId: string) => (await redisCommands(raw).zRange(`${prefix}${key}`, 0, -1)).filter((m) => m.includes(tripId));

    /** Requested, assigned to a first driver who gives it back, assigned to a second who drives it to the end. */
    function aRide() {
      const trip = aTrip();
      const [first, second] = [randomUUID(), randomUUID()];
      const step = (status: TripStatus, driverId: string | null, ms: number): Trip => ({ ...trip, status, driverId, updatedAt: t(ms) });
      const states = [trip, step('DRIVER_ASSIGNED', first, 1), step('REQUESTED', null, 2), step('DRIVER_ASSIGNED', second, 3), step('ARRIVED', second, 4), step('IN_TRIP', second, 5), step('COMPLETED', second, 6)];
      return { trip, first, second, states };
    }

    async function expectOnlyLastStatusListed({ trip, first, second, states }: ReturnType<typeof aRide>) {
      const completed = statusMember(states.at(-1)!);
      for (const tag of ['all', `p:${trip.passengerId}`, `d:${second}`, `d:${first}`]) {
        for (const status of TRIP_STATUSES) {
          const expected = status === 'COMPLETED' && tag !== `d:${first}` ? [completed] : [];
          expect({ key: `list:{${tag}}:${status}`, members: await entries(`list:{${tag}}:${status}`, trip.id) }).toEqual({ key: `list:{${tag}}:${status}`, members: expected });
        }
      }
      expect(await entries(`list:{d:${first}}`, trip.id)).toEqual([]);
      // At most one tombstone: of the state that replaced the first driver's (none if theirs was never the newest stored).
      expect((await entries(`list:{d:${first}}:lost`, trip.id)).length).toBeLessThanOrEqual(1);
    }

    it('leaves a finished trip in the lists of its last status only, without a read to clean up', async () => {
      const inOrder = aRide();
      for (const state of inOrder.states) await model.put(state);
      await expectOnlyLastStatusListed(inOrder);
      expect(await entries(`list:{d:${inOrder.first}}:lost`, inOrder.trip.id)).toEqual([statusMember(inOrder.states[2]!)]);
      // The trip's entry lost and the first driver's state written back (a late event): it stays out of their lists.
      await redisCommands(raw).del(`${prefix}trip:{${inOrder.trip.id}}`);
      expect(await model.put(inOrder.states[1]!)).toBe(true);
      await expectOnlyLastStatusListed(inOrder);

      const backwards = aRide();
      await model.put(backwards.states[2]!);
      await model.put(backwards.states[1]!);
      for (const state of backwards.states.slice(3).reverse()) await model.put(state);
      await expectOnlyLastStatusListed(backwards);

      for (let round = 0; round < 10; round++) {
        const raced = aRide();
        await model.put(raced.states[0]!);
        await model.put(raced.states[1]!);
        await Promise.all([...raced.states].sort(() => Math.random() - 0.5).map((state) => model.put(state)));
        await expectOnlyLastStatusListed(raced);
      }
    });

    it('takes the state of a trip stored before status lists were kept from its JSON', async () => {
      const driverId = randomUUID();
      const assigned = aTrip({ driverId, status: 'DRIVER_ASSIGNED', updatedAt: t(1_000) });
      await redisCommands(raw).hSet(`${prefix}trip:{${assigned.id}}`, { u: String(Date.parse(assigned.updatedAt)), j: JSON.stringify(assigned) });
      expect(await model.put({ ...assigned, driverId: null, status: 'REQUESTED', updatedAt: t(0) })).toBe(false);
      for (const list of [{ kind: 'passenger', id: assigned.passengerId }, { kind: 'driver', id: driverId }] as const) {
        expect((await model.list({ ...list, status: 'DRIVER_ASSIGNED' }, 10)).items).toEqual([assigned]);
        expect((await model.list({ ...list, status: 'REQUESTED' }, 10)).items).toEqual([]);
      }
    });

    it('drops, when read, an entry of a status the trip has left (a write that stopped half way)', async () => {
      const trip = aTrip();
      const canceled = { ...trip, status: 'CANCELED' as const, updatedAt: t(1_000) };
      await model.put(canceled);
      await redisCommands(raw).zAdd(`${prefix}list:{p:${trip.passengerId}}:REQUESTED`, { score: 0, value: statusMember(trip) });
      expect(await model.list({ kind: 'passenger', id: trip.passengerId, status: 'REQUESTED' }, 10)).toEqual({ items: [], next: null, incomplete: false });
      expect(await entries(`list:{p:${trip.passengerId}}:REQUESTED`, trip.id)).toEqual([]);
      expect((await model.list({ kind: 'passenger', id: trip.passengerId, status: 'CANCELED' }, 10)).items).toEqual([canceled]);
    });

    it('calls a page whose trip was lost, or is stored older than its list entry, incomplete', async () => {
      const trip = aTrip();
      const canceled = { ...trip, status: 'CANCELED' as const, updatedAt: t(1_000) };
      await model.put(canceled);
      await redisCommands(raw).del(`${prefix}trip:{${trip.id}}`);
      expect(await model.list({ kind: 'passenger', id: trip.passengerId, status: 'CANCELED' }, 10)).toEqual({ items: [], next: null, incomplete: true });
      expect(await model.list({ kind: 'passenger', id: trip.passengerId }, 10)).toEqual({ items: [], next: null, incomplete: true });
      // An older state written back (a late event) does not make the entry of the newer one stale.
      await model.put(trip);
      expect((await model.list({ kind: 'passenger', id: trip.passengerId, status: 'CANCELED' }, 10)).incomplete).toBe(true);
      expect(await entries(`list:{p:${trip.passengerId}}:CANCELED`, trip.id)).toEqual([statusMember(canceled)]);
      expect(await entries(`list:{p:${trip.passengerId}}`, trip.id)).toEqual([listMember(trip.createdAt, trip.id)]);
    });
  });
}

await describeReal('TripReadModel on Redis', ['redis'], () => {
  loadInfraEnv();
  const target = (): RedisTarget => ({ kind: 'redis', url: process.env.REDIS_URL! });
  tripReadModelContract('Redis', () => RedisTripReadModel.connect(target(), `uitgo-test:trip-rm:${randomUUID()}:`));
  redisLayoutChecks('Redis', target);
});

await describeReal('TripReadModel on Redis Cluster', ['redis-cluster'], () => {
  loadInfraEnv();
  const target = (): RedisTarget => ({ kind: 'redis-cluster', nodes: process.env.REDIS_CLUSTER_NODES!.split(',') });
  tripReadModelContract('Redis Cluster', () => RedisTripReadModel.connect(target(), `uitgo-test:trip-rm:${randomUUID()}:`));
  redisLayoutChecks('Redis Cluster', target);
});
