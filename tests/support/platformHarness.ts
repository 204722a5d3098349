import { randomUUID } from 'node:crypto';
import { startAuthService } from '@uitgo/auth';
import { startDriverService } from '@uitgo/driver';
import { gatewayConfigSchema, startGateway } from '@uitgo/gateway';
import { createLogger, createMetrics, freePort, type RunningService } from '@uitgo/kit';
import type { EventBus } from '@uitgo/kit/events';
import { loadServiceConfig, openEventBus, type ServiceName } from '@uitgo/kit/runtime';
import { createTemplateDatabase, createTestDatabase, type TestDatabase } from '@uitgo/kit/testing';
import { startEmbeddedPlatform } from '@uitgo/platform';
import { startTripService } from '@uitgo/trip';
import { startUserService } from '@uitgo/user';
import { describe } from 'vitest';
import { EventRecorder } from './eventRecorder.js';

/** The bootstrap admin every harness run configures (AUTH_BOOTSTRAP_ADMIN_*). */
export const BOOTSTRAP_ADMIN = { email: 'admin@uitgo.test', password: 'Bootstrap-Admin-Pass-1' } as const;

export interface TestPlatform {
  mode: 'embedded' | 'real' | 'remote';
  /** Gateway base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** The platform's bootstrap admin (AUTH_BOOTSTRAP_ADMIN_*). */
  admin: { email: string; password: string };
  /** Records the events published on `topics` from now on (embedded: the in-process bus; real: Kafka). */
  recordEvents(topics: string[]): Promise<EventRecorder>;
  /** Starts another gateway replica in front of the same services, bus and store; answers its URL. Stopped with the platform. */
  addGateway(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * How many calls of a gRPC method (e.g. `BatchGetTrips`) the gateway has made so far, from its
 * own /metrics; 0 for a remote platform, whose metrics may not be reachable.
 */
export async function gatewayGrpcCalls(platform: TestPlatform, method: string): Promise<number> {
  if (platform.mode === 'remote') return 0;
  const text = await (await fetch(`${platform.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('grpc_client_handling_seconds_count{') && l.includes(`/${method}"`));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** The event recorders of one platform; `stop` ends them and closes the bus if the harness opened it. */
function recorders(bus: () => Promise<EventBus>, fromBeginning: boolean, closeBus: boolean) {
  const started: EventRecorder[] = [];
  let opened: Promise<EventBus> | undefined;
  return {
    async record(topics: string[]): Promise<EventRecorder> {
      opened ??= bus();
      const recorder = await EventRecorder.start(await opened, topics, fromBeginning);
      started.push(recorder);
      return recorder;
    },
    async stop(): Promise<void> {
      await Promise.all(started.map((r) => r.stop()));
      if (closeBus && opened) await (await opened).close();
    },
  };
}

/**
 * Settings both modes share: the bootstrap admin, and limits a test suite's burst of requests
 * stays under. The auth, driver and trip services read their AUTH_*, DRIVER_* and TRIP_*
 * settings from process.env, so they go there too.
 */
function harnessEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const auth: NodeJS.ProcessEnv = {
    AUTH_BOOTSTRAP_ADMIN_EMAIL: BOOTSTRAP_ADMIN.email,
    AUTH_BOOTSTRAP_ADMIN_PASSWORD: BOOTSTRAP_ADMIN.password,
  };
  // The auth, driver and trip services read their own settings (AUTH_*, DRIVER_*, TRIP_*) from process.env.
  for (const [key, value] of Object.entries({ ...auth, ...extra })) {
    if (/^(AUTH|DRIVER|TRIP)_/.test(key) && value !== undefined) process.env[key] = value;
  }
  return {
    ...process.env,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    RATE_LIMIT_PUBLIC_MAX: '10000',
    RATE_LIMIT_USER_MAX: '10000',
    // The suites fire hundreds of requests at once to test races, not capacity: on a slow machine
    // admission control would refuse some (503). Its own tests are in kit and the gateway.
    ADMISSION_BUDGET_MS: '0',
    ...auth,
    ...extra,
  };
}

export interface HarnessOptions {
  /** Cheap password hashing, for suites that register hundreds of accounts (a production hash is a third of a core-second). */
  cheapPasswords?: boolean;
  /**
   * Real mode: services that get an empty database of their own for this run (migrated on
   * start, dropped on stop) instead of the shared one. A trip service sharing trips-db would
   * dispatch the trips of every suite running at the same time, with its own settings and drivers.
   */
  ownDatabases?: ServiceName[];
}

const CHEAP_SCRYPT = { ln: 10, r: 8, p: 1 };

/** `pnpm dev` in one process: PGlite, in-process bus and store, local files served by the gateway. */
export async function startEmbeddedTestPlatform(extra: NodeJS.ProcessEnv = {}, options: HarnessOptions = {}): Promise<TestPlatform> {
  const platform = await startEmbeddedPlatform({
    dataDir: 'memory://',
    port: 0,
    servicePorts: 'ephemeral',
    env: harnessEnv(extra),
    ...(options.cheapPasswords ? { scrypt: CHEAP_SCRYPT } : {}),
  });
  const events = recorders(async () => platform.shared.bus, true, false);
  return {
    mode: 'embedded',
    url: platform.url,
    admin: BOOTSTRAP_ADMIN,
    recordEvents: (topics) => events.record(topics),
    addGateway: () => platform.addGateway(),
    async stop() {
      await platform.stop();
      await events.stop();
    },
  };
}

const starters = { auth: startAuthService, user: startUserService, driver: startDriverService, trip: startTripService };

/**
 * Real mode with every service in this process: PostgreSQL per service, Kafka, Redis, S3, as
 * `pnpm infra:up` provides them (settings from .infra/env, loaded by describeReal).
 */
export async function startRealTestPlatform(extra: NodeJS.ProcessEnv = {}, options: HarnessOptions = {}): Promise<TestPlatform> {
  const env = harnessEnv({
    UITGO_MODE: 'real',
    AUTH_KEY_ENCRYPTION_SECRET: process.env.AUTH_KEY_ENCRYPTION_SECRET ?? `test-only-${randomUUID()}-${randomUUID()}`,
    // Kafka is shared with other runs: a suite's new consumer groups start at the end, not at the topics' history.
    TRIP_CONSUME_FROM_BEGINNING: 'false',
    ...extra,
  });
  const services: RunningService[] = [];
  const databases: TestDatabase[] = [];
  const events = recorders(() => openEventBus('real', loadServiceConfig('trip', env).infra, 'uitgo-e2e-recorder', createLogger({ service: 'e2e', level: 'warn' })), false, true);
  const stopAll = async () => {
    try {
      for (const service of services.reverse()) await service.stop();
      await events.stop();
    } finally {
      for (const database of databases) await database.drop();
    }
  };
  try {
    for (const name of options.ownDatabases ?? []) {
      const database = await createTestDatabase(await createTemplateDatabase('uitgo_e2e_empty', async () => undefined));
      databases.push(database);
      env[`${name.toUpperCase()}_DATABASE_URL`] = database.url;
    }
    // Every service needs its peers' addresses up front, so take free ports first.
    for (const name of Object.keys(starters) as ServiceName[]) env[`${name.toUpperCase()}_GRPC_PORT`] = String(await freePort());
    for (const name of Object.keys(starters) as ServiceName[]) {
      env[`${name.toUpperCase()}_GRPC_ADDRESS`] = `127.0.0.1:${env[`${name.toUpperCase()}_GRPC_PORT`]}`;
    }
    for (const name of Object.keys(starters) as ServiceName[]) {
      const config = { ...loadServiceConfig(name, env), opsPort: 0 };
      services.push(await (name === 'auth' && options.cheapPasswords ? startAuthService(config, undefined, { scrypt: CHEAP_SCRYPT }) : starters[name](config)));
    }
    const startReplica = () =>
      startGateway(
        gatewayConfigSchema.parse({ ...env, PORT: '0', GATEWAY_HOST: '127.0.0.1' }),
        createLogger({ service: 'gateway', level: env.LOG_LEVEL ?? 'warn' }),
        createMetrics('gateway', { defaults: false }),
      );
    const gateways = [await startReplica()];
    return {
      mode: 'real',
      url: gateways[0]!.url,
      admin: BOOTSTRAP_ADMIN,
      recordEvents: (topics) => events.record(topics),
      async addGateway() {
        const replica = await startReplica();
        gateways.push(replica);
        return replica.url;
      },
      async stop() {
        for (const gateway of gateways.reverse()) await gateway.stop();
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/**
 * `UITGO_BASE_URL` (e.g. http://127.0.0.1:8080, a `docker compose` platform's gateway): the
 * suites that only speak HTTP and WebSocket run against that platform instead of starting one
 * (`pnpm test:remote`). Its bootstrap admin comes from this process's AUTH_BOOTSTRAP_ADMIN_EMAIL
 * and AUTH_BOOTSTRAP_ADMIN_PASSWORD, read before any harness writes its own there.
 */
export const REMOTE_BASE_URL = process.env.UITGO_BASE_URL?.trim().replace(/\/+$/, '') || undefined;
const remoteAdmin = { email: process.env.AUTH_BOOTSTRAP_ADMIN_EMAIL, password: process.env.AUTH_BOOTSTRAP_ADMIN_PASSWORD };

/** The running platform at `url`: nothing is started or stopped; what only an in-process platform offers throws. */
export async function connectRemotePlatform(url: string): Promise<TestPlatform> {
  const { email, password } = remoteAdmin;
  if (!email || !password) {
    throw new Error('UITGO_BASE_URL is set: set AUTH_BOOTSTRAP_ADMIN_EMAIL and AUTH_BOOTSTRAP_ADMIN_PASSWORD to that platform\'s bootstrap admin');
  }
  const ready = await fetch(`${url}/readyz`).catch((err: unknown) => {
    throw new Error(`UITGO_BASE_URL=${url}: no platform answers (${String(err)})`);
  });
  if (!ready.ok) throw new Error(`UITGO_BASE_URL=${url}: /readyz answered ${ready.status} ${await ready.text()}`);
  const unavailable = (what: string) => () => Promise.reject(new Error(`${what} needs an in-process platform: run this suite without UITGO_BASE_URL`));
  return {
    mode: 'remote',
    url,
    admin: { email, password },
    recordEvents: unavailable('recording events'),
    addGateway: unavailable('another gateway replica'),
    stop: async () => undefined,
  };
}

/**
 * A suite that only needs HTTP and WebSocket: against UITGO_BASE_URL when it is set (the
 * settings the suite passes are then the running platform's business), otherwise registered
 * by `local` as always (embedded, and real mode where its infrastructure is up).
 */
export async function describeOverHttp(
  title: string,
  suite: (start: () => Promise<TestPlatform>) => void,
  local: () => void | Promise<void>,
): Promise<void> {
  const url = REMOTE_BASE_URL;
  if (!url) return local();
  describe(`${title} (platform at ${url})`, () => suite(() => connectRemotePlatform(url)));
}
