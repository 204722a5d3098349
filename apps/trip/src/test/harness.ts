import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { startDriverService } from '@uitgo/driver';
import { driver, trip } from '@uitgo/grpc';
import { createGrpcClient, createLogger, openChannel, type GrpcClient } from '@uitgo/kit';
import { MemoryEventBus } from '@uitgo/kit/events';
import type { ObjectStore } from '@uitgo/kit/objects';
import { loadServiceConfig, openKeyValueStore, openLocationArchive, openObjectStore, type EmbeddedShared } from '@uitgo/kit/runtime';
import { createSqlDatabase, type Db } from '@uitgo/kit/sql';
import { createTemplateDatabase, createTestDatabase, loadInfraEnv } from '@uitgo/kit/testing';
import { migrationsFolder as driverMigrations } from '@uitgo/driver';
import { loadTripSettings, type TripSettings } from '../config.js';
import type * as schema from '../db/schema.js';
import { migrationsFolder, startTripService, type TripService, type TripServiceParts } from '../service.js';
import { startFakeUserService, type FakeUserService } from './fakeUserService.js';
import { TestClock } from './testClock.js';

export interface TripInstance {
  client: GrpcClient<typeof trip.TripServiceDefinition>;
  parts: TripServiceParts;
  service: TripService;
  stop(): Promise<void>;
}

/** A trip service on a real driver service (with a fake user service that verifies everyone), and what tests reach around it. */
export interface TripServiceHarness extends TripInstance {
  mode: 'embedded' | 'real';
  drivers: GrpcClient<typeof driver.DriverServiceDefinition>;
  /** The user service both services ask: drivers' verification and names. */
  users: FakeUserService;
  db: Db<typeof schema>;
  objects: ObjectStore;
  clock: TestClock;
  /** Another replica of the trip service on the same database (real mode). */
  startReplica(): Promise<TripInstance>;
}

/** Fast polls and short timings so tests finish quickly; the deadlines still come from the clock. */
const testSettings = (env: NodeJS.ProcessEnv = {}): TripSettings =>
  loadTripSettings({
    TRIP_READ_MODEL_KEY_PREFIX: `uitgo-test:trip:${randomUUID()}:`,
    TRIP_READ_MODEL_GROUP: `trip-read-model-test-${randomUUID()}`,
    TRIP_RECEIPT_GROUP: `trip-receipts-test-${randomUUID()}`,
    TRIP_CONSUME_FROM_BEGINNING: 'false',
    TRIP_DISPATCH_POLL_MS: '25',
    TRIP_DISPATCH_RETRY_EMPTY_MS: '1000',
    ...env,
  });

async function startInstance(env: NodeJS.ProcessEnv, clock: TestClock, settings: TripSettings, shared?: EmbeddedShared): Promise<TripInstance> {
  let parts: TripServiceParts | undefined;
  const service = await startTripService(loadServiceConfig('trip', env), shared, { settings, clock: clock.now, onWired: (p) => (parts = p) });
  const channel = openChannel(service.grpcAddress);
  return {
    client: createGrpcClient(trip.TripServiceDefinition, channel, { deadlineMs: 15_000 }),
    parts: parts!,
    service,
    async stop() {
      channel.close();
      await service.stop();
    },
  };
}

/** The driver package exports only its service, which reads its settings from the environment: isolate them per run. */
function isolateDriverSettings(): void {
  process.env.DRIVER_GEO_KEY_PREFIX = `uitgo-test:driver:${randomUUID()}:`;
  process.env.DRIVER_ARCHIVER_GROUP = `driver-archiver-test-${randomUUID()}`;
  // Points of drivers between trips are written together after this long (30 s by default).
  process.env.DRIVER_ARCHIVE_LINGER_MS = '250';
}

