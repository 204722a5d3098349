import { LocalObjectStore, type LocalObjectStoreOptions } from './localObjectStore.js';
import type { ObjectStore } from './objectStore.js';
import { S3ObjectStore, type S3ObjectStoreOptions } from './s3ObjectStore.js';

export * from './objectStore.js';
export { S3ObjectStore, type S3ObjectStoreOptions } from './s3ObjectStore.js';
export { LocalObjectStore, ObjectSizeMismatchError, type LocalObjectStoreOptions } from './localObjectStore.js';
export { localObjectRoutes } from './localObjectRoutes.js';

export type ObjectStoreConfig = ({ kind: 's3' } & S3ObjectStoreOptions) | ({ kind: 'local' } & LocalObjectStoreOptions);

/** Builds the configured ObjectStore. A local store also needs `localObjectRoutes` mounted at its baseUrl. */
export function createObjectStore(config: ObjectStoreConfig): ObjectStore {
  return config.kind === 's3' ? new S3ObjectStore(config) : new LocalObjectStore(config);
}
