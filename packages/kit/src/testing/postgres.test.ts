import postgres from 'postgres';
import { afterAll, expect, it } from 'vitest';
import { createSqlDatabase } from '../sql/createSqlDatabase.js';
import { kitTestMigrations } from '../sql/test-fixtures/index.js';
import { describeReal } from './infra.js';
import { createTemplateDatabase, createTestDatabase, postgresAdminUrl } from './postgres.js';

const admin = postgres(postgresAdminUrl(), { max: 1, onnotice: () => {} });
afterAll(() => admin.end());

const databaseExists = async (name: string) =>
  (await admin`select 1 from pg_database where datname = ${name}`).length === 1;

await describeReal('test databases', ['postgres'], () => {
  it('migrates a template once per process and clones it into databases that drop cleanly', async () => {
    let migrations = 0;
    const migrateTemplate = async (url: string) => {
      migrations += 1;
      const database = await createSqlDatabase({ kind: 'postgres', url, maxConnections: 1 });
      try {
        await database.migrate(kitTestMigrations);
      } finally {
        await database.close();
      }
    };
    const [template, again] = await Promise.all([
      createTemplateDatabase('kit_test_tpl', migrateTemplate),
      createTemplateDatabase('kit_test_tpl', migrateTemplate),
    ]);
    expect([template, again, migrations]).toEqual(['kit_test_tpl', 'kit_test_tpl', 1]);

    const [first, second] = await Promise.all([createTestDatabase(template), createTestDatabase(template)]);
    expect(first.name).not.toBe(second.name);
    const clone = postgres(first.url, { max: 1 });
    try {
      const tables = await clone`select table_name from information_schema.tables where table_schema = 'kit_test' order by 1`;
      expect(tables.map((t) => t.table_name)).toEqual(['outbox', 'processed_events', 'widgets']);
    } finally {
      await clone.end();
    }

    // drop() disconnects clients still attached.
    const lingering = postgres(second.url, { max: 1 });
    await lingering`select 1`;
    await Promise.all([first.drop(), second.drop()]);
    expect([await databaseExists(first.name), await databaseExists(second.name)]).toEqual([false, false]);
    await lingering.end({ timeout: 1 }).catch(() => undefined);
  });
});
