import type { Server } from 'nice-grpc';
import type { EventBus } from '../events/eventBus.js';
import { createLogger, type Logger } from '../logger.js';
import { createMetrics, type ServiceMetrics } from '../metrics.js';
import type { ReadinessCheck } from '../ops/opsServer.js';
import { OutboxRelay, type OutboxTable } from '../outbox/index.js';
import { startService, type RunningService } from '../service.js';
import { startTracing } from '../tracing/tracing.js';
import type { SqlDatabase } from '../sql/index.js';
import type { Channel, CompatServiceDefinition } from 'nice-grpc';
import type { LocationArchive } from '../archive/index.js';
import { createGrpcClient, openChannel, type GrpcClient } from '../grpc/client.js';
import type { KeyValueStore } from '../kv/index.js';
import type { ObjectStore } from '../objects/index.js';
import {
  openEventBus,
  openKeyValueStore,
  openLocationArchive,
  openObjectStore,
  openServiceDatabase,
  type EmbeddedShared,
} from './adapters.js';
import type { ServiceConfig, ServiceName } from './serviceConfig.js';
import { Counter, Gauge } from 'prom-client';

/** What every service gets from the kit before it wires its own use-cases. */
export interface ServiceRuntime<TSchema extends Record<string, unknown>> {
  config: ServiceConfig;
  logger: Logger;
  metrics: ServiceMetrics;
  database: SqlDatabase<TSchema>;
  bus: EventBus;
  outbox: OutboxRelay<TSchema>;
  /** Shared in-process adapters when all services run in one process (embedded mode). */
  shared: EmbeddedShared | undefined;
  /** The store for the running mode (Redis / in-process); opened once, closed on shutdown. */
  keyValueStore(): Promise<KeyValueStore>;
  /** S3 in real mode, the local directory in embedded mode. */
  objectStore(): Promise<ObjectStore>;
  locationArchive(): Promise<LocationArchive>;
  /** A client of another service, with the kit's deadlines, metadata and error mapping. */
  client<D extends CompatServiceDefinition>(definition: D, peer: ServiceName): GrpcClient<D>;
}

export interface ServiceAppOptions<TSchema extends Record<string, unknown>> {
  config: ServiceConfig;
  /** The drizzle schema module: tables live in the Postgres schema named after the service. */
  schema: TSchema;
  outboxTable: OutboxTable;
  /** Runs the outbox relay (default); a worker process that writes no events leaves it to the others. */
  outboxRelay?: boolean;
  migrationsFolder: string;
  shared?: EmbeddedShared;
  logger?: Logger;
  /** Wires use-cases and adapters, adds the gRPC implementations, returns extra checks and resources. */
  wire: (runtime: ServiceRuntime<TSchema>, server: ServerRegistrar) => Promise<ServiceWiring> | ServiceWiring;
}

export interface ServiceWiring {
  checks?: Record<string, ReadinessCheck>;
  resources?: { name: string; close: () => Promise<void> }[];
}

/** Defers service registration until the gRPC server exists. */
export type ServerRegistrar = { add: Server['add'] };

/**
 * The composition shared by the four services: database (+ migrations in dev), event bus,
 * outbox relay, gRPC + ops servers, readiness and ordered shutdown. Each app's main.ts only
 * supplies its schema and its `wire` function.
 */
export async function startServiceApp<TSchema extends Record<string, unknown>>(
  options: ServiceAppOptions<TSchema>,
): Promise<RunningService & { runtime: ServiceRuntime<TSchema> }> {
  const { config, shared } = options;
  const logger = options.logger ?? createLogger({ service: config.service, level: config.logLevel });
  const metrics = createMetrics(config.service);
  const tracing = config.tracing ? await startTracing({ service: config.service, settings: config.tracing }) : undefined;

  const database = await openServiceDatabase(config, options.schema, shared);
  if (config.migrateOnStart) await database.migrate({ migrationsFolder: options.migrationsFolder, schema: config.service });
  const bus = shared?.bus ?? (await openEventBus(config.mode, config.infra, `uitgo-${config.service}`, logger));

  const published = new Counter({
    name: 'uitgo_outbox_published_total',
    help: 'Events the outbox relay published to the bus, by topic',
    labelNames: ['topic'],
    registers: [metrics.registry],
  });
  const outbox = new OutboxRelay({
    database,
    table: options.outboxTable,
    bus,
    logger,
    hooks: { published: (topic, count) => published.labels(topic).inc(count) },
  });
  new Gauge({
    name: 'uitgo_outbox_oldest_unpublished_seconds',
    help: 'Age of the oldest event not yet published to the bus (publication lag)',
    registers: [metrics.registry],
    async collect() {
      const { oldestAgeMs } = await outbox.pending();
      this.set((oldestAgeMs ?? 0) / 1000);
    },
  });

  const owned: { name: string; close: () => Promise<void> }[] = [];
  const once = <T extends { close(): Promise<void> }>(name: string, sharedOne: T | undefined, open: () => Promise<T>) => {
    let opened: Promise<T> | undefined;
    return () =>
      (opened ??= sharedOne
        ? Promise.resolve(sharedOne)
        : open().then((it) => {
            owned.push({ name, close: () => it.close() });
            return it;
          }));
  };
  const channels = new Map<ServiceName, Channel>();
  const runtime: ServiceRuntime<TSchema> = {
    config,
    logger,
    metrics,
    database,
    bus,
    outbox,
    shared,
    keyValueStore: once('key-value store', shared?.kv, () => openKeyValueStore(config.mode, config.infra, logger)),
    objectStore: once('object store', shared?.objects, () => openObjectStore(config.mode, config.infra)),
    locationArchive: once('location archive', shared?.archive, () => openLocationArchive(config.mode, config.infra)),
    client(definition, peer) {
      let channel = channels.get(peer);
      if (!channel) channels.set(peer, (channel = openChannel(config.peers[peer])));
      return createGrpcClient(definition, channel, { deadlineMs: config.defaultDeadlineMs, metrics });
    },
  };
  const registrations: Parameters<Server['add']>[] = [];
  const wiring = await options.wire(runtime, { add: (...args: Parameters<Server['add']>) => void registrations.push(args) });
  if (options.outboxRelay !== false) outbox.start();

  return Object.assign(
    await startService({
      name: config.service,
      host: config.host,
      grpcPort: config.grpcPort,
      opsPort: config.opsPort,
      logger,
      metrics,
      shutdownTimeoutMs: config.shutdownTimeoutMs,
      defaultDeadlineMs: config.defaultDeadlineMs,
      maxConnectionAgeMs: config.grpcMaxConnectionAgeMs,
      register: (server) => registrations.forEach((args) => server.add(...args)),
      checks: { database: () => database.ping(), events: () => bus.ping(), ...wiring.checks },
      resources: [
        // Closed last, so the spans of the shutdown itself are exported.
        ...(tracing ? [{ name: 'tracing', close: () => tracing.shutdown() }] : []),
        { name: 'database', close: () => database.close() },
        ...(shared ? [] : [{ name: 'event bus', close: () => bus.close() }]),
        { name: 'outbox relay', close: () => outbox.stop() },
        { name: 'owned adapters', close: async () => void (await Promise.all(owned.map((o) => o.close()))) },
        { name: 'grpc channels', close: async () => channels.forEach((c) => c.close()) },
        ...(wiring.resources ?? []),
      ],
    }),
    { runtime },
  );
}
