import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { describeReal } from '../testing/index.js';
import { DynamoLocationArchive } from './dynamoLocationArchive.js';
import { encodeGeohash } from './geohash.js';
import { CONTRACT_NOW, locationArchiveContract } from './locationArchive.contract.js';

const connection = () => ({
  endpoint: process.env.DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:8000',
  region: process.env.AWS_REGION ?? 'us-east-1',
  // dynalite accepts any credentials; real AWS takes them from the default chain.
  credentials: {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
  },
});
const table = () => process.env.DYNAMODB_TABLE ?? 'uitgo-locations';

await describeReal('DynamoLocationArchive', ['dynamodb'], () => {
  locationArchiveContract('dynamodb', async () => new DynamoLocationArchive({ ...connection(), table: table(), clock: () => CONTRACT_NOW }));

  describe('points written one item each (releases before segments, or writeFormat points)', () => {
    const writers: DynamoLocationArchive[] = [];
    const open = (writeFormat: 'segments' | 'points') => {
      const archive = new DynamoLocationArchive({ ...connection(), table: table(), clock: () => CONTRACT_NOW, writeFormat });
      writers.push(archive);
      return archive;
    };
    afterAll(() => Promise.all(writers.map((w) => w.close())));

    it('are read, merged with segments, by track and by cell', async () => {
      const [points, segments] = [open('points'), open('segments')];
      await segments.ensureTable();
      const driverId = `drv-points-${randomUUID().slice(0, 8)}`;
      const lat = Math.random() * 120 - 60;
      const lng = Math.random() * 340 - 170;
      const at = (s: number) => new Date(Date.parse('2025-06-15T09:00:00.000Z') + s * 1_000);
      await points.putBatch([0, 10, 20].map((s) => ({ driverId, lat, lng, recordedAt: at(s), speedKmh: 30 })));
      // The same fix again from the new form wins over the stored point.
      await segments.putBatch([5, 20].map((s) => ({ driverId, lat, lng, recordedAt: at(s), speedKmh: 40 })));
      const track = await segments.track(driverId, at(-60), at(60));
      expect(track.map((p) => [p.recordedAt, p.speedKmh])).toEqual([
        [at(0), 30],
        [at(5), 40],
        [at(10), 30],
        [at(20), 40],
      ]);
      expect(await points.track(driverId, at(-60), at(60), { limit: 2 })).toEqual(track.slice(0, 2));
      await points.putBatch([{ driverId, lat, lng, recordedAt: at(30) }]);
      expect(await segments.driversInCell(encodeGeohash(lat, lng, 6), at(0))).toEqual([{ driverId, lastSeenAt: at(30) }]);
    });
  });
});
