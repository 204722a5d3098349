import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, text, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';

/**
 * The transactional outbox of one service. A service declares it in its drizzle schema file
 * (`export const outbox = outboxTable(tripSchema)`) so drizzle-kit generates its DDL into the
 * service's own migrations; the relay then publishes rows in `id` order.
 */
export function outboxTable(schema: PgSchema, name = 'outbox') {
  return schema.table(
    name,
    {
      id: bigserial('id', { mode: 'number' }).primaryKey(),
      eventId: uuid('event_id').notNull().unique(),
      topic: text('topic').notNull(),
      key: text('key').notNull(),
      type: text('type').notNull(),
      payload: jsonb('payload').notNull(),
      traceId: text('trace_id'),
      /** W3C traceparent of the request span that wrote the event: the relay's publish span is its child. */
      traceParent: text('trace_parent'),
      occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
      createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
      attempts: integer('attempts').notNull().default(0),
      lastError: text('last_error'),
      publishedAt: timestamp('published_at', { withTimezone: true }),
    },
    (t) => [
      // The relay scans only unpublished rows; a partial index keeps that scan small however many
      // published rows the retention window keeps.
      index(`${name}_unpublished_idx`).on(t.id).where(sql`${t.publishedAt} is null`),
      index(`${name}_published_at_idx`).on(t.publishedAt),
    ],
  );
}

export type OutboxTable = ReturnType<typeof outboxTable>;
