import { randomUUID } from 'node:crypto';
import { describeReal } from '@uitgo/kit/testing';
import { createClient } from 'redis';
import { expect, it } from 'vitest';
import { dropKeys } from '../test/redisKeys.js';
import type { RedisTarget } from './redisConnection.js';
import { geoIndexContract } from './geoIndex.contract.js';
import { RedisGeoIndex } from './redisGeoIndex.js';
import { RedisGeoKeys } from './redisGeoKeys.js';
import { CELL_PUT } from './redisGeoScripts.js';

function redisHarness(target: RedisTarget) {
  return async () => {
    let now = Date.now();
    const prefix = `uitgo-test:geo:${randomUUID()}:`;
    const index = await RedisGeoIndex.connect(target, { keyPrefix: prefix, clock: () => now });
    return {
      index,
      now: () => now,
      advance: (ms: number) => void (now += ms),
      elapseTtl: async () => {},
      shortTtlMs: 300,
      async close() {
        await index.close();
        await dropKeys(target, prefix);
      },
    };
  };
}

await describeReal('RedisGeoIndex (single node)', ['redis'], () => {
  const target: RedisTarget = { kind: 'redis', url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6390' };
  geoIndexContract('redis', redisHarness(target));

  it('ignores a cell write that arrives after a newer decision about the driver', async () => {
    const prefix = `uitgo-test:geo:${randomUUID()}:`;
    const index = await RedisGeoIndex.connect(target, { keyPrefix: prefix });
    const raw = await createClient({ url: target.url }).connect();
    try {
      const keys = new RedisGeoKeys(prefix);
      const id = randomUUID();
      const here = { lat: 10.8, lng: 106.7 };
      const search = () => index.nearest({ ...here, radiusM: 1_000, limit: 5, vehicleType: 'car4' });
      await index.setDriver(id, { vehicleType: 'car4', availability: 'available', tripId: null, version: 1 });
      await index.upsert([{ driverId: id, ...here, recordedAt: new Date() }]);
      const cell = (await raw.hGet(keys.driver(id), 'cell'))!;
      const earlier = (await raw.hGet(keys.driver(id), 'stamp'))!;
      // The write of the fix above, delivered late, after the reservation that followed it.
      await index.reserve({ driverId: id, tripId: randomUUID(), reservationId: 'r-1', ttlMs: 30_000, offer: { pickup: here, dropoff: here, fare: { amount: 1, currency: 'VND' } } });
      const late = await raw.eval(CELL_PUT.source, { keys: keys.cellKeys(cell), arguments: [String(here.lng), String(here.lat), id, String(Date.now()), earlier, '0'] });
      expect(late).toBe(0);
      expect(await search()).toEqual([]);
      // And after the driver goes off duty, a late put cannot bring it back.
      await index.setDriver(id, { vehicleType: 'car4', availability: 'offline', tripId: null, version: 2 });
      const stale = await raw.eval(CELL_PUT.source, { keys: keys.cellKeys(cell), arguments: [String(here.lng), String(here.lat), id, String(Date.now()), earlier, '0'] });
      expect(stale).toBe(0);
      expect(await search()).toEqual([]);
    } finally {
      await index.close();
      await raw.close();
      await dropKeys(target, prefix);
    }
  });
});

await describeReal('RedisGeoIndex (cluster)', ['redis-cluster'], () => {
  // Every script touches one hash tag; a search of one ring sends one script per touched cell.
  const nodes = (process.env.REDIS_CLUSTER_NODES ?? '127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003').split(',');
  geoIndexContract('redis-cluster', redisHarness({ kind: 'redis-cluster', nodes }));
});
