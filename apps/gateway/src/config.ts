import { isIP } from 'node:net';
import { fixWindowSettings } from '@uitgo/contracts';
import { baseConfigSchema, envBoolean, portSchema } from '@uitgo/kit';
import { infraConfigSchema } from '@uitgo/kit/runtime';
import { z } from 'zod';

const address = z.string().regex(/^[\w.-]+:\d+$/, 'expected host:port');
const positiveInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** An IPv4/IPv6 address, optionally with a prefix length that fits it. */
function isAddressOrCidr(value: string): boolean {
  const [address = '', prefix, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

export const gatewayConfigSchema = baseConfigSchema.extend({
  PORT: portSchema.default(8080),
  GATEWAY_HOST: z.string().default('0.0.0.0'),
  AUTH_GRPC_ADDRESS: address.default('127.0.0.1:50051'),
  USER_GRPC_ADDRESS: address.default('127.0.0.1:50052'),
  DRIVER_GRPC_ADDRESS: address.default('127.0.0.1:50053'),
  TRIP_GRPC_ADDRESS: address.default('127.0.0.1:50054'),
  /** Redis (real mode) for revoked sessions, idempotency keys and rate limits, shared by every replica. */
  REDIS_URL: infraConfigSchema.shape.REDIS_URL,
  REDIS_CLUSTER_NODES: infraConfigSchema.shape.REDIS_CLUSTER_NODES,
  REDIS_TLS: infraConfigSchema.shape.REDIS_TLS,
  REDIS_TLS_CA_FILE: infraConfigSchema.shape.REDIS_TLS_CA_FILE,
  /** Kafka (real mode): every replica reads the trip and location events it pushes to its WebSockets. */
  KAFKA_BROKERS: infraConfigSchema.shape.KAFKA_BROKERS,
  KAFKA_SSL: infraConfigSchema.shape.KAFKA_SSL,
  KAFKA_SSL_CA_FILE: infraConfigSchema.shape.KAFKA_SSL_CA_FILE,
  /** Comma-separated origins allowed by CORS; empty allows none (same-origin only). */
  CORS_ORIGINS: z.string().default(''),
  ...fixWindowSettings,
  /** Strict-Transport-Security max-age; 0 leaves the header out (plain-HTTP development). */
  HSTS_MAX_AGE_S: positiveInt(0, 2 * 365 * 86_400).default(365 * 86_400),
  /** Extra CSP sources for scripts, styles and images (space-separated), e.g. a CDN serving a web client. */
  CSP_EXTRA_SOURCES: z.string().default(''),
  /** Frames of other origins may embed the API's pages (Swagger UI) only when set: `DENY` or `SAMEORIGIN`. */
  FRAME_OPTIONS: z.enum(['DENY', 'SAMEORIGIN']).default('SAMEORIGIN'),
  BODY_LIMIT_BYTES: positiveInt(1_024, 10 * 1024 * 1024).default(1024 * 1024),
  /** The JSON API routes take small bodies; files go straight to the object store. */
  API_BODY_LIMIT_BYTES: positiveInt(1_024, 10 * 1024 * 1024).default(64 * 1024),
  /**
   * Which proxies' X-Forwarded-For to believe for the client address (rate limits, login limits):
   * `false` (none), a hop count (`1` behind one ingress: only the address it appended), or
   * comma-separated addresses/CIDRs of the proxies. `true` would believe every hop, so a client
   * could name any address: refused.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .default('false')
    .transform((value, ctx): false | number | string[] => {
      if (value === '' || value === 'false' || value === '0') return false;
      if (/^[1-9][0-9]?$/.test(value)) return Number(value);
      const proxies = value.split(',').map((p) => p.trim()).filter(Boolean);
      if (proxies.length > 0 && proxies.every(isAddressOrCidr)) return proxies;
      ctx.addIssue({ code: 'custom', message: 'must be false, a hop count (e.g. 1), or the proxies\' addresses/CIDRs; true would let any client choose its address' });
      return z.NEVER;
    }),
  /** Checks every response against its contract schema; off in production for throughput. */
  RESPONSE_VALIDATION: envBoolean.optional(),
  /** Access tokens: issuer and audience the auth service signs, and the longest lifetime it issues. */
  JWT_ISSUER: z.string().default('uitgo-auth'),
  JWT_AUDIENCE: z.string().default('uitgo-api'),
  ACCESS_TOKEN_MAX_TTL_S: positiveInt(60, 24 * 3600).default(900),
  JWKS_REFRESH_INTERVAL_MS: positiveInt(1_000, 24 * 3600 * 1000).default(5 * 60 * 1000),
  /** An unknown `kid` refetches the key set at most this often, so forged kids cannot flood the auth service. */
  JWKS_MIN_REFETCH_INTERVAL_MS: positiveInt(0, 3600 * 1000).default(10_000),
  RATE_LIMIT_WINDOW_MS: positiveInt(1_000, 3600 * 1000).default(60_000),
  /** Per client address on public routes (register, login, refresh). */
  RATE_LIMIT_PUBLIC_MAX: positiveInt(1, 1_000_000).default(30),
  /** Per user on signed-in routes. */
  RATE_LIMIT_USER_MAX: positiveInt(1, 10_000_000).default(600),
  /**
   * Admission control: a call to a service method that is answering slower than calls arrive is
   * refused at once (503 UNAVAILABLE, Retry-After: 1) when it would wait longer than this behind
   * the calls already in flight, and trip requests are paced while trip events reach the gateway
   * later than half of it; 0 turns both off. See docs/design/admission-control.md.
   */
  ADMISSION_BUDGET_MS: positiveInt(0, 60_000).default(1_000),
  IDEMPOTENCY_TTL_S: positiveInt(60, 7 * 24 * 3600).default(24 * 3600),
  /** How long a repeat waits for the first request with its key before answering 409. */
  IDEMPOTENCY_WAIT_MS: positiveInt(0, 60_000).default(5_000),
  /** WebSocket `/api/v1/ws`: a connection without `?access_token=` must send its auth frame this soon. */
  LIVE_AUTH_TIMEOUT_MS: positiveInt(100, 60_000).default(5_000),
  LIVE_MAX_FRAME_BYTES: positiveInt(256, 1024 * 1024).default(4 * 1024),
  /** How often an open connection re-checks its session (revoked by logout) and token expiry. */
  LIVE_SESSION_RECHECK_MS: positiveInt(1_000, 3600 * 1000).default(15_000),
  /** Location frames waiting for the driver service stream, across all connections; beyond it frames are dropped. */
  LIVE_LOCATION_BUFFER: positiveInt(1, 10_000_000).default(20_000),
  /** The shared StreamLocations call is replaced this often (its deadline is a little later). */
  LIVE_STREAM_ROTATE_MS: positiveInt(1_000, 24 * 3600 * 1000).default(10 * 60 * 1000),
  /** Reopening a failed stream waits 100 ms, doubling up to this. */
  LIVE_STREAM_BACKOFF_MAX_MS: positiveInt(100, 60_000).default(5_000),
  /**
   * A new connection's current state (a passenger's trip; a driver's offers and trip) is fetched
   * from the trip service by at most this many connections at once; the rest wait their turn, so
   * a storm of reconnections (a gateway replica restarting) cannot flood the trip service.
   */
  LIVE_STATE_FETCH_CONCURRENCY: positiveInt(1, 10_000).default(16),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const responseValidationOf = (config: GatewayConfig): boolean =>
  config.RESPONSE_VALIDATION ?? config.NODE_ENV !== 'production';
