import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { PGlite } from '@electric-sql/pglite';

/**
 * The drizzle handle services write queries against. Both drivers (postgres.js and PGlite)
 * satisfy it, so a repository is written once and runs in real and embedded mode.
 * Raw `db.execute()` results differ by driver (array vs `{ rows }`); prefer the query builder.
 */
export type Db<TSchema extends Record<string, unknown> = Record<string, never>> = PgDatabase<PgQueryResultHKT, TSchema>;

/** The handle inside `db.transaction(async (tx) => ...)`. */
export type Tx<TSchema extends Record<string, unknown> = Record<string, never>> = PgTransaction<
  PgQueryResultHKT,
  TSchema,
  ExtractTablesWithRelations<TSchema>
>;

/** Either a database or a transaction: what a repository method needs to run a query. */
export type DbOrTx<TSchema extends Record<string, unknown> = Record<string, never>> = Db<TSchema> | Tx<TSchema>;

export type SqlDatabaseOptions =
  | { kind: 'postgres'; url: string; maxConnections?: number; preparedStatements?: boolean; applicationName?: string }
  /** `dataDir` undefined keeps the database in memory. */
  | { kind: 'pglite'; dataDir?: string }
  /** Several services share one PGlite instance (each in its own Postgres schema); `close()` leaves it open. */
  | { kind: 'pglite'; instance: PGlite };

export interface MigrateOptions {
  /** The drizzle-kit `out` folder (holds `meta/_journal.json`). */
  migrationsFolder: string;
  /** The service's Postgres schema; names the migrations bookkeeping table so services sharing a database do not clash. */
  schema: string;
}

export interface SqlDatabase<TSchema extends Record<string, unknown> = Record<string, never>> {
  readonly kind: 'postgres' | 'pglite';
  readonly db: Db<TSchema>;
  /** Throws unless the database answers a trivial query (used by /readyz). */
  ping(): Promise<void>;
  /** Applies pending migrations; safe to call from several replicas at once. */
  migrate(options: MigrateOptions): Promise<void>;
  /**
   * Takes the lock named `key` if nobody holds it, and keeps it until `release()` or until the
   * holder's connection drops (Postgres: a session advisory lock on a dedicated connection;
   * PGlite: in-process, as only one process opens it). Used to elect one worker among replicas.
   */
  tryLock(key: string): Promise<SqlLock | undefined>;
  close(): Promise<void>;
}

export interface SqlLock {
  /** False once the lock is gone (say, its connection dropped). */
  isHeld(): Promise<boolean>;
  release(): Promise<void>;
}
