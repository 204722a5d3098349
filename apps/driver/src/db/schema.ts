import { outboxTable, processedEventsTable } from '@uitgo/kit/outbox';
import { integer, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Every table of the driver service lives in this Postgres schema (one database per service in real mode). */
export const driverSchema = pgSchema('driver');

export const outbox = outboxTable(driverSchema);
export const processedEvents = processedEventsTable(driverSchema);

export const vehicleTypeEnum = driverSchema.enum('vehicle_type', ['bike', 'car4', 'car7']);
export const availabilityEnum = driverSchema.enum('availability', ['offline', 'available', 'on_trip']);

/** A driver (id = their account id) with their vehicle and availability; the live position lives in Redis. */
export const drivers = driverSchema.table('drivers', {
  id: uuid('id').primaryKey(),
  vehicleType: vehicleTypeEnum('vehicle_type').notNull(),
  plateNumber: text('plate_number').notNull(),
  /** Letters and digits of the plate only: two spellings of one plate collide here. */
  plateKey: text('plate_key').notNull().unique('drivers_plate_key_unique'),
  vehicleModel: text('vehicle_model').notNull(),
  availability: availabilityEnum('availability').notNull().default('offline'),
  currentTripId: uuid('current_trip_id'),
  /** Grows with every change; the Redis mirror ignores a state older than the one it holds. */
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