/** Embedded mode: one PGlite for both services, in-process bus, memory read model, local object store. */
export async function startEmbeddedTripService(): Promise<TripServiceHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'uitgo-trip-'));
  const users = await startFakeUserService();
  const base = { UITGO_MODE: 'embedded', LOG_LEVEL: process.env.TRIP_TEST_LOG_LEVEL ?? 'silent', DATA_DIR: dir, USER_GRPC_ADDRESS: users.address };
  const pglite = new PGlite();
  const driverConfig = loadServiceConfig('driver', { ...base, DRIVER_GRPC_PORT: '0', DRIVER_OPS_PORT: '0' });
  const shared = {
    pglite,
    bus: new MemoryEventBus(),
    kv: await openKeyValueStore('embedded', driverConfig.infra, createLogger({ service: 'trip-test', level: 'silent' })),
    objects: await openObjectStore('embedded', driverConfig.infra),
    archive: await openLocationArchive('embedded', driverConfig.infra),
  };
  isolateDriverSettings();
  const driverService = await startDriverService(driverConfig, shared);
  const clock = new TestClock();
  const env = { ...base, TRIP_GRPC_PORT: '0', TRIP_OPS_PORT: '0', DRIVER_GRPC_ADDRESS: driverService.grpcAddress };
  const instance = await startInstance(env, clock, testSettings(), shared);
  const driverChannel = openChannel(driverService.grpcAddress);
  return {
    ...instance,
    mode: 'embedded',
    users,
    drivers: createGrpcClient(driver.DriverServiceDefinition, driverChannel, { deadlineMs: 15_000 }),
    db: instance.service.runtime.database.db,
    objects: shared.objects,
    clock,
    startReplica: () => Promise.reject(new Error('replicas need a real database')),
    async stop() {
      driverChannel.close();
      await instance.stop();
      await driverService.stop();
      users.stop();
      await shared.bus.close();
      await shared.kv.close();
      await shared.archive.close();
      await pglite.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function migratedTemplate(name: string, folder: string, schemaName: string) {
  return createTemplateDatabase(name, async (url) => {
    const database = await createSqlDatabase({ kind: 'postgres', url, maxConnections: 1 }, {});
    try {
      await database.migrate({ migrationsFolder: folder, schema: schemaName });
    } finally {
      await database.close();
    }
  });
}

/** Real mode: throwaway Postgres databases for both services, Redis, Kafka, S3, DynamoDB (dynalite). */
export async function startRealTripService(): Promise<TripServiceHarness> {
  loadInfraEnv();
  const tripDb = await createTestDatabase(await migratedTemplate('uitgo_trip_test_template', migrationsFolder, 'trip'));
  const driverDb = await createTestDatabase(await migratedTemplate('uitgo_driver_test_template', driverMigrations, 'driver'));
  const users = await startFakeUserService();
  const base = { ...process.env, UITGO_MODE: 'real', LOG_LEVEL: 'silent', MIGRATE_ON_START: 'false', USER_GRPC_ADDRESS: users.address };
  isolateDriverSettings();
  const driverService = await startDriverService(loadServiceConfig('driver', { ...base, DRIVER_DATABASE_URL: driverDb.url, DRIVER_GRPC_PORT: '0', DRIVER_OPS_PORT: '0' }));
  await (await driverService.runtime.locationArchive()).ensureTable();
  const clock = new TestClock();
  const settings = testSettings();
  const env = { ...base, TRIP_DATABASE_URL: tripDb.url, TRIP_GRPC_PORT: '0', TRIP_OPS_PORT: '0', DRIVER_GRPC_ADDRESS: driverService.grpcAddress };
  const instance = await startInstance(env, clock, settings);
  const driverChannel = openChannel(driverService.grpcAddress);
  const replicas: TripInstance[] = [];
  return {
    ...instance,
    mode: 'real',
    users,
    drivers: createGrpcClient(driver.DriverServiceDefinition, driverChannel, { deadlineMs: 15_000 }),
    db: instance.service.runtime.database.db,
    objects: await instance.service.runtime.objectStore(),
    clock,
    async startReplica() {
      const replica = await startInstance(env, clock, settings);
      replicas.push(replica);
      return replica;
    },
    async stop() {
      driverChannel.close();
      for (const replica of replicas) await replica.stop();
      await instance.stop();
      await driverService.stop();
      users.stop();
      await tripDb.drop();
      await driverDb.drop();
    },
  };
}
