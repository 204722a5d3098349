import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle, type PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { tryLocalLock } from './localLocks.js';
import { migrationConfig } from './migrationTable.js';
import type { Db, SqlDatabase } from './sqlDatabase.js';
import { makeTraceable } from './sqlTracing.js';
import { tracePgliteClient } from './tracedSqlClients.js';

/** `dataDir` undefined keeps the database in memory; `instance` shares one PGlite between services. */
export type PgliteDatabaseOptions = { dataDir?: string } | { instance: PGlite };

/** The embedded adapter: drizzle over PGlite (Postgres compiled to WASM, in-process). */
export async function createPgliteDatabase<TSchema extends Record<string, unknown> = Record<string, never>>(
  options: PgliteDatabaseOptions,
  schema?: TSchema,
): Promise<SqlDatabase<TSchema>> {
  const shared = 'instance' in options;
  const client = shared ? options.instance : await openPglite(options.dataDir);
  // Without a schema drizzle's type is `PgliteDatabase<Record<string, never>>`, which is what TSchema defaults to.
  const pgliteDb = (schema ? drizzle({ client, schema }) : drizzle({ client })) as PgliteDatabase<TSchema>;
  const db = pgliteDb as unknown as Db<TSchema>;
  makeTraceable(db, (context) => {
    const traced = tracePgliteClient(client, context, 'pglite');
    return schema ? drizzle({ client: traced, schema }) : drizzle({ client: traced });
  });

  return {
    kind: 'pglite',
    db,
    async ping() {
      await db.execute(sql`select 1`);
    },
    migrate: (migrateOptions) => oneMigrationAtATime(client, () => migrate(pgliteDb, migrationConfig(migrateOptions))),
    tryLock: async (key) => tryLocalLock(client, key),
    async close() {
      // A shared instance belongs to whoever created it; closing it here would break the other services.
      if (!shared && !client.closed) await client.close();
    },
  };
}

const migrationQueues = new WeakMap<PGlite, Promise<unknown>>();

/**
 * drizzle's migrator reads the applied migrations before its transaction, so two concurrent
 * runs in one process would both apply them; queue them per instance instead.
 */
function oneMigrationAtATime(client: PGlite, run: () => Promise<void>): Promise<void> {
  const previous = migrationQueues.get(client) ?? Promise.resolve();
  const next = previous.then(run, run);
  migrationQueues.set(client, next.catch(() => undefined));
  return next;
}

/** Opens (and creates if needed) a PGlite database; `dataDir` undefined keeps it in memory. */
export async function openPglite(dataDir?: string): Promise<PGlite> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  return PGlite.create(dataDir);
}
