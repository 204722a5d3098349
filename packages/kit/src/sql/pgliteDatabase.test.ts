import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlDatabase, openSharedPglite } from './createSqlDatabase.js';
import { sqlDatabaseContract } from './sqlDatabase.contract.js';
import { kitTestMigrations, kitTestTables } from './test-fixtures/index.js';

// One in-memory PGlite for the whole file: each instance costs ~0.7 GB.
let instance: PGlite | undefined;
const sharedInstance = async (): Promise<PGlite> => (instance ??= await openSharedPglite());

afterAll(async () => {
  await instance?.close();
});

sqlDatabaseContract('pglite (shared in-memory instance)', async () =>
  createSqlDatabase({ kind: 'pglite', instance: await sharedInstance() }, kitTestTables),
);

describe('pgliteDatabase', () => {
  it('leaves a shared instance open when one of its users closes', async () => {
    const shared = await sharedInstance();
    const first = await createSqlDatabase({ kind: 'pglite', instance: shared });
    const second = await createSqlDatabase({ kind: 'pglite', instance: shared });
    await first.close();
    expect(shared.closed).toBe(false);
    await expect(second.ping()).resolves.toBeUndefined();
  });

  describe('with a data directory', () => {
    let dataDir: string;
    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'uitgo-pglite-'));
    });
    afterAll(async () => {
      await rm(dataDir, { recursive: true, force: true });
    });

    it('keeps migrated tables and rows across reopening', async () => {
      const widget = { id: randomUUID(), name: 'persisted', attributes: { a: 1 }, createdAt: new Date() };
      const first = await createSqlDatabase({ kind: 'pglite', dataDir: join(dataDir, 'db') }, kitTestTables);
      await first.migrate(kitTestMigrations);
      await first.db.insert(kitTestTables.widgets).values(widget);
      await first.close();

      const reopened = await createSqlDatabase({ kind: 'pglite', dataDir: join(dataDir, 'db') }, kitTestTables);
      try {
        await reopened.migrate(kitTestMigrations);
        const rows = await reopened.db.select().from(kitTestTables.widgets).where(eq(kitTestTables.widgets.id, widget.id));
        expect(rows).toEqual([widget]);
      } finally {
        await reopened.close();
      }
    });
  });
});
