import { afterAll } from 'vitest';
import { createSqlDatabase } from '../sql/createSqlDatabase.js';
import { kitTestMigrations, kitTestTables } from '../sql/test-fixtures/index.js';
import { describeReal } from '../testing/infra.js';
import { createTemplateDatabase, createTestDatabase, type TestDatabase } from '../testing/postgres.js';
import { outboxContract } from './outbox.contract.js';

let testDatabase: TestDatabase | undefined;

afterAll(async () => {
  await testDatabase?.drop();
});

async function migrateTemplate(url: string): Promise<void> {
  const database = await createSqlDatabase({ kind: 'postgres', url, maxConnections: 1 });
  try {
    await database.migrate(kitTestMigrations);
  } finally {
    await database.close();
  }
}

await describeReal('postgres outbox', ['postgres'], () => {
  // Both "replicas" get their own connection pool on the same throwaway database.
  outboxContract('postgres', async () => {
    if (!testDatabase) testDatabase = await createTestDatabase(await createTemplateDatabase('kit_test_tpl', migrateTemplate));
    return createSqlDatabase({ kind: 'postgres', url: testDatabase.url, applicationName: 'kit-outbox-contract' }, kitTestTables);
  });
});
