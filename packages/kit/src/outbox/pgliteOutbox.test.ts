import type { PGlite } from '@electric-sql/pglite';
import { afterAll } from 'vitest';
import { createSqlDatabase, openSharedPglite } from '../sql/createSqlDatabase.js';
import { kitTestMigrations, kitTestTables } from '../sql/test-fixtures/index.js';
import { outboxContract } from './outbox.contract.js';

// One in-memory PGlite for the file (each costs ~0.7 GB); both "replicas" share it, as services do in embedded mode.
let instance: PGlite | undefined;

afterAll(async () => {
  await instance?.close();
});

outboxContract('pglite', async () => {
  instance ??= await openSharedPglite();
  const database = await createSqlDatabase({ kind: 'pglite', instance }, kitTestTables);
  await database.migrate(kitTestMigrations);
  return database;
});
