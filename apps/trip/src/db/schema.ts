import { outboxTable, processedEventsTable } from '@uitgo/kit/outbox';
import { pgSchema } from 'drizzle-orm/pg-core';

/** Every table of the trip service lives in this Postgres schema (one database per service in real mode). */
export const tripSchema = pgSchema('trip');

export const outbox = outboxTable(tripSchema);
export const processedEvents = processedEventsTable(tripSchema);
