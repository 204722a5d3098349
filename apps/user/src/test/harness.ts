import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { user } from '@uitgo/grpc';
import { type Caller, createGrpcClient, createLogger, freePort, type GrpcClient, newTraceId, openChannel, runWithContext } from '@uitgo/kit';
import { MemoryEventBus, type EventBus } from '@uitgo/kit/events';
import { LocalObjectStore, localObjectRoutes, type ObjectStore } from '@uitgo/kit/objects';
import { loadServiceConfig, openKeyValueStore, openLocationArchive } from '@uitgo/kit/runtime';
import { createSqlDatabase, type Db } from '@uitgo/kit/sql';
import { createTemplateDatabase, createTestDatabase, loadInfraEnv } from '@uitgo/kit/testing';
import Fastify from 'fastify';
import * as schema from '../db/schema.js';
import { migrationsFolder, startUserService } from '../service.js';

/** A running user service and what its tests need to reach around it. */
export interface UserServiceHarness {
  client: GrpcClient<typeof user.UserServiceDefinition>;
  db: Db<typeof schema>;
  bus: EventBus;
  objects: ObjectStore;
  stop(): Promise<void>;
}

const settings = (consumerGroup = 'user-service', consumerStart: 'beginning' | 'end' = 'beginning') => ({ uploadUrlTtlS: 600, downloadUrlTtlS: 300, consumerGroup, consumerStart });

/** Runs `fn` as if the gateway had put `caller` in the call's metadata. */
export const as = <T>(caller: Caller, fn: () => Promise<T>): Promise<T> => runWithContext({ traceId: newTraceId(), caller }, fn);

/** Embedded mode: in-memory PGlite, in-process bus, and a local object store served by our own Fastify. */
export async function startEmbeddedUserService(): Promise<UserServiceHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'uitgo-user-'));
  const port = await freePort();
  const objects = new LocalObjectStore({ dir: join(dir, 'objects'), baseUrl: `http://127.0.0.1:${port}/files`, secret: randomUUID() + randomUUID() });
  const files = Fastify();
  await files.register(localObjectRoutes(objects), { prefix: '/files' });
  await files.listen({ host: '127.0.0.1', port });

  const env = { UITGO_MODE: 'embedded', USER_GRPC_PORT: '0', USER_OPS_PORT: '0', LOG_LEVEL: process.env.UITGO_TEST_LOG_LEVEL ?? 'silent', DATA_DIR: dir };
  const config = loadServiceConfig('user', env);
  const pglite = new PGlite();
  const shared = {
    pglite,
    bus: new MemoryEventBus(),
    kv: await openKeyValueStore('embedded', config.infra, createLogger({ service: 'user-test', level: 'silent' })),
    objects,
    archive: await openLocationArchive('embedded', config.infra),
  };
  const service = await startUserService(config, shared, settings());
  const channel = openChannel(service.grpcAddress);
  return {
    client: createGrpcClient(user.UserServiceDefinition, channel, { deadlineMs: 10_000 }),
    db: service.runtime.database.db,
    bus: shared.bus,
    objects,
    async stop() {
      channel.close();
      await service.stop();
      await shared.bus.close();
      await shared.kv.close();
      await shared.archive.close();
      await pglite.close();
      await files.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Real mode: a throwaway Postgres database cloned from a migrated template, S3 (S3Proxy) and Kafka. */
export async function startRealUserService(): Promise<UserServiceHarness> {
  loadInfraEnv();
  const template = await createTemplateDatabase('uitgo_user_test_template', async (url) => {
    const database = await createSqlDatabase({ kind: 'postgres', url, maxConnections: 1 }, schema);
    try {
      await database.migrate({ migrationsFolder, schema: 'user' });
    } finally {
      await database.close();
    }
  });
  const database = await createTestDatabase(template);
  const env = {
    ...process.env,
    UITGO_MODE: 'real',
    USER_DATABASE_URL: database.url,
    USER_GRPC_PORT: '0',
    USER_OPS_PORT: '0',
    LOG_LEVEL: process.env.UITGO_TEST_LOG_LEVEL ?? 'silent',
    MIGRATE_ON_START: 'false',
  };
  // Its own consumer group, so other user services on the same Kafka do not take our events,
  // starting at the end: from the beginning it would first replay every registration of every
  // earlier run and benchmark on this Kafka (tens of thousands), past the tests' patience.
  const service = await startUserService(loadServiceConfig('user', env), undefined, settings(`user-service-test-${randomUUID()}`, 'end'));
  const channel = openChannel(service.grpcAddress);
  return {
    client: createGrpcClient(user.UserServiceDefinition, channel, { deadlineMs: 10_000 }),
    db: service.runtime.database.db,
    bus: service.runtime.bus,
    objects: await service.runtime.objectStore(),
    async stop() {
      channel.close();
      await service.stop();
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
