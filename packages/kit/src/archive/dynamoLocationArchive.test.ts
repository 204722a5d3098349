import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  describe('points written one item each, before segments', () => {
    let archive: DynamoLocationArchive;
    let doc: DynamoDBDocumentClient;
    beforeAll(async () => {
      archive = new DynamoLocationArchive({ ...connection(), table: table(), clock: () => CONTRACT_NOW });
      await archive.ensureTable();
      doc = DynamoDBDocumentClient.from(new DynamoDBClient(connection()));
    });
    afterAll(async () => {
      doc?.destroy();
      await archive?.close();
    });

    it('are still read, merged with segments, until they expire', async () => {
      const driverId = `drv-legacy-${randomUUID().slice(0, 8)}`;
      const recordedAt = '2025-06-15T09:00:00.000Z';
      const cell = encodeGeohash(Math.random() * 120 - 60, Math.random() * 340 - 170, 6);
      await doc.send(
        new PutCommand({
          TableName: table(),
          Item: {
            pk: `D#${driverId}#20250615`,
            sk: recordedAt,
            gsi1pk: `C#${cell}#2025-06-15T09`,
            gsi1sk: `${driverId}#${recordedAt}`,
            driverId,
            lat: 10.7769,
            lng: 106.7009,
            recordedAt,
            geohash: `${cell}bbb`,
            speedKmh: 30,
            expiresAt: Math.floor(Date.parse(recordedAt) / 1000) + 30 * 86_400,
          },
        }),
      );
      await archive.putBatch([{ driverId, lat: 10.7769, lng: 106.7009, recordedAt: new Date('2025-06-15T09:00:05.000Z') }]);
      const track = await archive.track(driverId, new Date('2025-06-15T08:59:00Z'), new Date('2025-06-15T09:01:00Z'));
      expect(track).toEqual([
        { driverId, lat: 10.7769, lng: 106.7009, recordedAt: new Date(recordedAt), speedKmh: 30 },
        { driverId, lat: 10.7769, lng: 106.7009, recordedAt: new Date('2025-06-15T09:00:05.000Z') },
      ]);
      expect(await archive.driversInCell(cell, new Date(recordedAt))).toEqual([{ driverId, lastSeenAt: new Date(recordedAt) }]);
    });
  });
});
