import { outboxTable, processedEventsTable } from '@uitgo/kit/outbox';
import { pgSchema } from 'drizzle-orm/pg-core';

/** Every table of the user service lives in this Postgres schema (one database per service in real mode). */
export const userSchema = pgSchema('user');

export const outbox = outboxTable(userSchema);
export const processedEvents = processedEventsTable(userSchema);
