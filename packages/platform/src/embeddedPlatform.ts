import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { loadAuthConfig, startAuthService } from '@uitgo/auth';
import { startDriverService } from '@uitgo/driver';
import { gatewayConfigSchema, startGateway } from '@uitgo/gateway';
import { createLogger, createMetrics, freePort, type Logger } from '@uitgo/kit';
import { LocalObjectStore } from '@uitgo/kit/objects';
import {
  loadServiceConfig,
  openEventBus,
  openKeyValueStore,
  openLocationArchive,
  openObjectStore,
  type EmbeddedShared,
  type ServiceConfig,
  type ServiceName,
} from '@uitgo/kit/runtime';
import { startTripService } from '@uitgo/trip';
import { startUserService } from '@uitgo/user';

export interface EmbeddedPlatformOptions {
  /** Where PGlite and local files persist; `memory://` keeps everything in memory (tests). */
  dataDir: string;
  /** Gateway port (0 picks a free one). */
  port: number;
  /** 0 gives every service a free port (tests); otherwise the default ports. */
  servicePorts?: 'default' | 'ephemeral';
  logLevel?: string;
  env?: NodeJS.ProcessEnv;
  /** Password hashing cost of the auth service: tests that register many accounts lower it. */
  scrypt?: AuthServiceOptions['scrypt'];
}

type AuthServiceOptions = NonNullable<Parameters<typeof startAuthService>[2]>;

export interface EmbeddedPlatform {
  url: string;
  logger: Logger;
  shared: EmbeddedShared;
  /** Starts another gateway replica on a free port, in front of the same services, bus and store; answers its URL. */
  addGateway(): Promise<string>;
  stop(): Promise<void>;
}

type Starter = (config: ServiceConfig, shared: EmbeddedShared, env: NodeJS.ProcessEnv, options: EmbeddedPlatformOptions) => Promise<{ stop(): Promise<void> }>;
const starters: Record<ServiceName, Starter> = {
  auth: (config, shared, env, { scrypt }) => startAuthService(config, shared, { auth: loadAuthConfig('embedded', env), ...(scrypt ? { scrypt } : {}) }),
  user: (config, shared) => startUserService(config, shared),
  driver: (config, shared) => startDriverService(config, shared),
  trip: (config, shared) => startTripService(config, shared),
};

/**
 * The whole platform in one process with nothing installed but Node: one PGlite holding each
 * service's schema, an in-process event bus, in-process stores and local files. The services
 * still talk to each other and to the gateway over gRPC on loopback, as in real mode.
 */
export async function startEmbeddedPlatform(options: EmbeddedPlatformOptions): Promise<EmbeddedPlatform> {
  const inMemory = options.dataDir === 'memory://';
  // In-memory runs still need a directory for files; it is removed on stop.
  const scratch = inMemory ? await mkdtemp(join(tmpdir(), 'uitgo-')) : undefined;
  const dataDir = scratch ?? resolve(options.dataDir);
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env), UITGO_MODE: 'embedded', DATA_DIR: dataDir };
  if (options.logLevel) env.LOG_LEVEL = options.logLevel;
  const logger = createLogger({ service: 'platform', level: env.LOG_LEVEL ?? 'info' });
  await mkdir(dataDir, { recursive: true });
  const port = options.port === 0 ? await freePort() : options.port;

  const pglite = inMemory ? new PGlite() : new PGlite(join(dataDir, 'pglite'));
  await pglite.waitReady;
  const infraConfig = loadServiceConfig('auth', env).infra;
  const gatewayConfig = gatewayConfigSchema.parse({ ...env, PORT: String(port), GATEWAY_HOST: env.GATEWAY_HOST ?? '127.0.0.1' });
  const publicUrl = `http://127.0.0.1:${port}`;
  const shared: EmbeddedShared = {
    pglite,
    bus: await openEventBus('embedded', infraConfig, 'uitgo-embedded', logger),
    kv: await openKeyValueStore('embedded', infraConfig, logger),
    objects: await openObjectStore('embedded', infraConfig, publicUrl),
    archive: await openLocationArchive('embedded', infraConfig),
  };

  // Every service learns the others' addresses up front, so start order does not matter.
  for (const name of Object.keys(starters) as ServiceName[]) {
    const P = name.toUpperCase();
    if (options.servicePorts === 'ephemeral') {
      env[`${P}_GRPC_PORT`] = String(await freePort());
      env[`${P}_OPS_PORT`] = '0';
    }
    env[`${P}_GRPC_ADDRESS`] = `127.0.0.1:${loadServiceConfig(name, env).grpcPort}`;
  }
  const running: { stop(): Promise<void> }[] = [];
  for (const name of Object.keys(starters) as ServiceName[]) {
    running.push(await starters[name](loadServiceConfig(name, env), shared, env, options));
  }
  const startReplica = (replicaPort: number) =>
    startGateway(
      gatewayConfigSchema.parse({ ...env, PORT: String(replicaPort), GATEWAY_HOST: gatewayConfig.GATEWAY_HOST }),
      logger.child({ service: 'gateway' }),
      createMetrics('gateway'),
      { keyValueStore: shared.kv, eventBus: shared.bus, ...(shared.objects instanceof LocalObjectStore ? { localObjects: shared.objects } : {}) },
    );
  const gateways = [await startReplica(port)];

  return {
    url: gateways[0]!.url,
    logger,
    shared,
    async addGateway() {
      const replica = await startReplica(0);
      gateways.push(replica);
      return replica.url;
    },
    async stop() {
      for (const gateway of gateways.reverse()) await gateway.stop();
      for (const service of running.reverse()) await service.stop();
      await shared.bus.close();
      await shared.kv.close();
      await shared.archive.close();
      await pglite.close();
      if (scratch) await rm(scratch, { recursive: true, force: true });
    },
  };
}
