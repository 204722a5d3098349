import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { PendingQuery, Row, Sql } from 'postgres';
import type { RequestContext } from '../context.js';
import { spanOfQuery, spanOfTransaction } from './sqlTracing.js';

type AnyFn = (...args: unknown[]) => unknown;

/**
 * A postgres.js client whose statements are spans of `context`: `unsafe` (what drizzle sends every
 * statement through) and the transactions of `begin`/`savepoint`, whose clients are wrapped too.
 */
export function tracePostgresClient(client: Sql, context: RequestContext, database: string | undefined): Sql {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') {
        return (query: string, ...rest: unknown[]) => traceQuery((target.unsafe as AnyFn)(query, ...rest) as PendingQuery<Row[]>, context, query, database);
      }
      if (prop === 'begin' || prop === 'savepoint') {
        const open = (target as unknown as Record<string, AnyFn>)[prop]!;
        return (...args: unknown[]) => {
          const body = args.pop() as (tx: Sql) => unknown;
          return spanOfTransaction(context, database, (inner) => open(...args, (tx: Sql) => body(tracePostgresClient(tx, inner, database))) as Promise<unknown>);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

/**
 * postgres.js queries run when awaited: the span starts then. `values()`/`raw()` (called by drizzle
 * before awaiting) keep returning the wrapper.
 */
function traceQuery(query: PendingQuery<Row[]>, context: RequestContext, text: string, database: string | undefined): PendingQuery<Row[]> {
  let settled: Promise<unknown> | undefined;
  const wrapper: PendingQuery<Row[]> = new Proxy(query, {
    get(target, prop) {
      if (prop === 'then') {
        return (onFulfilled?: AnyFn, onRejected?: AnyFn) => (settled ??= spanOfQuery(context, text, database, () => target)).then(onFulfilled, onRejected);
      }
      if (prop === 'values' || prop === 'raw') {
        return () => {
          (target[prop] as AnyFn).call(target);
          return wrapper;
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as AnyFn).bind(target) : value;
    },
  });
  return wrapper;
}

type PgliteClient = PGlite | Transaction;

/** A PGlite (or PGlite transaction) whose `query` calls and transactions are spans of `context`. */
export function tracePgliteClient<T extends PgliteClient>(client: T, context: RequestContext, database: string | undefined): T {
  return new Proxy(client, {
    get(target, prop) {
      if (prop === 'query') {
        return (query: string, ...rest: unknown[]) => spanOfQuery(context, query, database, () => (target.query as AnyFn).call(target, query, ...rest) as Promise<unknown>);
      }
      if (prop === 'transaction' && 'transaction' in target) {
        return (body: (tx: Transaction) => Promise<unknown>) =>
          spanOfTransaction(context, database, (inner) => (target as PGlite).transaction((tx) => body(tracePgliteClient(tx, inner, database))));
      }
      // PGlite keeps state in private fields: its methods must run on the instance itself.
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as AnyFn).bind(target) : value;
    },
  });
}
