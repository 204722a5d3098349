import { outboxTable, processedEventsTable } from '@uitgo/kit/outbox';
import { pgSchema } from 'drizzle-orm/pg-core';

/** Every table of the auth service lives in this Postgres schema (one database per service in real mode). */
export const authSchema = pgSchema('auth');

export const outbox = outboxTable(authSchema);
export const processedEvents = processedEventsTable(authSchema);
