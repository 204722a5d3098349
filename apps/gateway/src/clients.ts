import { auth, driver, trip, user } from '@uitgo/grpc';
import { createGrpcClient, type GrpcClient, type GrpcClientOptions } from '@uitgo/kit';
import type { Channel } from 'nice-grpc';

export type AuthClient = GrpcClient<typeof auth.AuthServiceDefinition>;
export type UserClient = GrpcClient<typeof user.UserServiceDefinition>;
export type DriverClient = GrpcClient<typeof driver.DriverServiceDefinition>;
export type TripClient = GrpcClient<typeof trip.TripServiceDefinition>;

/** The gRPC clients route handlers call; each carries the trace id and caller of the request it serves. */
export interface GatewayClients {
  auth: AuthClient;
  user: UserClient;
  driver: DriverClient;
  trip: TripClient;
}

export function createGatewayClients(
  channels: { auth: Channel; user: Channel; driver: Channel; trip?: Channel },
  options: GrpcClientOptions,
): GatewayClients {
  return {
    auth: createGrpcClient(auth.AuthServiceDefinition, channels.auth, options),
    user: createGrpcClient(user.UserServiceDefinition, channels.user, options),
    driver: createGrpcClient(driver.DriverServiceDefinition, channels.driver, options),
    // Gateway tests without a trip backend: trip calls reach a server without TripService (UNIMPLEMENTED).
    trip: createGrpcClient(trip.TripServiceDefinition, channels.trip ?? channels.driver, options),
  };
}
