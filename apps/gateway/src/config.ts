import { baseConfigSchema, envBoolean, portSchema } from '@uitgo/kit';
import { z } from 'zod';

const address = z.string().regex(/^[\w.-]+:\d+$/, 'expected host:port');

export const gatewayConfigSchema = baseConfigSchema.extend({
  PORT: portSchema.default(8080),
  GATEWAY_HOST: z.string().default('0.0.0.0'),
  AUTH_GRPC_ADDRESS: address.default('127.0.0.1:50051'),
  USER_GRPC_ADDRESS: address.default('127.0.0.1:50052'),
  DRIVER_GRPC_ADDRESS: address.default('127.0.0.1:50053'),
  TRIP_GRPC_ADDRESS: address.default('127.0.0.1:50054'),
  /** Comma-separated origins allowed by CORS; empty allows none (same-origin only). */
  CORS_ORIGINS: z.string().default(''),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1_024).max(10 * 1024 * 1024).default(1024 * 1024),
  TRUST_PROXY: envBoolean.default(false),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
