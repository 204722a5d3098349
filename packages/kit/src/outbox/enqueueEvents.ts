import type { RequestContext } from '../context.js';
import type { BusEvent } from '../events/eventBus.js';
import type { BuiltStatements } from '../sql/builtStatements.js';
import type { Db } from '../sql/sqlDatabase.js';
import { traceParentOf } from '../tracing/tracing.js';
import type { OutboxTable } from './outboxTable.js';

/**
 * Writes events to the outbox; call it with the transaction that makes the state change, so
 * the events exist exactly when the change does. Write the aggregate's row first (that locks
 * it): then outbox ids, and so publication order, follow commit order for each key.
 * `context` is the request's: with tracing on, the relay's publish spans become children of its
 * span, however much later they run.
 */
export async function enqueueEvents<TSchema extends Record<string, unknown>>(
  tx: Db<TSchema>,
  table: OutboxTable,
  topic: string,
  events: readonly BusEvent[],
  context?: RequestContext,
): Promise<void> {
  if (events.length === 0) return;
  await outboxInsert(tx, table, topic, events, context);
}

/** Inserts of up to this many events run as statements built once (one per count). */
const BUILT_UP_TO_EVENTS = 4;

/**
 * The outbox insert as a statement not yet sent, for a transaction that pipelines its
 * statements (`Promise.all` over them in order: they run in that order, in one round trip).
 * `events` must not be empty. With `built`, an insert of a few events is built once per count
 * of events rather than on every call.
 */
export function outboxInsert<TSchema extends Record<string, unknown>>(
  tx: Db<TSchema>,
  table: OutboxTable,
  topic: string,
  events: readonly BusEvent[],
  context?: RequestContext,
  built?: BuiltStatements<TSchema>,
): PromiseLike<unknown> {
  const traceParent = traceParentOf(context) ?? null;
  const rows = events.map((event) => ({
    eventId: event.id,
    topic,
    key: event.key,
    type: event.type,
    payload: event.payload,
    traceId: event.traceId ?? null,
    traceParent: event.traceParent ?? traceParent,
    occurredAt: new Date(event.occurredAt),
  }));
  return built && rows.length <= BUILT_UP_TO_EVENTS ? built.insert(tx, table, rows) : tx.insert(table).values(rows);
}
