import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeReal } from '../testing/index.js';
import { objectStoreContract } from './objectStore.contract.js';
import { S3ObjectStore, type S3ObjectStoreOptions } from './s3ObjectStore.js';

await describeReal('S3ObjectStore', ['s3'], () => {
  const options = (): S3ObjectStoreOptions => ({
    endpoint: process.env.S3_ENDPOINT ?? 'http://127.0.0.1:9000',
    region: process.env.S3_REGION ?? 'us-east-1',
    bucket: process.env.S3_BUCKET ?? 'uitgo',
    forcePathStyle: (process.env.S3_FORCE_PATH_STYLE ?? 'true') === 'true',
    credentials: {
      accessKeyId: process.env.S3_ACCESS_KEY_ID ?? 'uitgo',
      secretAccessKey: process.env.S3_SECRET_ACCESS_KEY ?? 'uitgo-secret-key',
    },
  });
  objectStoreContract(
    's3',
    async () => {
      const past: S3ObjectStore[] = [];
      return {
        store: new S3ObjectStore(options()),
        signingInThePast: (offsetMs) => {
          const store = new S3ObjectStore({ ...options(), clock: () => Date.now() - offsetMs });
          past.push(store);
          return store;
        },
        close: async () => {
          await Promise.all(past.map((s) => s.close()));
        },
      };
    },
    'X-Amz-Signature',
  );

  describe('multipart', () => {
    let store: S3ObjectStore;
    beforeAll(() => {
      store = new S3ObjectStore(options());
    });
    afterAll(() => store.close());

    it('sends a 12 MB body as three 5 MiB parts and a small one in a single request', async () => {
      const key = `contract-test/${randomUUID()}/parts.bin`;
      await store.put(key, randomBytes(12 * 1024 * 1024), { contentType: 'application/octet-stream' });
      // S3 (and S3Proxy) mark a multipart object's ETag with its part count.
      expect((await store.head(key))?.etag).toMatch(/-3$/);
      await store.put(key, randomBytes(1024), { contentType: 'application/octet-stream' });
      expect((await store.head(key))?.etag).toMatch(/^[0-9a-f]{32}$/);
      await store.delete(key);
    });
  });
});
