import { createSqlDatabase } from '@uitgo/kit/sql';
import { loadServiceConfig } from '@uitgo/kit/runtime';
import { createTemplateDatabase, createTestDatabase, describeReal } from '@uitgo/kit/testing';
import { loadAuthConfig } from './config.js';
import { migrationsFolder, startAuthService } from './service.js';
import { authServiceSuite, BOOTSTRAP_ADMIN, SUITE_KEY_SECRET } from './test/authServiceSuite.js';

async function migrateTemplate(url: string): Promise<void> {
  const database = await createSqlDatabase({ kind: 'postgres', url, maxConnections: 1 });
  try {
    await database.migrate({ migrationsFolder, schema: 'auth' });
  } finally {
    await database.close();
  }
}

// Real mode also opens the Kafka event bus for the outbox relay.
await describeReal('auth service over gRPC (real: Postgres from a migrated template, Redis, Kafka)', ['postgres', 'redis', 'kafka'], () => {
  authServiceSuite(async () => {
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
    });
    const service = await startAuthService(loadServiceConfig('auth', env), undefined, { auth });
    return Object.assign(service, { stopInfra: () => database.drop() });
  });
});
