import { z } from 'zod';
import { baseConfigSchema, ConfigError, envBoolean, portSchema } from '../config.js';
import { tracingSettingsOf, type TracingSettings } from '../tracing/tracingConfig.js';

export type ServiceName = 'auth' | 'user' | 'driver' | 'trip';

/** Default ports: gRPC 5005x, ops 910x, in the order of the architecture table. */
export const SERVICE_PORTS: Record<ServiceName, { grpc: number; ops: number }> = {
  auth: { grpc: 50051, ops: 9101 },
  user: { grpc: 50052, ops: 9102 },
  driver: { grpc: 50053, ops: 9103 },
  trip: { grpc: 50054, ops: 9104 },
};

/** An unset variable and an empty one mean the same: not configured. */
const unsetIfEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** Connection settings of the shared infrastructure; the names match docker/compose.yaml and `pnpm infra:up`. */
export const infraConfigSchema = z.object({
  DATA_DIR: z.string().default('.data'),
  REDIS_URL: unsetIfEmpty(z.string().regex(/^rediss?:\/\//, 'expected redis://host:port')),
  REDIS_CLUSTER_NODES: unsetIfEmpty(z.string().regex(/^[\w.-]+:\d+(,[\w.-]+:\d+)*$/, 'expected host:port,host:port')),
  /** In-transit encryption to Redis (ElastiCache transit encryption); a rediss:// REDIS_URL implies it. */
  REDIS_TLS: envBoolean.default(false),
  /** PEM file of the CA that signs Redis's certificate; unset: Node's bundled public roots. */
  REDIS_TLS_CA_FILE: unsetIfEmpty(z.string()),
  KAFKA_BROKERS: unsetIfEmpty(z.string().regex(/^[\w.-]+:\d+(,[\w.-]+:\d+)*$/, 'expected host:port,host:port')),
  /** TLS to the brokers (MSK's TLS listener, port 9094). */
  KAFKA_SSL: envBoolean.default(false),
  /** PEM file of the CA that signs the brokers' certificates; unset: the system's CA store. */
  KAFKA_SSL_CA_FILE: unsetIfEmpty(z.string()),
  /** Consumers commit handled offsets together at most this often (ms), and at a rebalance and at stop; 0 after every batch. */
  KAFKA_COMMIT_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  S3_ENDPOINT: unsetIfEmpty(z.url()),
  S3_PUBLIC_ENDPOINT: unsetIfEmpty(z.url()),
  S3_REGION: z.string().default('us-east-1'),
  S3_ACCESS_KEY_ID: unsetIfEmpty(z.string()),
  S3_SECRET_ACCESS_KEY: unsetIfEmpty(z.string()),
  S3_BUCKET: z.string().default('uitgo'),
  S3_FORCE_PATH_STYLE: envBoolean.default(true),
  DYNAMODB_ENDPOINT: unsetIfEmpty(z.url()),
  DYNAMODB_TABLE: z.string().default('uitgo-locations'),
  /**
   * How the location archive writes: `segments`, or `points` (one item per point) while releases
   * from before segments still read the table during a rolling upgrade (docs/deploy.md).
   */
  DYNAMODB_WRITE_FORMAT: z.enum(['segments', 'points']).default('segments'),
  /** A driver staying in a geohash-6 cell is sighted there at most this often (ms); 0 sights at every write. */
  DYNAMODB_SIGHTING_REFRESH_MS: z.coerce.number().int().min(0).max(3_600_000).default(300_000),
  AWS_REGION: z.string().default('us-east-1'),
  /** Embedded mode: where the gateway serves local files, and the key that signs their URLs. */
  LOCAL_OBJECTS_BASE_URL: unsetIfEmpty(z.url()),
  LOCAL_OBJECTS_SECRET: unsetIfEmpty(z.string().min(32, 'use at least 32 characters')),
});
export type InfraConfig = z.infer<typeof infraConfigSchema>;

export interface ServiceConfig {
  service: ServiceName;
  /** gRPC addresses (host:port) of the other services, from `<SERVICE>_GRPC_ADDRESS`. */
  peers: Record<ServiceName, string>;
  mode: 'embedded' | 'real';
  logLevel: string;
  host: string;
  grpcPort: number;
  opsPort: number;
  /** Required in real mode; embedded mode uses PGlite under DATA_DIR. */
  databaseUrl: string | undefined;
  /** Size of the PostgreSQL pool (`DATABASE_POOL_MAX`). */
  databasePoolMax: number;
  /** Statements prepared on the server (`DATABASE_PREPARED_STATEMENTS`). */
  databasePreparedStatements: boolean;
  migrateOnStart: boolean;
  shutdownTimeoutMs: number;
  defaultDeadlineMs: number;
  /** `GRPC_MAX_CONNECTION_AGE_MS`: clients reconnect (and re-resolve) after this long; 0: never. */
  grpcMaxConnectionAgeMs: number;
  infra: InfraConfig;
  /** OpenTelemetry (OTEL_* variables); off unless an OTLP endpoint is set. */
  tracing?: TracingSettings;
}

/**
 * Reads `<SERVICE>_GRPC_PORT`, `<SERVICE>_OPS_PORT`, `<SERVICE>_DATABASE_URL` and the shared
 * variables. Real mode needs a database URL and a Kafka bootstrap; a gap is one line naming it.
 */
export function loadServiceConfig(service: ServiceName, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const P = service.toUpperCase();
  const own = z.object({
    [`${P}_GRPC_PORT`]: portSchema.default(SERVICE_PORTS[service].grpc),
    [`${P}_OPS_PORT`]: portSchema.default(SERVICE_PORTS[service].ops),
    [`${P}_DATABASE_URL`]: z.string().regex(/^postgres(ql)?:\/\//, 'expected postgres://user:pass@host:port/db').optional(),
    MIGRATE_ON_START: envBoolean.optional(),
  });
  const schema = baseConfigSchema.extend(infraConfigSchema.shape).extend(own.shape);
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = issue.path.join('.');
    throw new ConfigError(`Invalid configuration: ${name} ${env[name] === undefined ? 'is missing' : `is invalid: ${issue.message}`}`);
  }
  const c = parsed.data as Record<string, unknown> & z.infer<typeof baseConfigSchema> & InfraConfig;
  const databaseUrl = c[`${P}_DATABASE_URL`] as string | undefined;
  if (c.UITGO_MODE === 'real') {
    if (!databaseUrl) throw new ConfigError(`Invalid configuration: ${P}_DATABASE_URL is missing (required when UITGO_MODE=real)`);
    if (!c.KAFKA_BROKERS) throw new ConfigError('Invalid configuration: KAFKA_BROKERS is missing (required when UITGO_MODE=real)');
  }
  const infra = infraConfigSchema.parse(env);
  const peers = Object.fromEntries(
    (Object.keys(SERVICE_PORTS) as ServiceName[]).map((name) => [
      name,
      env[`${name.toUpperCase()}_GRPC_ADDRESS`] ?? `127.0.0.1:${SERVICE_PORTS[name].grpc}`,
    ]),
  ) as Record<ServiceName, string>;
  return {
    service,
    peers,
    mode: c.UITGO_MODE,
    logLevel: c.LOG_LEVEL,
    host: c.HOST,
    grpcPort: c[`${P}_GRPC_PORT`] as number,
    opsPort: c[`${P}_OPS_PORT`] as number,
    databaseUrl,
    databasePoolMax: c.DATABASE_POOL_MAX,
    databasePreparedStatements: c.DATABASE_PREPARED_STATEMENTS,
    migrateOnStart: (c.MIGRATE_ON_START as boolean | undefined) ?? c.NODE_ENV !== 'production',
    shutdownTimeoutMs: c.SHUTDOWN_TIMEOUT_MS,
    defaultDeadlineMs: c.GRPC_DEFAULT_DEADLINE_MS,
    grpcMaxConnectionAgeMs: c.GRPC_MAX_CONNECTION_AGE_MS,
    infra,
    tracing: tracingSettingsOf(c),
  };
}
