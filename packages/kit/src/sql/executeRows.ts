import type { SQL } from 'drizzle-orm';
import type { Db } from './sqlDatabase.js';

/**
 * Runs raw SQL and returns its rows whichever driver is underneath: postgres.js answers
 * with an array, PGlite with `{ rows }`. For the few statements the query builder cannot express.
 */
export async function executeRows<TRow extends Record<string, unknown>, TSchema extends Record<string, unknown>>(
  db: Db<TSchema>,
  query: SQL,
): Promise<TRow[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as TRow[];
  return (result as { rows: TRow[] }).rows;
}
