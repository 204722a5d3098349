import { randomUUID } from 'node:crypto';
import { startAuthService } from '@uitgo/auth';
import { startDriverService } from '@uitgo/driver';
import { gatewayConfigSchema, startGateway } from '@uitgo/gateway';
import { createLogger, createMetrics, type RunningService } from '@uitgo/kit';
import { loadServiceConfig, type ServiceName } from '@uitgo/kit/runtime';
import { startEmbeddedPlatform } from '@uitgo/platform';
import { startTripService } from '@uitgo/trip';
import { startUserService } from '@uitgo/user';

/** The bootstrap admin every harness run configures (AUTH_BOOTSTRAP_ADMIN_*). */
export const BOOTSTRAP_ADMIN = { email: 'admin@uitgo.test', password: 'Bootstrap-Admin-Pass-1' } as const;

export interface TestPlatform {
  mode: 'embedded' | 'real';
  /** Gateway base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  stop(): Promise<void>;
}

/**
 * Settings both modes share: the bootstrap admin, and limits a test suite's burst of requests
 * stays under. The auth and driver services read their AUTH_* and DRIVER_* settings from
 * process.env, so they go there too.
 */
function harnessEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const auth: NodeJS.ProcessEnv = {
    AUTH_BOOTSTRAP_ADMIN_EMAIL: BOOTSTRAP_ADMIN.email,
    AUTH_BOOTSTRAP_ADMIN_PASSWORD: BOOTSTRAP_ADMIN.password,
  };
  // The auth and driver services read their own settings (AUTH_*, DRIVER_*) from process.env.
  for (const [key, value] of Object.entries({ ...auth, ...extra })) {
    if ((key.startsWith('AUTH_') || key.startsWith('DRIVER_')) && value !== undefined) process.env[key] = value;
  }
  return {
    ...process.env,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    RATE_LIMIT_PUBLIC_MAX: '10000',
    RATE_LIMIT_USER_MAX: '10000',
    ...auth,
    ...extra,
  };
}

/** `pnpm dev` in one process: PGlite, in-process bus and store, local files served by the gateway. */
export async function startEmbeddedTestPlatform(extra: NodeJS.ProcessEnv = {}): Promise<TestPlatform> {
  const platform = await startEmbeddedPlatform({ dataDir: 'memory://', port: 0, servicePorts: 'ephemeral', env: harnessEnv(extra) });
  return { mode: 'embedded', url: platform.url, stop: () => platform.stop() };
}

const starters = { auth: startAuthService, user: startUserService, driver: startDriverService, trip: startTripService };

/**
 * Real mode with every service in this process: PostgreSQL per service, Kafka, Redis, S3, as
 * `pnpm infra:up` provides them (settings from .infra/env, loaded by describeReal).
 */
export async function startRealTestPlatform(extra: NodeJS.ProcessEnv = {}): Promise<TestPlatform> {
  const env = harnessEnv({
    UITGO_MODE: 'real',
    AUTH_KEY_ENCRYPTION_SECRET: process.env.AUTH_KEY_ENCRYPTION_SECRET ?? `test-only-${randomUUID()}-${randomUUID()}`,
    ...extra,
  });
  const services: RunningService[] = [];
  const stopAll = async () => {
    for (const service of services.reverse()) await service.stop();
  };
  try {
    // Every service needs its peers' addresses up front, so take free ports first.
    for (const name of Object.keys(starters) as ServiceName[]) env[`${name.toUpperCase()}_GRPC_PORT`] = String(await freePort());
    for (const name of Object.keys(starters) as ServiceName[]) {
      env[`${name.toUpperCase()}_GRPC_ADDRESS`] = `127.0.0.1:${env[`${name.toUpperCase()}_GRPC_PORT`]}`;
    }
    for (const name of Object.keys(starters) as ServiceName[]) {
      services.push(await starters[name]({ ...loadServiceConfig(name, env), opsPort: 0 }));
    }
    const gateway = await startGateway(
      gatewayConfigSchema.parse({ ...env, PORT: '0', GATEWAY_HOST: '127.0.0.1' }),
      createLogger({ service: 'gateway', level: env.LOG_LEVEL ?? 'warn' }),
      createMetrics('gateway', { defaults: false }),
    );
    return {
      mode: 'real',
      url: gateway.url,
      async stop() {
        await gateway.stop();
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
