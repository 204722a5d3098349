import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createLogger } from '@uitgo/kit';
import { loadServiceConfig, openEventBus, openKeyValueStore, openLocationArchive, openObjectStore, type EmbeddedShared } from '@uitgo/kit/runtime';
import { createSqlDatabase } from '@uitgo/kit/sql';
import { createTemplateDatabase, createTestDatabase } from '@uitgo/kit/testing';
import { loadAuthConfig } from '../config.js';
import { migrationsFolder, startAuthService } from '../service.js';
import { BOOTSTRAP_ADMIN, SUITE_KEY_SECRET, SUITE_PUBLISH_DELAY_MS, type StartAuth } from './authServiceSuite.js';

/** Embedded mode: in-memory PGlite, the in-process bus and key-value store; the user service unreachable. */
export const startEmbeddedAuth: StartAuth = async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'uitgo-auth-'));
  const env = { UITGO_MODE: 'embedded', DATA_DIR: dataDir, LOG_LEVEL: 'silent', AUTH_GRPC_PORT: '0', AUTH_OPS_PORT: '0', USER_GRPC_ADDRESS: '127.0.0.1:1' };
  const config = loadServiceConfig('auth', env);
  const logger = createLogger({ service: 'auth-test', level: 'silent' });
  const pglite = new PGlite();
  const shared: EmbeddedShared = {
    pglite,
    bus: await openEventBus('embedded', config.infra, 'auth-test', logger),
    kv: await openKeyValueStore('embedded', config.infra, logger),
    objects: await openObjectStore('embedded', config.infra),
    archive: await openLocationArchive('embedded', config.infra),
  };
  const auth = loadAuthConfig('embedded', {
    AUTH_BOOTSTRAP_ADMIN_EMAIL: BOOTSTRAP_ADMIN.email,
    AUTH_BOOTSTRAP_ADMIN_PASSWORD: BOOTSTRAP_ADMIN.password,
    AUTH_KEY_ENCRYPTION_SECRET: SUITE_KEY_SECRET,
    AUTH_SIGNING_KEY_PUBLISH_DELAY_MS: SUITE_PUBLISH_DELAY_MS,
  });
  const service = await startAuthService(config, shared, { auth });
  return Object.assign(service, {
    async stopInfra() {
      await Promise.all([shared.bus.close(), shared.kv.close(), shared.archive.close()]);
      await pglite.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  });
};

async function migrateTemplate(url: string): Promise<void> {
  const database = await createSqlDatabase({ kind: 'postgres', url, maxConnections: 1 });
  try {
    await database.migrate({ migrationsFolder, schema: 'auth' });
  } finally {
    await database.close();
  }
}

/** Real mode: Postgres from a migrated template, Redis and Kafka (the outbox relay's bus); the user service unreachable. */
export const startRealAuth: StartAuth = async () => {
  const database = await createTestDatabase(await createTemplateDatabase('uitgo_auth_test_tpl', migrateTemplate));
  // The single Redis of REDIS_URL, not the cluster that `.infra/env` also names.
  const { REDIS_CLUSTER_NODES: _cluster, ...inherited } = process.env;
  const env = {
    ...inherited,
    UITGO_MODE: 'real',
    LOG_LEVEL: 'silent',
    AUTH_DATABASE_URL: database.url,
    AUTH_GRPC_PORT: '0',
    AUTH_OPS_PORT: '0',
    USER_GRPC_ADDRESS: '127.0.0.1:1',
  };
  const auth = loadAuthConfig('real', {
    AUTH_KEY_ENCRYPTION_SECRET: SUITE_KEY_SECRET,
    AUTH_BOOTSTRAP_ADMIN_EMAIL: BOOTSTRAP_ADMIN.email,
    AUTH_BOOTSTRAP_ADMIN_PASSWORD: BOOTSTRAP_ADMIN.password,
    AUTH_SIGNING_KEY_PUBLISH_DELAY_MS: SUITE_PUBLISH_DELAY_MS,
  });
  const service = await startAuthService(loadServiceConfig('auth', env), undefined, { auth });
  return Object.assign(service, { stopInfra: () => database.drop() });
};
