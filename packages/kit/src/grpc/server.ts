import { createServer, type Server } from 'nice-grpc';
import { HealthDefinition, HealthServiceImpl, HealthState } from 'nice-grpc-server-health';
import type { Logger } from '../logger.js';
import type { ServiceMetrics } from '../metrics.js';
import { kitServerMiddleware } from './serverMiddleware.js';

export interface GrpcServerOptions {
  logger: Logger;
  metrics: ServiceMetrics;
  /** Applied to unary calls that arrive without a deadline. */
  defaultDeadlineMs?: number;
  /**
   * Clients are asked to reconnect (GOAWAY) after this long, and given a minute to finish their
   * calls, so they re-resolve the service and spread over new replicas; 0 or absent: never.
   */
  maxConnectionAgeMs?: number;
}

export interface GrpcServer {
  server: Server;
  health: ReturnType<typeof HealthState>;
}

/**
 * A nice-grpc server with the kit's middleware (request context, deadline, error mapping,
 * RED metrics) and grpc.health.v1 registered.
 */
export function createGrpcServer({ logger, metrics, defaultDeadlineMs = 30_000, maxConnectionAgeMs = 0 }: GrpcServerOptions): GrpcServer {
  const server = createServer({
    'grpc.max_receive_message_length': 4 * 1024 * 1024,
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_permit_without_calls': 1,
    ...(maxConnectionAgeMs > 0 ? { 'grpc.max_connection_age_ms': maxConnectionAgeMs, 'grpc.max_connection_age_grace_ms': 60_000 } : {}),
  })
    .use(kitServerMiddleware({ logger, metrics, defaultDeadlineMs }));
  const health = HealthState();
  server.add(HealthDefinition, HealthServiceImpl(health));
  return { server, health };
}
