import { jsonb, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { outboxTable } from '../../outbox/outboxTable.js';
import { processedEventsTable } from '../../outbox/processedEventsTable.js';

/** A miniature service schema used by the SQL and outbox contract suites. */
export const kitTestSchema = pgSchema('kit_test');

export const widgets = kitTestSchema.table('widgets', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

export const outbox = outboxTable(kitTestSchema);
export const processedEvents = processedEventsTable(kitTestSchema);
