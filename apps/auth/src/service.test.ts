import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { openEventBus, openKeyValueStore, openLocationArchive, openObjectStore, loadServiceConfig, type EmbeddedShared } from '@uitgo/kit/runtime';
import { createLogger } from '@uitgo/kit';
import { describe } from 'vitest';
import { loadAuthConfig } from './config.js';
import { startAuthService } from './service.js';
import { authServiceSuite, BOOTSTRAP_ADMIN, SUITE_KEY_SECRET } from './test/authServiceSuite.js';

describe('auth service over gRPC (embedded: in-memory PGlite)', () => {
  authServiceSuite(async () => {
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
    });
    const service = await startAuthService(config, shared, { auth });
    return Object.assign(service, {
      async stopInfra() {
        await Promise.all([shared.bus.close(), shared.kv.close(), shared.archive.close()]);
        await pglite.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    });
  });
});
