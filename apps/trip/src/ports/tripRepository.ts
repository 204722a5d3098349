import type { RequestContext } from '@uitgo/kit';
import type { Fare, UitgoEvent, VehicleType } from '@uitgo/contracts';
import type { LatLng } from '../domain/geo.js';
import type { TripRecord } from '../domain/trip.js';

export interface QuoteRecord {
  id: string;
  passengerId: string;
  vehicleType: VehicleType;
  pickup: LatLng;
  dropoff: LatLng;
  distanceM: number;
  durationS: number;
  surgeMultiplier: number;
  fare: Fare;
  expiresAt: Date;
  createdAt: Date;
}

export type OfferStatus = 'pending' | 'accepted' | 'declined' | 'expired' | 'withdrawn';

export interface OfferRecord {
  id: string;
  tripId: string;
  driverId: string;
  attempt: number;
  reservationId: string;
  status: OfferStatus;
  fareAmount: number;
  expiresAt: Date;
  createdAt: Date;
  resolvedAt: Date | null;
}

export interface RatingRecord {
  tripId: string;
  passengerId: string;
  driverId: string;
  stars: number;
  comment: string | null;
  createdAt: Date;
}

export type DriverTaskKind = 'release' | 'on_trip' | 'available';

export interface DriverTask {
  id: number;
  kind: DriverTaskKind;
  driverId: string;
  tripId: string;
  attempts: number;
}

/** Everything one transition writes, in one transaction; any failed condition rolls it all back. */
export interface TripChange {
  trip?: {
    next: TripRecord;
    /** Optimistic concurrency: the row must still be at this version. */
    expectedVersion: number;
    /** The trip's next dispatch deadline (undefined leaves it). */
    dispatchDueAt?: Date | null;
    /** The dispatcher run that must still hold the trip. */
    requireClaim?: string;
  };
  /** Resolves a pending offer; `live` requires it unexpired at that time, `expiredBy` expired by then. */
  resolveOffer?: { id: string; to: Exclude<OfferStatus, 'pending'>; at: Date; live?: Date; expiredBy?: Date };
  newOffer?: OfferRecord;
  events?: UitgoEvent[];
  tasks?: { kind: DriverTaskKind; driverId: string; tripId: string }[];
}

export type ChangeOutcome = { ok: true } | { ok: false; reason: 'conflict' };

export interface TripPageQuery {
  passengerId?: string;
  driverId?: string;
  status?: TripRecord['status'];
  limit: number;
  /** Keyset position: strictly older than (createdAt, id). */
  after?: { createdAt: Date; id: string };
}

export interface NewTripOutcome {
  trip: TripRecord;
  replayed: boolean;
}

/** A dispatcher run's hold on a trip: only writes carrying `claim` may change its dispatch until `leaseUntil`. */
export interface DispatchClaim {
  claim: string;
  leaseUntil: Date;
}

/** trips-db: quotes, trips, offers and the driver tasks written with them. */
export interface TripRepository {
  saveQuote(quote: QuoteRecord, context?: RequestContext): Promise<void>;
  findQuote(id: string, context?: RequestContext): Promise<QuoteRecord | null>;
  /** Trips requested in the cell since `since` (demand for surge pricing). */
  countRequestsInCell(cell: string, since: Date, context?: RequestContext): Promise<number>;

  /**
   * Inserts the trip with its `trip.v1.requested` event, already claimed for dispatch by
   * `dispatch.claim` until `dispatch.leaseUntil` (the replica that creates a trip runs its first
   * step; should it die, the trip falls due when the lease ends). A trip with the same (passenger, idempotency key) is returned instead
   * (`replayed`), also when requests race; IDEMPOTENCY_KEY_REUSED if its request hash differs;
   * QUOTE_ALREADY_USED if another trip was booked from the trip's quote (a quote books one trip,
   * whatever races); ACTIVE_TRIP_EXISTS if another trip is unfinished.
   */
  create(trip: TripRecord, idempotency: { key: string; requestHash: string; cell: string }, event: UitgoEvent, dispatch: DispatchClaim, context?: RequestContext): Promise<NewTripOutcome>;
  find(id: string, context?: RequestContext): Promise<TripRecord | null>;
  findByIdempotencyKey(passengerId: string, key: string, context?: RequestContext): Promise<{ trip: TripRecord; requestHash: string } | null>;
  list(query: TripPageQuery, context?: RequestContext): Promise<TripRecord[]>;
  /** Every trip, oldest first, in pages (read-model rebuild). */
  scan(after: string | null, limit: number): Promise<TripRecord[]>;
  apply(change: TripChange, context?: RequestContext): Promise<ChangeOutcome>;

  /** Stores the rating with its event; false if the trip is already rated. */
  saveRating(rating: RatingRecord, event: UitgoEvent, context?: RequestContext): Promise<boolean>;
  findReceipt(tripId: string, context?: RequestContext): Promise<{ objectKey: string } | null>;
  saveReceipt(receipt: { tripId: string; objectKey: string; sizeBytes: number; createdAt: Date }, context?: RequestContext): Promise<void>;

  findOffer(tripId: string, driverId: string, context?: RequestContext): Promise<OfferRecord | null>;
  pendingOffer(tripId: string, context?: RequestContext): Promise<OfferRecord | null>;
  pendingOffersOf(driverId: string, context?: RequestContext): Promise<OfferRecord[]>;
  askedDrivers(tripId: string, context?: RequestContext): Promise<Set<string>>;
  listOffers(tripId: string, context?: RequestContext): Promise<OfferRecord[]>;

  /** Takes trips due for dispatch (all, or the one named) for `claim` until `leaseUntil`; returns their ids. */
  claimDue(now: Date, leaseUntil: Date, claim: string, options: { limit: number; tripId?: string }, context?: RequestContext): Promise<string[]>;

  /** Takes due tasks (oldest per driver only, so each driver's calls stay in order) until `leaseUntil`. */
  claimTasks(now: Date, leaseUntil: Date, limit: number): Promise<DriverTask[]>;
  finishTask(id: number): Promise<void>;
  retryTask(id: number, dueAt: Date, error: string): Promise<void>;
}
