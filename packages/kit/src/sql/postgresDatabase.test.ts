import { afterAll } from 'vitest';
import { describeReal } from '../testing/infra.js';
import { createTestDatabase, type TestDatabase } from '../testing/postgres.js';
import { createSqlDatabase } from './createSqlDatabase.js';
import { sqlDatabaseContract } from './sqlDatabase.contract.js';
import { kitTestTables } from './test-fixtures/index.js';

let testDatabase: TestDatabase | undefined;

afterAll(async () => {
  await testDatabase?.drop();
});

await describeReal('postgresDatabase', ['postgres'], () => {
  // An empty database, so the contract exercises the first migration and its lock.
  sqlDatabaseContract('postgres (throwaway database)', async () => {
    testDatabase = await createTestDatabase('template0');
    return createSqlDatabase({ kind: 'postgres', url: testDatabase.url, applicationName: 'kit-sql-contract' }, kitTestTables);
  });
});
