import { fileURLToPath } from 'node:url';
import { TOPICS } from '@uitgo/contracts';
import { driver, user } from '@uitgo/grpc';
import { startServiceApp, type EmbeddedShared, type ServiceConfig, type ServiceWiring } from '@uitgo/kit/runtime';
import { redisTargetOf } from '@uitgo/kit/kv';
import { BusLocationHistory } from './adapters/busLocationHistory.js';
import { DrizzleDriverRepository } from './adapters/drizzleDriverRepository.js';
import { GrpcDriverVerification } from './adapters/grpcDriverVerification.js';
import { MemoryGeoIndex } from './adapters/memoryGeoIndex.js';
import { loadDriverSettings, type DriverSettings } from './config.js';
import { locationArchiverConsumer } from './consumers/locationArchiver.consumer.js';
import * as schema from './db/schema.js';
import { driverGrpc } from './grpc/driverGrpc.js';
import { createDriverMetrics } from './metrics.js';
import type { GeoIndex } from './ports/geoIndex.js';
import { makeDriverUseCases } from './useCases/index.js';

export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/** Real mode: the Redis the kit's key-value store uses (cluster when REDIS_CLUSTER_NODES is set, TLS per REDIS_TLS). */
async function openGeoIndex(config: ServiceConfig, settings: DriverSettings, onError: (error: Error) => void): Promise<GeoIndex> {
  const geo = { freshnessMs: settings.geo.freshnessMs, cellsPerDegree: settings.geo.cellsPerDegree, firstRingM: settings.geo.firstRingM };
  if (config.mode === 'embedded') return new MemoryGeoIndex({ settings: geo });
  const { RedisGeoIndex } = await import('./adapters/redisGeoIndex.js');
  return RedisGeoIndex.connect(redisTargetOf(config.infra), { settings: geo, keyPrefix: settings.geo.keyPrefix, onError });
}

/** Composition root of the driver service, used by main.ts and by the embedded platform. */
export function startDriverService(config: ServiceConfig, shared?: EmbeddedShared, settings: DriverSettings = loadDriverSettings()) {
  return startServiceApp({
    config,
    schema,
    outboxTable: schema.outbox,
    // The archiver writes no events: the API processes relay the outbox.
    outboxRelay: settings.role !== 'archiver',
    migrationsFolder,
    ...(shared ? { shared } : {}),
    async wire(runtime, server): Promise<ServiceWiring> {
      const { logger, bus } = runtime;
      const drivers = new DrizzleDriverRepository(runtime.database.db, () => runtime.outbox.notify());
      const metrics = createDriverMetrics(runtime.metrics.registry, () => drivers.countOnline());
      const archive = await runtime.locationArchive();
      if (config.migrateOnStart) {
        await archive.ensureTable();
        // Kafka only: create the driver topics before subscribing (the in-process bus needs nothing).
        const kafka = bus as typeof bus & { ensureTopics?: (topics: string[], partitions: number) => Promise<void> };
        await kafka.ensureTopics?.([TOPICS.driver, TOPICS.driverLocation, TOPICS.driverTripPosition], 6);
      }
      const subscribeArchiver = async () => {
        const archiver = await bus.subscribe(locationArchiverConsumer({ archive, metrics, logger, groupId: settings.archiverGroup, settings: settings.archiver }));
        return [{ name: 'location archiver', close: () => archiver.stop() }];
      };
      if (settings.role === 'archiver') {
        logger.info('DRIVER_ROLE=archiver: writing the location history only (no DriverService)');
        return { checks: { 'location archive': () => archive.ping() }, resources: await subscribeArchiver() };
      }

      const geoIndex = await openGeoIndex(config, settings, (err) => logger.warn({ err }, 'redis connection problem (geo index)'));
      const archiverResources = settings.role === 'all' ? await subscribeArchiver() : [];
      const history = new BusLocationHistory({
        bus,
        logger,
        ...settings.history,
        onPublished: (n) => metrics.historyPublished.inc(n),
        onDropped: (n) => metrics.historyDropped.inc(n),
      });
      const verification = new GrpcDriverVerification(runtime.client(user.UserServiceDefinition, 'user'));
      const useCases = makeDriverUseCases({ drivers, geoIndex, verification, history, archive, metrics, settings, clock: Date.now });
      server.add(driver.DriverServiceDefinition, driverGrpc(useCases));

      const sweeper = setInterval(() => {
        geoIndex.sweep().then(
          (n) => metrics.sweptEntries.inc(n),
          (err: unknown) => logger.warn({ err }, 'geo index sweep failed'),
        );
      }, settings.geo.sweepIntervalMs);
      sweeper.unref();
      return {
        checks: { 'geo index': () => geoIndex.ping(), 'location archive': () => archive.ping() },
        // Closed in reverse: sweeper, archiver, history (flushes to the bus), then the index.
        resources: [
          { name: 'geo index', close: () => geoIndex.close() },
          { name: 'location history', close: () => history.close() },
          ...archiverResources,
          { name: 'geo sweeper', close: async () => clearInterval(sweeper) },
        ],
      };
    },
  });
}
