import { describeReal } from '../testing/index.js';
import { keyValueStoreContract } from './keyValueStore.contract.js';
import { RedisKeyValueStore } from './redisKeyValueStore.js';

const realTime = { elapse: async () => {}, shortTtlMs: 250 };

await describeReal('RedisKeyValueStore (single node)', ['redis'], () => {
  keyValueStoreContract('redis', async () => ({
    ...realTime,
    store: await RedisKeyValueStore.connect(process.env.REDIS_URL ?? 'redis://127.0.0.1:6390', { keyPrefix: 'uitgo-test:' }),
  }));
});

await describeReal('RedisKeyValueStore (cluster)', ['redis-cluster'], () => {
  const nodes = (process.env.REDIS_CLUSTER_NODES ?? '127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003').split(',');
  keyValueStoreContract('redis-cluster', async () => ({
    ...realTime,
    store: await RedisKeyValueStore.connectCluster(nodes, { keyPrefix: 'uitgo-test:' }),
  }));
});
