import { Lifecycle, type Logger, type ServiceMetrics } from '@uitgo/kit';
import { localObjectRoutes, type LocalObjectStore } from '@uitgo/kit/objects';
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
}

export async function startGateway(
  config: GatewayConfig,
  logger: Logger,
  metrics: ServiceMetrics,
  extras: GatewayExtras = {},
): Promise<RunningGateway> {
  const lifecycle = new Lifecycle(logger, config.SHUTDOWN_TIMEOUT_MS);
  const backends = connectBackends(config);
  lifecycle.onShutdown('grpc channels', async () => backends.close());
  const app = await buildGateway({ config, logger, metrics, checks: backends.checks, isShuttingDown: () => lifecycle.isShuttingDown });
  if (extras.localObjects) await app.register(localObjectRoutes(extras.localObjects), { prefix: '/files' });
  // Fastify's close stops accepting and waits for in-flight requests.
  lifecycle.onShutdown('http server', () => app.close());
  const url = await app.listen({ host: config.GATEWAY_HOST, port: config.PORT });
  logger.info({ url, docs: `${url}/docs` }, 'gateway listening');
  return { url, lifecycle, stop: () => lifecycle.shutdown('stop') };
}
