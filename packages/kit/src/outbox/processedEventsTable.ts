import { primaryKey, text, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';

/**
 * Event ids a consumer has already applied, so at-least-once delivery applies each event once.
 * Declared per service like the outbox: `export const processedEvents = processedEventsTable(tripSchema)`.
 */
export function processedEventsTable(schema: PgSchema, name = 'processed_events') {
  return schema.table(
    name,
    {
      consumer: text('consumer').notNull(),
      eventId: uuid('event_id').notNull(),
      processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
    },
    (t) => [primaryKey({ columns: [t.consumer, t.eventId] })],
  );
}

export type ProcessedEventsTable = ReturnType<typeof processedEventsTable>;
