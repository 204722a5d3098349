import { createGrpcClient, openChannel, type ReadinessCheck } from '@uitgo/kit';
import type { Channel } from 'nice-grpc';
import { HealthDefinition } from 'nice-grpc-server-health';
import type { GatewayConfig } from './config.js';

export type BackendName = 'auth' | 'user' | 'driver' | 'trip';

export interface Backends {
  channels: Record<BackendName, Channel>;
  checks: Record<string, ReadinessCheck>;
  close(): void;
}

const SERVING = 1;

/** One channel per service; readiness asks each one's grpc.health.v1. */
export function connectBackends(config: GatewayConfig): Backends {
  const addresses: Record<BackendName, string> = {
    auth: config.AUTH_GRPC_ADDRESS,
    user: config.USER_GRPC_ADDRESS,
    driver: config.DRIVER_GRPC_ADDRESS,
    trip: config.TRIP_GRPC_ADDRESS,
  };
  const channels = Object.fromEntries(
    Object.entries(addresses).map(([name, address]) => [name, openChannel(address)]),
  ) as Record<BackendName, Channel>;
  const checks = Object.fromEntries(
    (Object.keys(channels) as BackendName[]).map((name) => {
      const health = createGrpcClient(HealthDefinition, channels[name], { deadlineMs: 1_000 });
      const check: ReadinessCheck = async () => {
        const { status } = await health.check({ service: '' });
        if (status !== SERVING) throw new Error(`${name} service reports status ${status}`);
      };
      return [`${name}-service`, check];
    }),
  );
  return { channels, checks, close: () => Object.values(channels).forEach((c) => c.close()) };
}
