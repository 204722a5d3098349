import { outboxTable, processedEventsTable } from '@uitgo/kit/outbox';
import { pgSchema } from 'drizzle-orm/pg-core';

/** Every table of the driver service lives in this Postgres schema (one database per service in real mode). */
export const driverSchema = pgSchema('driver');

export const outbox = outboxTable(driverSchema);
export const processedEvents = processedEventsTable(driverSchema);
