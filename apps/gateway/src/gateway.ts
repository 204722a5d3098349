import { gatewayAdmission } from './admission.js';
import { createGatewayClients } from './clients.js';
import { ConfigError, Lifecycle, type Logger, type ServiceMetrics, startTracing, tracingSettingsOf } from '@uitgo/kit';
import type { EventBus } from '@uitgo/kit/events';
import type { KeyValueStore } from '@uitgo/kit/kv';
import { localObjectRoutes, type LocalObjectStore } from '@uitgo/kit/objects';
import { infraConfigSchema, openEventBus, openKeyValueStore } from '@uitgo/kit/runtime';
import { buildGateway } from './app.js';
import { connectBackends } from './backends.js';
import type { GatewayConfig } from './config.js';

export interface RunningGateway {
  url: string;
  lifecycle: Lifecycle;
  stop(): Promise<void>;
}

export interface GatewayExtras {
  /** Embedded mode: the gateway serves the local object store's presigned URLs under /files. */
  localObjects?: LocalObjectStore;
  /** Embedded mode: the platform's shared store; otherwise the gateway opens its own (Redis in real mode). */
  keyValueStore?: KeyValueStore;
  /** Embedded mode: the platform's in-process bus; otherwise the gateway opens its own (Kafka in real mode). */
  eventBus?: EventBus;
}

export async function startGateway(
  config: GatewayConfig,
  logger: Logger,
  metrics: ServiceMetrics,
  extras: GatewayExtras = {},
): Promise<RunningGateway> {
  if (config.UITGO_MODE === 'real' && !extras.eventBus && !config.KAFKA_BROKERS) {
    throw new ConfigError('Invalid configuration: KAFKA_BROKERS is missing (required when UITGO_MODE=real)');
  }
  const lifecycle = new Lifecycle(logger, config.SHUTDOWN_TIMEOUT_MS);
  // Registered first, so it closes last and exports the spans of the shutdown too.
  const tracing = await startTracing({ service: 'gateway', settings: tracingSettingsOf(config) });
  if (tracing) lifecycle.onShutdown('tracing', () => tracing.shutdown());
  const backends = connectBackends(config);
  lifecycle.onShutdown('grpc channels', async () => backends.close());
  // The gateway's own config already parsed these; the other infrastructure settings keep their defaults.
  const { REDIS_URL, REDIS_CLUSTER_NODES, REDIS_TLS, REDIS_TLS_CA_FILE, KAFKA_BROKERS, KAFKA_SSL, KAFKA_SSL_CA_FILE } = config;
  const infra = { ...infraConfigSchema.parse({}), REDIS_URL, REDIS_CLUSTER_NODES, REDIS_TLS, REDIS_TLS_CA_FILE, KAFKA_BROKERS, KAFKA_SSL, KAFKA_SSL_CA_FILE };
  let kv = extras.keyValueStore;
  if (!kv) {
    const own = await openKeyValueStore(config.UITGO_MODE, infra, logger);
    lifecycle.onShutdown('key-value store', () => own.close());
    kv = own;
  }
  const store = kv;
  let bus = extras.eventBus;
  if (!bus) {
    // The live pushes read the trip and location events; closed after the HTTP server (reverse order).
    const own = await openEventBus(config.UITGO_MODE, infra, 'uitgo-gateway', logger);
    lifecycle.onShutdown('event bus', () => own.close());
    bus = own;
  }
  const events = bus;
  const checks = config.UITGO_MODE === 'real' ? { ...backends.checks, redis: () => store.ping(), kafka: () => events.ping() } : backends.checks;
  const admission = gatewayAdmission(config.ADMISSION_BUDGET_MS);
  const clients = createGatewayClients(backends.channels, { deadlineMs: config.GRPC_DEFAULT_DEADLINE_MS, metrics, ...(admission && { admission }) });
  const app = await buildGateway({
    config,
    logger,
    metrics,
    checks,
    isShuttingDown: () => lifecycle.isShuttingDown,
    api: { clients, kv: store, bus, ...(admission && { admission }) },
  });
  if (extras.localObjects) await app.register(localObjectRoutes(extras.localObjects), { prefix: '/files' });
  // Fastify's close stops accepting and waits for in-flight requests.
  lifecycle.onShutdown('http server', () => app.close());
  const url = await app.listen({ host: config.GATEWAY_HOST, port: config.PORT });
  logger.info({ url, docs: `${url}/docs` }, 'gateway listening');
  return { url, lifecycle, stop: () => lifecycle.shutdown('stop') };
}
