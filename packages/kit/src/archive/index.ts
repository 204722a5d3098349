import { DynamoLocationArchive, type DynamoLocationArchiveOptions } from './dynamoLocationArchive.js';
import type { LocationArchive } from './locationArchive.js';
import { MemoryLocationArchive, type MemoryLocationArchiveOptions } from './memoryLocationArchive.js';

export * from './locationArchive.js';
export { encodeGeohash, isGeohash } from './geohash.js';
export { UnprocessedItemsError, type BatchRetryOptions } from './batchWrite.js';
export { DynamoLocationArchive, type DynamoLocationArchiveOptions } from './dynamoLocationArchive.js';
export { MemoryLocationArchive, type MemoryLocationArchiveOptions } from './memoryLocationArchive.js';

export type LocationArchiveConfig =
  | ({ kind: 'dynamodb' } & DynamoLocationArchiveOptions)
  | ({ kind: 'memory' } & MemoryLocationArchiveOptions);

/** Builds the configured LocationArchive; call `ensureTable()` at startup where the service may create its table. */
export function createLocationArchive(config: LocationArchiveConfig): LocationArchive {
  return config.kind === 'dynamodb' ? new DynamoLocationArchive(config) : new MemoryLocationArchive(config);
}
