import { randomUUID } from 'node:crypto';
import { describeReal } from '@uitgo/kit/testing';
import { createClient, createCluster } from 'redis';
import type { RedisTarget } from './redisConnection.js';
import { geoIndexContract } from './geoIndex.contract.js';
import { RedisGeoIndex } from './redisGeoIndex.js';

/** Deletes the test's keys on every master (SCAN is per node). */
async function dropKeys(target: RedisTarget, prefix: string): Promise<void> {
  const clients =
    target.kind === 'redis'
      ? [createClient({ url: target.url })]
      : await (async () => {
          const cluster = await createCluster({ rootNodes: target.nodes.map((n) => ({ url: `redis://${n}` })) }).connect();
          const urls = cluster.masters.map((m) => `redis://${m.host}:${m.port}`);
          await cluster.close();
          return urls.map((url) => createClient({ url }));
        })();
  for (const client of clients) {
    await client.connect();
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) if (keys.length > 0) await Promise.all(keys.map((k) => client.unlink(k)));
    await client.close();
  }
}

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
  geoIndexContract('redis', redisHarness({ kind: 'redis', url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6390' }));
});

await describeReal('RedisGeoIndex (cluster)', ['redis-cluster'], () => {
  const nodes = (process.env.REDIS_CLUSTER_NODES ?? '127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003').split(',');
  geoIndexContract('redis-cluster', redisHarness({ kind: 'redis-cluster', nodes }));
});
