import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { driver, type user } from '@uitgo/grpc';
import { createGrpcClient, createLogger, newTraceId, openChannel, runWithContext, type Caller, type GrpcClient } from '@uitgo/kit';
import type { LocationArchive } from '@uitgo/kit/archive';
import { MemoryEventBus } from '@uitgo/kit/events';
import { loadServiceConfig, openKeyValueStore, openLocationArchive, openObjectStore } from '@uitgo/kit/runtime';
import { createSqlDatabase, type Db } from '@uitgo/kit/sql';
import { createTemplateDatabase, createTestDatabase, loadInfraEnv } from '@uitgo/kit/testing';
import { loadDriverSettings } from '../config.js';
import * as schema from '../db/schema.js';
import { migrationsFolder, startDriverService } from '../service.js';
import { startFakeUserService } from './fakeUserService.js';

/** A running driver service with a fake user service, and what its tests reach around it. */
export interface DriverServiceHarness {
  client: GrpcClient<typeof driver.DriverServiceDefinition>;
  db: Db<typeof schema>;
  archive: LocationArchive;
  verification: Map<string, user.VerificationStatus>;
  stopUserService(): void;
  /** Embedded only: another driver process on the same database, bus and archive (e.g. `DRIVER_ROLE=archiver`). */
  startSibling?(settingsEnv: NodeJS.ProcessEnv): Promise<Awaited<ReturnType<typeof startDriverService>>>;
  stop(): Promise<void>;
}

/** Runs `fn` as if the gateway had put `caller` in the call's metadata. */
export const as = <T>(caller: Caller, fn: () => Promise<T>): Promise<T> => runWithContext({ traceId: newTraceId(), caller }, fn);

/** Points of drivers between trips are written together after this long (30 s by default). */
const TEST_ARCHIVE_LINGER_MS = '250';

const testSettings = (env: NodeJS.ProcessEnv) =>
  loadDriverSettings({ DRIVER_GEO_KEY_PREFIX: `uitgo-test:driver:${randomUUID()}:`, DRIVER_ARCHIVER_GROUP: `driver-location-archiver-test-${randomUUID()}`, DRIVER_ARCHIVE_LINGER_MS: TEST_ARCHIVE_LINGER_MS, ...env });

async function withUserService() {
  const verification = new Map<string, user.VerificationStatus>();
  const users = await startFakeUserService(verification);
  return { verification, users };
}

/** Embedded mode: in-memory PGlite, in-process bus, memory geo index and archive; `settingsEnv` adds DRIVER_* settings. */
export async function startEmbeddedDriverService(settingsEnv: NodeJS.ProcessEnv = {}): Promise<DriverServiceHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'uitgo-driver-'));
  const { verification, users } = await withUserService();
  const env = { UITGO_MODE: 'embedded', DRIVER_GRPC_PORT: '0', DRIVER_OPS_PORT: '0', USER_GRPC_ADDRESS: users.address, LOG_LEVEL: 'silent', DATA_DIR: dir };
  const config = loadServiceConfig('driver', env);
  const pglite = new PGlite();
  const shared = {
    pglite,
    bus: new MemoryEventBus(),
    kv: await openKeyValueStore('embedded', config.infra, createLogger({ service: 'driver-test', level: 'silent' })),
    objects: await openObjectStore('embedded', config.infra),
    archive: await openLocationArchive('embedded', config.infra),
  };
  const service = await startDriverService(config, shared, testSettings(settingsEnv));
  const channel = openChannel(service.grpcAddress);
  const siblings: Awaited<ReturnType<typeof startDriverService>>[] = [];
  return {
    async startSibling(siblingEnv) {
      const sibling = await startDriverService(config, shared, testSettings(siblingEnv));
      siblings.push(sibling);
      return sibling;
    },
    client: createGrpcClient(driver.DriverServiceDefinition, channel, { deadlineMs: 10_000 }),
    db: service.runtime.database.db,
    archive: shared.archive,
    verification,
    stopUserService: () => users.stop(),
    async stop() {
      channel.close();
      for (const sibling of siblings) await sibling.stop();
      await service.stop();
      users.stop();
      await shared.bus.close();
      await shared.kv.close();
      await shared.archive.close();
      await pglite.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Real mode: a throwaway Postgres database from a migrated template, Redis (Cluster when configured), Kafka, DynamoDB (dynalite). */
export async function startRealDriverService(): Promise<DriverServiceHarness> {
  loadInfraEnv();
  const template = await createTemplateDatabase('uitgo_driver_test_template', async (url) => {
    const database = await createSqlDatabase({ kind: 'postgres', url, maxConnections: 1 }, schema);
    try {
      await database.migrate({ migrationsFolder, schema: 'driver' });
    } finally {
      await database.close();
    }
  });
  const database = await createTestDatabase(template);
  const { verification, users } = await withUserService();
  const env = {
    ...process.env,
    UITGO_MODE: 'real',
    DRIVER_DATABASE_URL: database.url,
    DRIVER_GRPC_PORT: '0',
    DRIVER_OPS_PORT: '0',
    USER_GRPC_ADDRESS: users.address,
    LOG_LEVEL: 'silent',
    MIGRATE_ON_START: 'false',
  };
  const service = await startDriverService(loadServiceConfig('driver', env), undefined, testSettings({}));
  const archive = await service.runtime.locationArchive();
  await archive.ensureTable();
  const channel = openChannel(service.grpcAddress);
  return {
    client: createGrpcClient(driver.DriverServiceDefinition, channel, { deadlineMs: 10_000 }),
    db: service.runtime.database.db,
    archive,
    verification,
    stopUserService: () => users.stop(),
    async stop() {
      channel.close();
      await service.stop();
      users.stop();
      await database.drop();
    },
  };
}

/** Polls `probe` until it returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`, { cause: lastError });
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
