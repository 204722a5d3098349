import type { Sql } from 'postgres';

type AnyFn = (...args: unknown[]) => unknown;

export const LONGEST_PREPARED_LIST = 8;
const LONG_LIST = new RegExp(`\\bin \\(\\$\\d+(?:, \\$\\d+){${LONGEST_PREPARED_LIST},}\\)`, 'i');

/** Whether a statement is worth preparing: not when it holds a long `in (…)` list of parameters. */
export function preparable(query: string): boolean {
  return !LONG_LIST.test(query);
}

/**
 * A postgres.js client whose `unsafe` statements (every statement drizzle's query builder sends)
 * are prepared on the server. drizzle passes `prepare: false` unless the query was built with
 * `.prepare(name)`, so each statement was parsed and planned again on every run, and its
 * RowDescription sent and parsed again (for a trip row, some 40 columns). postgres.js keeps one
 * prepared statement per distinct text on each connection; drizzle's texts hold `$n` parameters,
 * not values, so there are about as many as there are query shapes. The exception is a list of
 * parameters (`in ($1, $2, …)`), one text per length: lists longer than LONGEST_PREPARED_LIST stay
 * unprepared, so a relay's batches of up to hundreds of ids do not leave a statement per size on
 * every connection. Transactions' clients (`begin`/`savepoint`) are wrapped too.
 */
export function preparingClient(client: Sql): Sql {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') {
        return (query: string, args?: unknown[], options?: Record<string, unknown>) =>
          (target.unsafe as AnyFn)(query, args ?? [], { ...options, prepare: preparable(query) });
      }
      if (prop === 'begin' || prop === 'savepoint') {
        const open = (target as unknown as Record<string, AnyFn>)[prop]!;
        return (...args: unknown[]) => {
          const body = args.pop() as (tx: Sql) => unknown;
          return open.call(target, ...args, (tx: Sql) => body(preparingClient(tx)));
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}
