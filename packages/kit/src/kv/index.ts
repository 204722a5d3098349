import type { KeyValueStore } from './keyValueStore.js';
import { MemoryKeyValueStore } from './memoryKeyValueStore.js';
import type { RedisTarget } from './redisClient.js';
import { RedisKeyValueStore } from './redisKeyValueStore.js';

export type { KeyValueStore, SetOptions, TtlOptions } from './keyValueStore.js';
export { MemoryKeyValueStore, type MemoryKeyValueStoreOptions } from './memoryKeyValueStore.js';
export { RedisKeyValueStore, redisSpanAttributes, type RedisKeyValueStoreOptions } from './redisKeyValueStore.js';

export {
  closeRedis,
  openRedis,
  pingRedis,
  redisCommands,
  redisTargetOf,
  type RedisClient,
  type RedisCluster,
  type RedisHandle,
  type RedisSettings,
  type RedisTarget,
  type RedisTls,
} from './redisClient.js';

export { redisScript, runRedisScript, type RedisScript } from './redisScripts.js';

export type KeyValueStoreConfig =
  | (RedisTarget & { keyPrefix?: string; onError?: (error: Error) => void })
  | { kind: 'memory'; clock?: () => number };

/** Opens the configured KeyValueStore; Redis variants resolve once connected. */
export async function createKeyValueStore(config: KeyValueStoreConfig): Promise<KeyValueStore> {
  switch (config.kind) {
    case 'redis':
    case 'redis-cluster':
      return RedisKeyValueStore.open(config, config);
    case 'memory':
      return new MemoryKeyValueStore(config.clock ? { clock: config.clock } : {});
  }
}
