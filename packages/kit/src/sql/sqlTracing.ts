import type { RequestContext } from '../context.js';
import { endSpan, SpanKind, startSpan, tracingEnabled, withSpan, type Attributes } from '../tracing/tracing.js';
import { isW3cTraceId } from '../tracing/traceParent.js';
import type { Db, DbOrTx } from './sqlDatabase.js';

/** Builds a drizzle handle over the adapter's driver whose queries are spans of `context`. */
export type TracedDbFactory = (context: RequestContext) => unknown;

const factories = new WeakMap<object, { make: TracedDbFactory; made: WeakMap<RequestContext, unknown> }>();

/** Called by the adapters (postgres.js, PGlite) for the handle they expose as `SqlDatabase.db`. */
export function makeTraceable(db: object, make: TracedDbFactory): void {
  factories.set(db, { make, made: new WeakMap() });
}

/**
 * `db` for the request `context`: while tracing is on and the request is sampled, a handle whose
 * queries (and transactions) are spans under the context's span; otherwise `db` itself. The
 * context is passed explicitly, as to gRPC clients, because spans are never parented through
 * async-local state. One handle is built per request context and reused. A transaction comes
 * back as it is: opened on a traced handle, its statements are spans already.
 */
export function tracedDb<TSchema extends Record<string, unknown>>(db: Db<TSchema>, context: RequestContext | undefined): Db<TSchema>;
export function tracedDb<TSchema extends Record<string, unknown>>(db: DbOrTx<TSchema>, context: RequestContext | undefined): DbOrTx<TSchema>;
export function tracedDb(db: object, context: RequestContext | undefined): object {
  if (!tracingEnabled() || context === undefined || context.sampled === false || !isW3cTraceId(context.traceId)) return db;
  const entry = factories.get(db);
  if (!entry) return db;
  let traced = entry.made.get(context);
  if (traced === undefined) entry.made.set(context, (traced = entry.make(context)));
  return traced as object;
}

const OPERATION = /^\s*(?:with\b[\s\S]*?\)\s*)?([a-z]+)/i;
const TARGET = /\b(?:from|into|update|join)\s+((?:"[^"]+"|\w+)(?:\.(?:"[^"]+"|\w+))?)/i;

/** OpenTelemetry's database attributes and span name (`SELECT "driver"."drivers"`) of a statement. */
export function queryAttributes(system: 'postgresql', query: string, database: string | undefined): { name: string; attributes: Attributes } {
  const operation = (OPERATION.exec(query)?.[1] ?? 'query').toUpperCase();
  const target = TARGET.exec(query)?.[1];
  const attributes: Attributes = {
    'db.system': system,
    'db.system.name': system,
    'db.operation.name': operation,
    // drizzle sends parameters separately ($1, $2): the text holds no values.
    'db.query.text': query.length > 2_000 ? `${query.slice(0, 2_000)}…` : query,
  };
  if (database) attributes['db.namespace'] = database;
  return { name: target ? `${operation} ${target}` : operation, attributes };
}

/** A span around one statement, ended when its promise settles. */
export function spanOfQuery<T>(context: RequestContext, query: string, database: string | undefined, run: () => PromiseLike<T>): Promise<T> {
  const { name, attributes } = queryAttributes('postgresql', query, database);
  const span = startSpan(context, name, SpanKind.CLIENT, attributes);
  return Promise.resolve(run()).then(
    (value) => {
      span?.end();
      return value;
    },
    (err: unknown) => {
      endSpan(span, err);
      throw err;
    },
  );
}

/** A span around a transaction; the statements inside nest under it. */
export async function spanOfTransaction<T>(context: RequestContext, database: string | undefined, run: (inner: RequestContext) => Promise<T>): Promise<T> {
  const span = startSpan(context, 'transaction', SpanKind.INTERNAL, {
    'db.system': 'postgresql',
    'db.system.name': 'postgresql',
    ...(database ? { 'db.namespace': database } : {}),
  });
  try {
    const result = await run(withSpan(context, span));
    span?.end();
    return result;
  } catch (err) {
    endSpan(span, err);
    throw err;
  }
}

/** What drizzle's builders give `.prepare(name)`: a query with `sql.placeholder` parameters, built once. */
interface Preparable<P, R> {
  prepare(name: string): { execute(params: P): Promise<R> };
}

/**
 * A query built once, with `sql.placeholder` parameters, and run by name with its values:
 * drizzle's query building (most of a simple read's CPU) is skipped on every call. A request that
 * is traced (tracing on and the request sampled) builds it on its traced handle instead, so its
 * statement is still a span.
 */
export function preparedQuery<TSchema extends Record<string, unknown>, P extends Record<string, unknown>, R>(
  db: Db<TSchema>,
  name: string,
  build: (db: Db<TSchema>) => Preparable<P, R>,
): (params: P, context?: RequestContext) => Promise<R> {
  const prepared = build(db).prepare(name);
  return (params, context) => {
    const traced = tracedDb(db, context);
    return (traced === db ? prepared : build(traced).prepare(name)).execute(params);
  };
}
