import { outboxTable, processedEventsTable } from '@uitgo/kit/outbox';
import type { Fare, FareLine } from '@uitgo/contracts';
import { sql } from 'drizzle-orm';
import { bigserial, doublePrecision, index, integer, jsonb, pgSchema, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** Every table of the trip service lives in this Postgres schema (one database per service in real mode). */
export const tripSchema = pgSchema('trip');

export const outbox = outboxTable(tripSchema);
export const processedEvents = processedEventsTable(tripSchema);

export const vehicleTypeEnum = tripSchema.enum('vehicle_type', ['bike', 'car4', 'car7']);
export const tripStatusEnum = tripSchema.enum('trip_status', ['REQUESTED', 'DRIVER_ASSIGNED', 'ARRIVED', 'IN_TRIP', 'COMPLETED', 'CANCELED']);
export const cancelActorEnum = tripSchema.enum('cancel_actor', ['passenger', 'driver', 'admin', 'system']);
export const offerStatusEnum = tripSchema.enum('offer_status', ['pending', 'accepted', 'declined', 'expired', 'withdrawn']);

const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/** A priced route, bookable until expires_at by the passenger who asked. */
export const quotes = tripSchema.table('quotes', {
  id: uuid('id').primaryKey(),
  passengerId: uuid('passenger_id').notNull(),
  vehicleType: vehicleTypeEnum('vehicle_type').notNull(),
  pickupLat: doublePrecision('pickup_lat').notNull(),
  pickupLng: doublePrecision('pickup_lng').notNull(),
  dropoffLat: doublePrecision('dropoff_lat').notNull(),
  dropoffLng: doublePrecision('dropoff_lng').notNull(),
  distanceM: integer('distance_m').notNull(),
  durationS: integer('duration_s').notNull(),
  surgeMultiplier: doublePrecision('surge_multiplier').notNull(),
  fare: jsonb('fare').$type<Fare>().notNull(),
  expiresAt: at('expires_at').notNull(),
  createdAt: at('created_at').notNull(),
});

export const trips = tripSchema.table(
  'trips',
  {
    id: uuid('id').primaryKey(),
    passengerId: uuid('passenger_id').notNull(),
    driverId: uuid('driver_id'),
    status: tripStatusEnum('status').notNull(),
    vehicleType: vehicleTypeEnum('vehicle_type').notNull(),
    pickupLat: doublePrecision('pickup_lat').notNull(),
    pickupLng: doublePrecision('pickup_lng').notNull(),
    dropoffLat: doublePrecision('dropoff_lat').notNull(),
    dropoffLng: doublePrecision('dropoff_lng').notNull(),
    /** Grid cell of the pickup: recent requests per cell are the demand side of surge pricing. */
    pickupCell: text('pickup_cell').notNull(),
    quoteId: uuid('quote_id'),
    quoteAmount: integer('quote_amount').notNull(),
    surgeMultiplier: doublePrecision('surge_multiplier').notNull(),
    quoteBreakdown: jsonb('quote_breakdown').$type<FareLine[]>().notNull(),
    fare: jsonb('fare').$type<Fare>(),
    distanceM: integer('distance_m').notNull(),
    durationS: integer('duration_s').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** What the idempotent request asked for: the same key with another request is refused. */
    requestHash: text('request_hash').notNull(),
    version: integer('version').notNull().default(1),
    dispatchAttempts: smallint('dispatch_attempts').notNull().default(0),
    /**
     * When the current dispatch round began: the request, or the last time the assigned driver gave
     * the trip back. Null on rows written before the column (or by a replica that predates it):
     * their round began at created_at.
     */
    dispatchStartedAt: at('dispatch_started_at'),
    /** dispatch_attempts when the current round began: a round's attempt limit counts the ones since. */
    dispatchAttemptsBeforeRound: smallint('dispatch_attempts_before_round').notNull().default(0),
    /** When dispatch must act next (search, or an offer's deadline); null once a driver has it or it ended. */
    dispatchDueAt: at('dispatch_due_at'),
    /** The dispatcher run that holds the trip until dispatch_due_at (its lease). */
    dispatchClaim: uuid('dispatch_claim'),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
    assignedAt: at('assigned_at'),
    arrivedAt: at('arrived_at'),
    startedAt: at('started_at'),
    completedAt: at('completed_at'),
    canceledAt: at('canceled_at'),
    cancelReason: text('cancel_reason'),
    canceledBy: cancelActorEnum('canceled_by'),
  },
  (t) => [
    uniqueIndex('trips_passenger_idempotency_key').on(t.passengerId, t.idempotencyKey),
    // One unfinished trip per passenger and per driver, whatever races.
    uniqueIndex('trips_one_active_per_passenger').on(t.passengerId).where(sql`status in ('REQUESTED', 'DRIVER_ASSIGNED', 'ARRIVED', 'IN_TRIP')`),
    uniqueIndex('trips_one_active_per_driver').on(t.driverId).where(sql`status in ('DRIVER_ASSIGNED', 'ARRIVED', 'IN_TRIP')`),
    // A quote books one trip, canceled or not, whatever races: rebooking it would keep an old price alive.
    uniqueIndex('trips_one_per_quote').on(t.quoteId).where(sql`quote_id is not null`),
    index('trips_newest').on(t.createdAt.desc(), t.id.desc()),
    index('trips_passenger_newest').on(t.passengerId, t.createdAt.desc(), t.id.desc()),
    index('trips_driver_newest').on(t.driverId, t.createdAt.desc(), t.id.desc()),
    index('trips_status_newest').on(t.status, t.createdAt.desc(), t.id.desc()),
    index('trips_pickup_cell_recent').on(t.pickupCell, t.createdAt),
    index('trips_dispatch_due').on(t.dispatchDueAt).where(sql`dispatch_due_at is not null`),
  ],
);

/** One offer of a trip to one driver; the deadline lives here, so a restart loses none. */
export const offers = tripSchema.table(
  'offers',
  {
    id: uuid('id').primaryKey(),
    tripId: uuid('trip_id').notNull(),
    driverId: uuid('driver_id').notNull(),
    attempt: smallint('attempt').notNull(),
    reservationId: text('reservation_id').notNull(),
    status: offerStatusEnum('status').notNull(),
    fareAmount: integer('fare_amount').notNull(),
    expiresAt: at('expires_at').notNull(),
    createdAt: at('created_at').notNull(),
    resolvedAt: at('resolved_at'),
  },
  (t) => [
    uniqueIndex('offers_trip_attempt').on(t.tripId, t.attempt),
    uniqueIndex('offers_one_pending_per_trip').on(t.tripId).where(sql`status = 'pending'`),
    index('offers_driver_pending').on(t.driverId).where(sql`status = 'pending'`),
  ],
);

/** Calls to the driver service that must happen after a commit (availability, releases), retried until done. */
export const driverTasks = tripSchema.table(
  'driver_tasks',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').$type<'release' | 'on_trip' | 'available'>().notNull(),
    driverId: uuid('driver_id').notNull(),
    tripId: uuid('trip_id').notNull(),
    attempts: integer('attempts').notNull().default(0),
    dueAt: at('due_at').notNull(),
    lastError: text('last_error'),
  },
  (t) => [index('driver_tasks_driver').on(t.driverId, t.id), index('driver_tasks_due').on(t.dueAt)],
);

export const ratings = tripSchema.table('ratings', {
  tripId: uuid('trip_id').primaryKey(),
  passengerId: uuid('passenger_id').notNull(),
  driverId: uuid('driver_id').notNull(),
  stars: smallint('stars').notNull(),
  comment: text('comment'),
  createdAt: at('created_at').notNull(),
});

export const receipts = tripSchema.table(
  'receipts',
  {
    tripId: uuid('trip_id').notNull(),
    objectKey: text('object_key').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tripId] })],
);
