import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newTraceId } from '../context.js';
import { describeReal, postgresAdminUrl, startSpanRecorder, type SpanRecorder } from '../testing/index.js';
import { executeRows } from './executeRows.js';
import { createPostgresDatabase } from './postgresDatabase.js';
import type { SqlDatabase } from './sqlDatabase.js';
import { preparedQuery, tracedDb } from './sqlTracing.js';

await describeReal('SQL spans on postgres.js', ['postgres'], () => {
  let recorder: SpanRecorder;
  let database: SqlDatabase;

  beforeAll(async () => {
    recorder = await startSpanRecorder();
    database = createPostgresDatabase({ url: postgresAdminUrl(), maxConnections: 2 });
  });

  afterAll(async () => {
    await database?.close();
    await recorder?.stop();
  });

  it('nests the statements of a transaction and its savepoint under spans of the request', async () => {
    const context = { traceId: newTraceId(), spanId: '00f067aa0ba902b7', sampled: true };
    const rows = await tracedDb(database.db, context).transaction(async (tx) => {
      const inner = await tx.transaction(async (sp) => sp.select({ n: sql<number>`n` }).from(sql`(values (1), (2)) as v(n)`));
      return [...inner, ...(await executeRows<{ n: number }, Record<string, never>>(tx, sql`select 3 as n`))];
    });
    expect(rows.map((r) => Number(r.n))).toEqual([1, 2, 3]);

    const spans = recorder.spansOf(context.traceId);
    const [outer, savepoint] = spans.filter((s) => s.name === 'transaction').reverse();
    expect(outer?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(savepoint?.parentSpanContext?.spanId).toBe(outer!.spanContext().spanId);
    const selects = spans.filter((s) => s.name.startsWith('SELECT'));
    expect(selects.map((s) => s.parentSpanContext?.spanId).sort()).toEqual([outer!.spanContext().spanId, savepoint!.spanContext().spanId].sort());
    expect(selects[0]!.attributes).toMatchObject({ 'db.system': 'postgresql', 'db.namespace': 'postgres' });
  });

  it('reports a failing statement as an error span and rethrows', async () => {
    const context = { traceId: newTraceId() };
    await expect(tracedDb(database.db, context).execute(sql`select * from no_such_table`)).rejects.toThrow();
    const [failed] = recorder.spansOf(context.traceId);
    expect(failed).toMatchObject({ name: 'SELECT no_such_table', status: { code: 2 } });
  });

  it('runs a prepared query as built once, and as a span for a traced request', async () => {
    const doubled = preparedQuery(database.db, 'doubled', (db) => db.select({ n: sql<number>`${sql.placeholder('n')}::int * 2` }).from(sql`(values (1)) as v(one)`));
    const traced = { traceId: newTraceId(), spanId: '00f067aa0ba902b7', sampled: true };
    const unsampled = { traceId: newTraceId(), sampled: false };
    expect(await doubled({ n: 4 }, traced)).toEqual([{ n: 8 }]);
    expect(await doubled({ n: 5 }, unsampled)).toEqual([{ n: 10 }]);
    expect(await doubled({ n: 6 })).toEqual([{ n: 12 }]);
    expect(recorder.spansOf(traced.traceId).map((s) => s.name)).toEqual(['SELECT']);
    expect(recorder.spansOf(unsampled.traceId)).toEqual([]);
  });

  it('hands back the plain handle for an unsampled request', () => {
    expect(tracedDb(database.db, { traceId: newTraceId(), spanId: '00f067aa0ba902b7', sampled: false })).toBe(database.db);
  });
});
