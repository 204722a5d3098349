import type { PGlite } from '@electric-sql/pglite';
import type { SqlDatabase, SqlDatabaseOptions } from './sqlDatabase.js';
import { createPostgresDatabase } from './postgresDatabase.js';

/**
 * Opens the service's database. Pass the drizzle schema module to get relational queries
 * (`db.query.trips.findFirst(...)`). PGlite is loaded only in embedded mode, so real-mode
 * processes never pay for its WASM.
 */
export async function createSqlDatabase<TSchema extends Record<string, unknown> = Record<string, never>>(
  options: SqlDatabaseOptions,
  schema?: TSchema,
): Promise<SqlDatabase<TSchema>> {
  if (options.kind === 'postgres') return createPostgresDatabase(options, schema);
  const { createPgliteDatabase } = await import('./pgliteDatabase.js');
  return createPgliteDatabase('instance' in options ? { instance: options.instance } : { dataDir: options.dataDir }, schema);
}

/**
 * Opens one PGlite for several services to share in embedded mode (each keeps to its own
 * Postgres schema); pass it as `{ kind: 'pglite', instance }` and close it after them.
 */
export async function openSharedPglite(dataDir?: string): Promise<PGlite> {
  const { openPglite } = await import('./pgliteDatabase.js');
  return openPglite(dataDir);
}
