import type { Server } from 'nice-grpc';
import { createGrpcServer } from './grpc/server.js';
import { Lifecycle } from './lifecycle.js';
import type { Logger } from './logger.js';
import type { ServiceMetrics } from './metrics.js';
import { createOpsServer, type ReadinessCheck } from './ops/opsServer.js';

export interface ServiceOptions {
  name: string;
  host: string;
  /** 0 picks a free port (tests, embedded mode). */
  grpcPort: number;
  opsPort: number;
  logger: Logger;
  metrics: ServiceMetrics;
  shutdownTimeoutMs: number;
  defaultDeadlineMs?: number;
  /** See GrpcServerOptions.maxConnectionAgeMs. */
  maxConnectionAgeMs?: number;
  /** Adds the service's gRPC implementations. */
  register: (server: Server) => void;
  checks: Record<string, ReadinessCheck>;
  /** Closed after the servers have drained, in reverse order (pools, clients, relays). */
  resources?: { name: string; close: () => Promise<void> }[];
}

export interface RunningService {
  name: string;
  grpcAddress: string;
  opsUrl: string;
  lifecycle: Lifecycle;
  stop(): Promise<void>;
}

/** Starts the gRPC server (with health) and the ops server, and wires their graceful shutdown. */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { name, host, logger, metrics } = options;
  const lifecycle = new Lifecycle(logger, options.shutdownTimeoutMs);
  for (const resource of options.resources ?? []) lifecycle.onShutdown(resource.name, resource.close);

  const { server, health } = createGrpcServer({ logger, metrics, defaultDeadlineMs: options.defaultDeadlineMs ?? 30_000, maxConnectionAgeMs: options.maxConnectionAgeMs ?? 0 });
  options.register(server);

  const ops = createOpsServer({ registry: metrics.registry, checks: options.checks, isShuttingDown: () => lifecycle.isShuttingDown });
  await ops.listen({ host, port: options.opsPort });
  lifecycle.onShutdown('ops server', () => ops.close());

  const grpcPort = await server.listen(`${host}:${options.grpcPort}`);
  lifecycle.onShutdown('grpc server', async () => {
    health.setStatus('unhealthy');
    // Drain in-flight calls; long-lived streams are cut when the drain window ends.
    const drainMs = Math.max(100, Math.floor(options.shutdownTimeoutMs / 2));
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      server.shutdown().then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), drainMs);
      }),
    ]);
    clearTimeout(timer);
    if (!drained) server.forceShutdown();
  });

  const address = ops.server.address();
  const opsPort = typeof address === 'object' && address ? address.port : options.opsPort;
  const running: RunningService = {
    name,
    grpcAddress: `${host}:${grpcPort}`,
    opsUrl: `http://${host}:${opsPort}`,
    lifecycle,
    stop: () => lifecycle.shutdown('stop'),
  };
  logger.info({ grpc: running.grpcAddress, ops: running.opsUrl }, `${name} service started`);
  return running;
}
