import { auth, driver, user } from '@uitgo/grpc';
import { createGrpcClient, type GrpcClient, type ServiceMetrics } from '@uitgo/kit';
import type { Channel } from 'nice-grpc';

export type AuthClient = GrpcClient<typeof auth.AuthServiceDefinition>;
export type UserClient = GrpcClient<typeof user.UserServiceDefinition>;
export type DriverClient = GrpcClient<typeof driver.DriverServiceDefinition>;

/** The gRPC clients route handlers call; each carries the trace id and caller of the request it serves. */
export interface GatewayClients {
  auth: AuthClient;
  user: UserClient;
  driver: DriverClient;
}

export function createGatewayClients(
  channels: { auth: Channel; user: Channel; driver: Channel },
  options: { deadlineMs: number; metrics?: ServiceMetrics },
): GatewayClients {
  return {
    auth: createGrpcClient(auth.AuthServiceDefinition, channels.auth, options),
    user: createGrpcClient(user.UserServiceDefinition, channels.user, options),
    driver: createGrpcClient(driver.DriverServiceDefinition, channels.driver, options),
  };
}
