import { getTableName, sql, type Column, type Param, type Query } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import type { Db, DbOrTx } from './sqlDatabase.js';

/** What drizzle's query builders give: the statement's text and parameters, `sql.placeholder`s among them. */
interface Buildable {
  toSQL(): Query;
}

/**
 * Statements built once per shape, with `sql.placeholder` parameters, then run on whichever
 * handle a call passes: the pool or a transaction. drizzle's own `.prepare()` (kit's
 * `preparedQuery`) cannot serve a transaction, as its prepared query stays bound to the handle it
 * was built on, so the writes a transaction sends were built on every call; building is most of
 * a simple statement's CPU in the client (pnpm bench:sql).
 *
 * - `shape` names what the statement's text depends on (its columns, its optional conditions):
 *   one text is built per shape, so keep the shapes few.
 * - A condition's placeholder must be bound to its column (`placeholderOf`), as `fieldsOf`'s are,
 *   so its value is encoded like the column's (a Date sent as a timestamp); a bare
 *   `sql.placeholder` is sent as given.
 * - Rows come back as PostgreSQL names their columns (drizzle's result mapping is skipped with the
 *   building): use `returning()` keys equal to the column names.
 * - On a traced handle the statement is a span, as any statement run on it.
 */
export class BuiltStatements<TSchema extends Record<string, unknown>> {
  private readonly built = new Map<string, Query>();

  constructor(private readonly db: Db<TSchema>) {}

  async run<R = Record<string, unknown>>(handle: DbOrTx<TSchema>, shape: string, build: (db: Db<TSchema>) => Buildable, params: Record<string, unknown>): Promise<R[]> {
    let query = this.built.get(shape);
    if (query === undefined) this.built.set(shape, (query = build(this.db).toSQL()));
    // No name: the session prepares it on the server as configured (DATABASE_PREPARED_STATEMENTS).
    const result = await handle._.session.prepareQuery<{ execute: R[] | { rows: R[] }; all: unknown; values: unknown }>(query, undefined, undefined, false).execute(params);
    // postgres.js answers with the rows, PGlite with a result holding them.
    return Array.isArray(result) ? result : result.rows;
  }

  /** Inserts `rows` (no returning), built once per table and shape of the rows (so per count of rows too: keep it small). */
  insert(handle: DbOrTx<TSchema>, table: PgTable, rows: readonly object[]): Promise<unknown[]> {
    const fields = rows.map((row, i) => fieldsOf(row, `r${i}_`));
    const { schema } = getTableConfig(table);
    return this.run(
      handle,
      `insert ${schema ?? ''}.${getTableName(table)} ${fields.map((f) => f.shape).join('|')}`,
      (db) => db.insert(table).values(fields.map((f) => f.placeholders()) as PgTable['$inferInsert'][]),
      Object.assign({}, ...fields.map((f) => f.params)) as Record<string, unknown>,
    );
  }
}

/** A placeholder named `name` whose value is encoded as `column` encodes its own (drizzle leaves a bare placeholder in a condition unencoded). */
export function placeholderOf<T extends Column>(column: T, name: string): Param<T['_']['data']> {
  return sql.param(sql.placeholder(name), column) as unknown as Param<T['_']['data']>;
}

/**
 * A row's defined fields (drizzle leaves an undefined one out of an insert or update): the shape
 * they give, their values as parameters named `<prefix><field>`, and, for building, the same
 * fields as placeholders of those names. A null is written into the statement (so it is part of
 * the shape): drizzle encodes a placeholder's value with its column's encoder when it is filled,
 * and those do not take null. The placeholders are typed as the row, as `values()` and `set()`
 * take them.
 */
export function fieldsOf<T extends object>(row: T, prefix = ''): { shape: string; params: Record<string, unknown>; placeholders: () => T } {
  const params: Record<string, unknown> = {};
  const keys: string[] = [];
  let shape = '';
  for (const [key, value] of Object.entries(row)) {
    if (value === undefined) continue;
    keys.push(key);
    if (value === null) shape += `${key}=null,`;
    else {
      shape += `${key},`;
      params[prefix + key] = value;
    }
  }
  return {
    shape,
    params,
    placeholders: () => Object.fromEntries(keys.map((key) => [key, prefix + key in params ? sql.placeholder(prefix + key) : sql`null`])) as T,
  };
}
