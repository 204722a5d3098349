import type { Server } from 'nice-grpc';
import type { EventBus } from '../events/eventBus.js';
import { createLogger, type Logger } from '../logger.js';
import { createMetrics, type ServiceMetrics } from '../metrics.js';
import type { ReadinessCheck } from '../ops/opsServer.js';
import { OutboxRelay, type OutboxTable } from '../outbox/index.js';
import { startService, type RunningService } from '../service.js';
import type { SqlDatabase } from '../sql/index.js';
import { openEventBus, openServiceDatabase, type EmbeddedShared } from './adapters.js';
import type { ServiceConfig } from './serviceConfig.js';
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
}

export interface ServiceAppOptions<TSchema extends Record<string, unknown>> {
  config: ServiceConfig;
  /** The drizzle schema module: tables live in the Postgres schema named after the service. */
  schema: TSchema;
  outboxTable: OutboxTable;
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

  const runtime: ServiceRuntime<TSchema> = { config, logger, metrics, database, bus, outbox, shared };
  const registrations: Parameters<Server['add']>[] = [];
  const wiring = await options.wire(runtime, { add: (...args: Parameters<Server['add']>) => void registrations.push(args) });
  outbox.start();

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
      register: (server) => registrations.forEach((args) => server.add(...args)),
      checks: { database: () => database.ping(), events: () => bus.ping(), ...wiring.checks },
      resources: [
        { name: 'database', close: () => database.close() },
        ...(shared ? [] : [{ name: 'event bus', close: () => bus.close() }]),
        { name: 'outbox relay', close: () => outbox.stop() },
        ...(wiring.resources ?? []),
      ],
    }),
    { runtime },
  );
}
