import type { MigrationConfig } from 'drizzle-orm/migrator';
import type { MigrateOptions } from './sqlDatabase.js';

/**
 * drizzle-kit emits `CREATE SCHEMA "<service>"` in a service's first migration, so the
 * bookkeeping cannot live in the service's own schema (the migrator creates its schema
 * before running migrations). It lives in the shared `drizzle` schema, in one table per
 * service, which keeps services sharing one embedded database apart.
 */
export function migrationConfig({ migrationsFolder, schema }: MigrateOptions): MigrationConfig {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name for migrations: ${schema}`);
  return { migrationsFolder, migrationsSchema: 'drizzle', migrationsTable: `__drizzle_migrations_${schema}` };
}
