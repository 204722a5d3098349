import { z } from 'zod';
import { tracingConfigSchema } from './tracing/tracingConfig.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads configuration from environment variables through a zod schema whose keys are the
 * variable names. A missing or bad variable throws one line that names it.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(root)';
    const got = issue.path.length === 1 && env[String(issue.path[0])] === undefined ? 'is missing' : `is invalid: ${issue.message}`;
    return `${name} ${got}`;
  });
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
}

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Variables every service reads. */
export const baseConfigSchema = z.object({
  UITGO_MODE: z.enum(['embedded', 'real']).default('embedded'),
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: bool.default(false),
  HOST: z.string().default('127.0.0.1'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  GRPC_DEFAULT_DEADLINE_MS: z.coerce.number().int().min(50).max(120_000).default(5_000),
  /** gRPC servers ask clients to reconnect after this long so they spread over new replicas (0: never). */
  GRPC_MAX_CONNECTION_AGE_MS: z.coerce.number().int().min(0).max(86_400_000).default(0),
  /** Connections in a service's PostgreSQL pool (real mode). */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  /**
   * Every statement runs as a server-side prepared statement, parsed once per connection (real
   * mode). Turn off behind a pooler that cannot keep them (PgBouncer in transaction mode).
   */
  DATABASE_PREPARED_STATEMENTS: bool.default(true),
  ...tracingConfigSchema.shape,
});

export const portSchema = z.coerce.number().int().min(0).max(65_535);
export { bool as envBoolean };
export type BaseConfig = z.infer<typeof baseConfigSchema>;

/** For a composition root: a bad configuration prints one line and exits with status 78 (EX_CONFIG). */
export function loadConfigOrExit<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  try {
    return loadConfig(schema, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(78);
  }
}
