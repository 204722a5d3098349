import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { migrationConfig } from './migrationTable.js';
import { tryPostgresLock } from './postgresLock.js';
import type { Db, MigrateOptions, SqlDatabase } from './sqlDatabase.js';
import { preparingClient } from './preparedStatements.js';
import { makeTraceable } from './sqlTracing.js';
import { tracePostgresClient } from './tracedSqlClients.js';

export interface PostgresDatabaseOptions {
  url: string;
  maxConnections?: number;
  /** Statements prepared on the server, once per connection (default true); see preparingClient. */
  preparedStatements?: boolean;
  applicationName?: string;
}

// `CREATE ... IF NOT EXISTS` and friends raise notices that postgres.js would print to the console.
const ignoreNotice = (): void => {};

/** The real adapter: drizzle over a postgres.js connection pool. */
export function createPostgresDatabase<TSchema extends Record<string, unknown> = Record<string, never>>(
  options: PostgresDatabaseOptions,
  schema?: TSchema,
): SqlDatabase<TSchema> {
  const pool = postgres(options.url, {
    max: options.maxConnections ?? 10,
    onnotice: ignoreNotice,
    connection: options.applicationName ? { application_name: options.applicationName } : {},
  });
  const client = options.preparedStatements === false ? pool : preparingClient(pool);
  // Without a schema drizzle's type is `Db<Record<string, never>>`, which is what TSchema defaults to.
  const db = (schema ? drizzle({ client, schema }) : drizzle({ client })) as Db<TSchema>;
  const database = databaseNameOf(options.url);
  makeTraceable(db, (context) => {
    const traced = tracePostgresClient(client, context, database);
    return schema ? drizzle({ client: traced, schema }) : drizzle({ client: traced });
  });

  return {
    kind: 'postgres',
    db,
    async ping() {
      await db.execute(sql`select 1`);
    },
    migrate: (migrateOptions) => migratePostgres(options.url, migrateOptions),
    tryLock: (key) => tryPostgresLock(pool, key),
    async close() {
      await pool.end({ timeout: 5 });
    },
  };
}

function databaseNameOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).pathname.slice(1)) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs drizzle's migrator on one dedicated connection holding a session advisory lock, so
 * replicas starting together apply each migration once: the others wait, then find nothing to do.
 */
async function migratePostgres(url: string, options: MigrateOptions): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: ignoreNotice });
  try {
    const lockKey = `uitgo:migrate:${options.schema}`;
    await client`select pg_advisory_lock(hashtext(${lockKey}))`;
    await migrate(drizzle({ client }), migrationConfig(options));
    await client`select pg_advisory_unlock(hashtext(${lockKey}))`;
  } finally {
    // Ending the session also releases the lock if a migration failed.
    await client.end({ timeout: 5 });
  }
}
