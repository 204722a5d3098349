import type postgres from 'postgres';
import type { SqlLock } from './sqlDatabase.js';

// Two-int advisory locks in their own namespace ('uitg') cannot collide with anyone's one-bigint locks.
const namespace = 0x75697467;

/**
 * A session advisory lock on a connection reserved from the pool: Postgres releases it by
 * itself if this process dies, which is what makes it safe for electing a leader.
 */
export async function tryPostgresLock(client: postgres.Sql, key: string): Promise<SqlLock | undefined> {
  const connection = await client.reserve();
  try {
    const [row] = await connection`select pg_try_advisory_lock(${namespace}, hashtext(${key})) as locked`;
    if (row?.locked !== true) {
      connection.release();
      return undefined;
    }
  } catch (error) {
    connection.release();
    throw error;
  }
  let released = false;
  return {
    async isHeld() {
      if (released) return false;
      try {
        const [row] = await connection`
          select exists (
            select 1 from pg_locks
            where locktype = 'advisory' and granted and pid = pg_backend_pid() and objsubid = 2
              and classid::bigint = ${namespace} and objid::bigint = (hashtext(${key})::bigint & 4294967295)
          ) as held`;
        return row?.held === true;
      } catch {
        return false;
      }
    },
    async release() {
      if (released) return;
      released = true;
      try {
        await connection`select pg_advisory_unlock(${namespace}, hashtext(${key}))`;
      } finally {
        connection.release();
      }
    },
  };
}
