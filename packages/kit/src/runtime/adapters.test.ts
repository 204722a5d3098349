import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { describeReal, infraEndpoints, testTlsCaFile } from '../testing/index.js';
import { openEventBus, openKeyValueStore, openLocationArchive } from './adapters.js';
import { loadServiceConfig } from './serviceConfig.js';

const logger = createLogger({ service: 'adapters-test', level: 'silent' });

// The settings a deployment with in-transit encryption uses (ElastiCache and MSK over TLS),
// read the way every service reads them, against the TLS listeners of `pnpm infra:up`.
await describeReal('service adapters with in-transit encryption', ['redis-tls', 'redis-cluster-tls', 'kafka-tls'], () => {
  const tlsEnv = (redis: Record<string, string>) =>
    loadServiceConfig('driver', {
      UITGO_MODE: 'real',
      DRIVER_DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
      KAFKA_BROKERS: infraEndpoints('kafka-tls').join(','),
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: testTlsCaFile(),
      REDIS_TLS: 'true',
      REDIS_TLS_CA_FILE: testTlsCaFile(),
      ...redis,
    }).infra;

  describe.each([
    ['REDIS_CLUSTER_NODES', { REDIS_CLUSTER_NODES: infraEndpoints('redis-cluster-tls').join(',') }],
    ['REDIS_URL', { REDIS_URL: infraEndpoints('redis-tls')[0]!.replace('rediss://', 'redis://') }],
  ])('Redis through %s with REDIS_TLS', (_, redis) => {
    it('stores and reads over TLS', async () => {
      const kv = await openKeyValueStore('real', tlsEnv(redis), logger);
      try {
        const key = `uitgo-test:tls:${randomUUID()}`;
        await kv.set(key, 'sealed', { ttlMs: 10_000 });
        expect(await kv.get(key)).toBe('sealed');
        await kv.ping();
      } finally {
        await kv.close();
      }
    });
  });

  it('reaches Kafka with KAFKA_SSL and KAFKA_SSL_CA_FILE', async () => {
    const bus = await openEventBus('real', tlsEnv({ REDIS_URL: 'redis://127.0.0.1:1' }), 'adapters-test', logger);
    try {
      await bus.ping();
    } finally {
      await bus.close();
    }
  });
});

describe('the location archive from the service settings', () => {
  const infra = (env: Record<string, string> = {}) => loadServiceConfig('driver', { UITGO_MODE: 'embedded', ...env }).infra;
  // Minutes into the last whole hour: within the archive's retention.
  const hourStart = Math.floor(Date.now() / 3600_000) * 3600_000 - 3600_000;
  const at = (minute: number) => new Date(hourStart + minute * 60_000);

  it.each([
    ['by default a driver staying in a cell is sighted every 5 minutes', {}, 5],
    ['DYNAMODB_SIGHTING_REFRESH_MS=0 sights at every write', { DYNAMODB_SIGHTING_REFRESH_MS: '0' }, 8],
  ])('%s', async (_, env, lastSeenMinute) => {
    const archive = await openLocationArchive('embedded', infra(env));
    try {
      for (let minute = 0; minute < 9; minute++) await archive.putBatch([{ driverId: 'd1', lat: 10.7769, lng: 106.7009, recordedAt: at(minute) }]);
      expect(await archive.driversInCell('w3gvk1', at(0))).toEqual([{ driverId: 'd1', lastSeenAt: at(lastSeenMinute) }]);
    } finally {
      await archive.close();
    }
  });

  it('refuses a refresh that is not a whole number of milliseconds up to an hour', () => {
    expect(() => infra({ DYNAMODB_SIGHTING_REFRESH_MS: '-1' })).toThrow(/DYNAMODB_SIGHTING_REFRESH_MS/);
    expect(() => infra({ DYNAMODB_SIGHTING_REFRESH_MS: '3600001' })).toThrow(/DYNAMODB_SIGHTING_REFRESH_MS/);
  });
});
