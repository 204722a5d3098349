import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuiltStatements, fieldsOf, placeholderOf } from './builtStatements.js';
import { executeRows } from './executeRows.js';
import type { SqlDatabase } from './sqlDatabase.js';
import { kitTestMigrations, type KitTestTables } from './test-fixtures/index.js';
import { widgets } from './test-fixtures/schema.js';

const journal = JSON.parse(readFileSync(join(kitTestMigrations.migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
  entries: unknown[];
};

const newWidget = (name: string, attributes: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  name,
  attributes,
  createdAt: new Date(),
});

/**
 * What every SqlDatabase adapter must do. `makeAdapter` returns a database whose `kit_test`
 * schema has not been migrated yet; the suite closes it at the end.
 */
export function sqlDatabaseContract(name: string, makeAdapter: () => Promise<SqlDatabase<KitTestTables>>): void {
  describe(`SqlDatabase contract: ${name}`, () => {
    let database: SqlDatabase<KitTestTables>;

    beforeAll(async () => {
      database = await makeAdapter();
    });
    afterAll(async () => {
      await database?.close();
    });

    it('answers ping', async () => {
      await expect(database.ping()).resolves.toBeUndefined();
    });

    it('applies migrations once, even when two replicas migrate at the same time', async () => {
      await Promise.all([database.migrate(kitTestMigrations), database.migrate(kitTestMigrations)]);
      await database.migrate(kitTestMigrations);

      const applied = await executeRows<{ count: number }, KitTestTables>(
        database.db,
        sql`select count(*)::int as count from drizzle.__drizzle_migrations_kit_test`,
      );
      expect(applied[0]?.count).toBe(journal.entries.length);
      await expect(database.db.select().from(widgets).limit(1)).resolves.toEqual([]);
    });

    it('leaves nothing behind when a transaction throws', async () => {
      const widget = newWidget('rolled back');
      await expect(
        database.db.transaction(async (tx) => {
          await tx.insert(widgets).values(widget);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      await expect(database.db.select().from(widgets).where(eq(widgets.id, widget.id))).resolves.toEqual([]);
    });

    it('commits concurrent transactions without losing updates to a row they all lock', async () => {
      const counter = newWidget('counter', { n: 0 });
      await database.db.insert(widgets).values(counter);
      const writers = 8;

      await Promise.all(
        Array.from({ length: writers }, () =>
          database.db.transaction(async (tx) => {
            const [row] = await tx.select().from(widgets).where(eq(widgets.id, counter.id)).for('update');
            const n = Number(row?.attributes.n);
            await tx.insert(widgets).values(newWidget(`writer ${n}`));
            await tx.update(widgets).set({ attributes: { n: n + 1 } }).where(eq(widgets.id, counter.id));
          }),
        ),
      );

      const [row] = await database.db.select().from(widgets).where(eq(widgets.id, counter.id));
      expect(row?.attributes).toEqual({ n: writers });
    });

    it('round-trips jsonb as a JSON value, not a string', async () => {
      const attributes = { nested: { list: [1, 2.5, 'ba', null, true] }, city: 'Thủ Đức', empty: {} };
      const widget = newWidget('json', attributes);
      await database.db.insert(widgets).values(widget);

      const [row] = await database.db.select().from(widgets).where(eq(widgets.id, widget.id));
      expect(row?.attributes).toEqual(attributes);
      const [stored] = await database.db
        .select({ type: sql<string>`jsonb_typeof(${widgets.attributes})`, city: sql<string>`${widgets.attributes}->>'city'` })
        .from(widgets)
        .where(eq(widgets.id, widget.id));
      expect(stored).toEqual({ type: 'object', city: 'Thủ Đức' });
    });

    it('round-trips timestamps with time zone as Dates to the millisecond', async () => {
      const createdAt = new Date('2025-03-09T23:59:58.123+07:00');
      const widget = { ...newWidget('time'), createdAt };
      await database.db.insert(widgets).values(widget);

      const [row] = await database.db.select().from(widgets).where(eq(widgets.id, widget.id));
      expect(row?.createdAt).toBeInstanceOf(Date);
      expect(row?.createdAt.toISOString()).toBe('2025-03-09T16:59:58.123Z');
    });

    it('runs statements built once per shape on the pool and in transactions, nulls and undefined fields as drizzle writes them', async () => {
      let builds = 0;
      const built = new BuiltStatements(database.db);
      const insert = (handle: typeof database.db, row: Partial<ReturnType<typeof newWidget>> & { id: string }) => {
        const fields = fieldsOf(row);
        return built.run<{ id: string }>(
          handle,
          `widget insert ${fields.shape}`,
          (d) => {
            builds += 1;
            return d.insert(widgets).values(fields.placeholders() as ReturnType<typeof newWidget>).onConflictDoNothing().returning({ id: widgets.id });
          },
          fields.params,
        );
      };
      const rename = (handle: typeof database.db, id: string, name: string, olderThan: Date) =>
        built.run<{ id: string }>(
          handle,
          'widget rename',
          (d) => {
            builds += 1;
            return d
              .update(widgets)
              .set(fieldsOf({ name }).placeholders())
              .where(and(eq(widgets.id, sql.placeholder('where_id')), lt(widgets.createdAt, placeholderOf(widgets.createdAt, 'where_before'))))
              .returning({ id: widgets.id });
          },
          { name, where_id: id, where_before: olderThan },
        );

      const [a, b] = [newWidget('a', { wheels: 3 }), newWidget('b', { nested: { on: true } })];
      expect(await insert(database.db, a)).toEqual([{ id: a.id }]);
      expect(await insert(database.db, a)).toEqual([]);
      await database.db.transaction(async (tx) => {
        expect(await insert(tx as unknown as typeof database.db, b)).toEqual([{ id: b.id }]);
        expect(await rename(tx as unknown as typeof database.db, b.id, 'b renamed', new Date(Date.now() + 60_000))).toEqual([{ id: b.id }]);
        expect(await rename(tx as unknown as typeof database.db, a.id, 'a renamed', new Date(0))).toEqual([]);
      });
      expect(builds).toBe(2);
      const rows = await database.db.select().from(widgets).where(inArray(widgets.id, [a.id, b.id]));
      expect(rows.sort((x, y) => x.name.localeCompare(y.name))).toEqual([a, { ...b, name: 'b renamed' }]);

      // A rolled-back transaction leaves nothing, and a null is a shape of its own.
      const c = newWidget('c');
      await expect(
        database.db.transaction(async (tx) => {
          await insert(tx as unknown as typeof database.db, c);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await database.db.select().from(widgets).where(eq(widgets.id, c.id))).toEqual([]);
      expect(fieldsOf({ a: 1, b: null, c: undefined }).shape).toBe('a,b=null,');
      await expect(insert(database.db, { ...c, name: null as unknown as string })).rejects.toThrow();
      expect(builds).toBe(3);

      // Several rows in one insert, inside a transaction.
      const [d, e] = [newWidget('d', { n: 1 }), newWidget('e', [] as unknown as Record<string, unknown>)];
      await database.db.transaction((tx) => built.insert(tx, widgets, [d, e]));
      expect(await database.db.select().from(widgets).where(inArray(widgets.id, [d.id, e.id])).orderBy(widgets.name)).toEqual([d, e]);
    });

    it('gives a lock to one holder at a time', async () => {
      const key = `contract-lock-${randomUUID()}`;
      const first = await database.tryLock(key);
      expect(first).toBeDefined();
      expect(await database.tryLock(key)).toBeUndefined();
      expect(await first?.isHeld()).toBe(true);

      await first?.release();
      expect(await first?.isHeld()).toBe(false);
      const second = await database.tryLock(key);
      expect(second).toBeDefined();
      await second?.release();
    });
  });
}
