import type { KeyValueStore } from './keyValueStore.js';
import { MemoryKeyValueStore } from './memoryKeyValueStore.js';
import { RedisKeyValueStore } from './redisKeyValueStore.js';

export type { KeyValueStore, SetOptions, TtlOptions } from './keyValueStore.js';
export { MemoryKeyValueStore, type MemoryKeyValueStoreOptions } from './memoryKeyValueStore.js';
export { RedisKeyValueStore, redisSpanAttributes, type RedisKeyValueStoreOptions } from './redisKeyValueStore.js';

export type KeyValueStoreConfig =
  | { kind: 'redis'; url: string; keyPrefix?: string; onError?: (error: Error) => void }
  | { kind: 'redis-cluster'; nodes: string[]; keyPrefix?: string; onError?: (error: Error) => void }
  | { kind: 'memory'; clock?: () => number };

/** Opens the configured KeyValueStore; Redis variants resolve once connected. */
export async function createKeyValueStore(config: KeyValueStoreConfig): Promise<KeyValueStore> {
  switch (config.kind) {
    case 'redis':
      return RedisKeyValueStore.connect(config.url, config);
    case 'redis-cluster':
      return RedisKeyValueStore.connectCluster(config.nodes, config);
    case 'memory':
      return new MemoryKeyValueStore(config.clock ? { clock: config.clock } : {});
  }
}
