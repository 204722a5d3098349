import { createClient, createCluster } from 'redis';
import type { RedisTarget } from '../adapters/redisConnection.js';

/** Deletes the test's keys on every master (SCAN is per node). */
export async function dropKeys(target: RedisTarget, prefix: string): Promise<void> {
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
