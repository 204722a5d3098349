import type * as schema from '../db/schema.js';
import type { TripRecord } from '../domain/trip.js';
import type { DispatchClaim, OfferRecord, QuoteRecord } from '../ports/tripRepository.js';

type TripRow = typeof schema.trips.$inferSelect;
type QuoteRow = typeof schema.quotes.$inferSelect;
type OfferRow = typeof schema.offers.$inferSelect;

export function tripFromRow(row: TripRow): TripRecord {
  return {
    id: row.id,
    passengerId: row.passengerId,
    driverId: row.driverId,
    status: row.status,
    vehicleType: row.vehicleType,
    pickup: { lat: row.pickupLat, lng: row.pickupLng },
    dropoff: { lat: row.dropoffLat, lng: row.dropoffLng },
    quoteId: row.quoteId,
    quote: { amount: row.quoteAmount, surgeMultiplier: row.surgeMultiplier, breakdown: row.quoteBreakdown },
    fare: row.fare,
    distanceM: row.distanceM,
    durationS: row.durationS,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    assignedAt: row.assignedAt,
    arrivedAt: row.arrivedAt,
    startedAt: row.startedAt,
    completedAt: row.completedAt,
    canceledAt: row.canceledAt,
    cancelReason: row.cancelReason,
    canceledBy: row.canceledBy,
    version: row.version,
    dispatchAttempts: row.dispatchAttempts,
    dispatchStartedAt: row.dispatchStartedAt ?? row.createdAt,
    dispatchAttemptsBeforeRound: row.dispatchAttemptsBeforeRound,
  };
}

/** The columns a transition may change (identity, route and idempotency never change). */
export function tripChangeColumns(trip: TripRecord) {
  return {
    driverId: trip.driverId,
    status: trip.status,
    fare: trip.fare,
    distanceM: trip.distanceM,
    durationS: trip.durationS,
    updatedAt: trip.updatedAt,
    assignedAt: trip.assignedAt,
    arrivedAt: trip.arrivedAt,
    startedAt: trip.startedAt,
    completedAt: trip.completedAt,
    canceledAt: trip.canceledAt,
    cancelReason: trip.cancelReason,
    canceledBy: trip.canceledBy,
    dispatchAttempts: trip.dispatchAttempts,
    dispatchStartedAt: trip.dispatchStartedAt,
    dispatchAttemptsBeforeRound: trip.dispatchAttemptsBeforeRound,
  };
}

export function tripInsertRow(trip: TripRecord, idempotency: { key: string; requestHash: string; cell: string }, dispatch: DispatchClaim): typeof schema.trips.$inferInsert {
  return {
    id: trip.id,
    passengerId: trip.passengerId,
    vehicleType: trip.vehicleType,
    pickupLat: trip.pickup.lat,
    pickupLng: trip.pickup.lng,
    dropoffLat: trip.dropoff.lat,
    dropoffLng: trip.dropoff.lng,
    pickupCell: idempotency.cell,
    quoteId: trip.quoteId,
    quoteAmount: trip.quote.amount,
    surgeMultiplier: trip.quote.surgeMultiplier,
    quoteBreakdown: trip.quote.breakdown,
    idempotencyKey: idempotency.key,
    requestHash: idempotency.requestHash,
    version: trip.version,
    createdAt: trip.createdAt,
    dispatchDueAt: dispatch.leaseUntil,
    dispatchClaim: dispatch.claim,
    ...tripChangeColumns(trip),
  };
}

export function quoteFromRow(row: QuoteRow): QuoteRecord {
  return {
    id: row.id,
    passengerId: row.passengerId,
    vehicleType: row.vehicleType,
    pickup: { lat: row.pickupLat, lng: row.pickupLng },
    dropoff: { lat: row.dropoffLat, lng: row.dropoffLng },
    distanceM: row.distanceM,
    durationS: row.durationS,
    surgeMultiplier: row.surgeMultiplier,
    fare: row.fare,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
  };
}

export function quoteRow(quote: QuoteRecord): typeof schema.quotes.$inferInsert {
  return {
    id: quote.id,
    passengerId: quote.passengerId,
    vehicleType: quote.vehicleType,
    pickupLat: quote.pickup.lat,
    pickupLng: quote.pickup.lng,
    dropoffLat: quote.dropoff.lat,
    dropoffLng: quote.dropoff.lng,
    distanceM: quote.distanceM,
    durationS: quote.durationS,
    surgeMultiplier: quote.surgeMultiplier,
    fare: quote.fare,
    expiresAt: quote.expiresAt,
    createdAt: quote.createdAt,
  };
}

export const offerFromRow = (row: OfferRow): OfferRecord => ({ ...row });
