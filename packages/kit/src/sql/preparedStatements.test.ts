import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { describeReal } from '../testing/infra.js';
import { createTestDatabase, type TestDatabase } from '../testing/postgres.js';
import { createPostgresDatabase } from './postgresDatabase.js';
import { LONGEST_PREPARED_LIST, preparable } from './preparedStatements.js';

const list = (n: number) => `where id in (${Array.from({ length: n }, (_, i) => `$${i + 1}`).join(', ')})`;

describe('preparable', () => {
  it('prepares every statement but those with a long in (…) list of parameters', () => {
    expect(preparable(`select "id", "status" from "trip"."trips" where "trip"."trips"."id" = $1`)).toBe(true);
    expect(preparable(`insert into t (${Array.from({ length: 40 }, (_, i) => `c${i}`).join(', ')}) values (${list(40).slice(15)}`)).toBe(true);
    expect(preparable(`update t set a = 1 ${list(LONGEST_PREPARED_LIST)}`)).toBe(true);
    expect(preparable(`update t set a = 1 ${list(LONGEST_PREPARED_LIST + 1)}`)).toBe(false);
  });
});

let testDatabase: TestDatabase | undefined;
afterAll(async () => {
  await testDatabase?.drop();
});

await describeReal('postgres.js statements prepared on the server', ['postgres'], () => {
  /** The statements the pool's one connection has prepared, after running a few. */
  const preparedOn = async (preparedStatements: boolean) => {
    testDatabase ??= await createTestDatabase('template0');
    const database = createPostgresDatabase({ url: testDatabase.url, maxConnections: 1, preparedStatements });
    try {
      const { db } = database;
      for (let i = 0; i < 2; i++) await db.execute(sql`select ${i}::int + 1 as n`);
      await db.transaction((tx) => tx.execute(sql`select ${'in a transaction'}::text as t`));
      const ids = Array.from({ length: LONGEST_PREPARED_LIST + 1 }, (_, i) => i);
      await db.execute(sql`select 1 as one where 3 in ${ids}`);
      // postgres.js prepares a few of its own (its type lookup, commit): the ones with parameters are drizzle's.
      const rows = await db.execute(sql`select statement from pg_prepared_statements where statement like '%$1%' order by statement`);
      return (rows as unknown as { statement: string }[]).map((row) => row.statement);
    } finally {
      await database.close();
    }
  };

  it('prepares drizzle statements once per connection, transactions included, but not long in (…) lists', async () => {
    expect(await preparedOn(true)).toEqual(['select $1::int + 1 as n', 'select $1::text as t']);
  });

  it('prepares none with DATABASE_PREPARED_STATEMENTS off (poolers that cannot keep them)', async () => {
    expect(await preparedOn(false)).toEqual([]);
  });
});
