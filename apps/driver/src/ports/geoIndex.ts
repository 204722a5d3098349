import { NEARBY_RADIUS_MAX_M } from '@uitgo/contracts';
import type { RequestContext } from '@uitgo/kit';
import type { Availability, VehicleType } from '../domain/driverProfile.js';
import { MAX_SEARCH_CELLS, searchCellCount } from '../domain/geoCells.js';
import type { LocationFix } from '../domain/locationPoint.js';

/** What the index must know of a driver to decide whether their positions are searchable. */
export interface DriverLiveState {
  vehicleType: VehicleType;
  availability: Availability;
  tripId: string | null;
  /** drivers-db row version: an older state never overwrites a newer one. */
  version: number;
}

export interface PositionUpdate extends LocationFix {
  driverId: string;
}

export type UpsertOutcome =
  /** The live position moved; `previous` is the recordedAt it replaced (null for the first). */
  | { kind: 'applied'; previous: Date | null; tripId: string | null }
  /** The index already holds a position at least as new: nothing moved. */
  | { kind: 'ignored'; previous: Date; tripId: string | null }
  /** The index has no state for this driver: call `setDriver` (from drivers-db) and retry. */
  | { kind: 'unknown' };

export interface NearestQuery {
  lat: number;
  lng: number;
  radiusM: number;
  limit: number;
  vehicleType?: VehicleType | undefined;
}

export interface NearbyDriver {
  driverId: string;
  vehicleType: VehicleType;
  lat: number;
  lng: number;
  distanceM: number;
  updatedAt: Date;
}

export interface OfferDetails {
  pickup: { lat: number; lng: number };
  dropoff: { lat: number; lng: number };
  fare: { amount: number; currency: string };
}

export interface Reservation {
  driverId: string;
  tripId: string;
  reservationId: string;
  offer: OfferDetails;
  createdAt: Date;
  expiresAt: Date;
}

export interface ReserveRequest {
  driverId: string;
  tripId: string;
  reservationId: string;
  ttlMs: number;
  offer: OfferDetails;
}

export type ReserveOutcome =
  | { kind: 'reserved'; reservation: Reservation }
  /** The same trip already holds the driver: its reservation, unchanged. */
  | { kind: 'existing'; reservation: Reservation }
  /** Another trip holds the driver. */
  | { kind: 'held'; holder: Reservation }
  /** The driver is offline or on a trip. */
  | { kind: 'unavailable'; availability: Availability }
  | { kind: 'unknown' };

export type ReleaseMatch = { reservationId: string } | { tripId: string };

export type FenceOutcome =
  /** No new reservation of the driver succeeds until the fence is lifted or lapses. */
  | { kind: 'fenced' }
  /** A reservation other than the allowed trip's holds the driver: nothing was fenced. */
  | { kind: 'held'; holder: Reservation };

/** How long a fence holds at most when nothing lifts it (the change it guards failed). */
export const FENCE_MS = 5_000;

/**
 * The live driver index: each driver's searchable state and newest position, nearest-K search
 * over fresh and available drivers, and the reservations dispatch holds on them.
 * Adapters: `redisGeoIndex.ts` (single Redis or Redis Cluster), `memoryGeoIndex.ts`.
 * `context`, the request's, makes an operation a span of its trace (tracing on).
 */
export interface GeoIndex {
  /** Mirrors availability and vehicle from drivers-db; an `available` driver with a position becomes searchable. */
  setDriver(driverId: string, state: DriverLiveState, context?: RequestContext): Promise<void>;
  /**
   * Moves drivers to their newest positions, one outcome per update. An update not newer than the
   * position kept for its driver is ignored, atomically, whatever the order updates arrive in.
   * Only `available` drivers become searchable; the others keep a position (the profile shows it).
   */
  upsert(updates: readonly PositionUpdate[], context?: RequestContext): Promise<UpsertOutcome[]>;
  /** Forgets a driver (state, position, reservation). */
  remove(driverId: string): Promise<void>;
  /** The newest position kept for the driver, searchable or not. */
  position(driverId: string, context?: RequestContext): Promise<LocationFix | null>;
  /** Available, unreserved drivers whose position is fresh, within the radius, nearest first. */
  nearest(query: NearestQuery, context?: RequestContext): Promise<NearbyDriver[]>;
  /** Holds an available driver for one trip until the TTL passes (or release). */
  reserve(request: ReserveRequest, context?: RequestContext): Promise<ReserveOutcome>;
  /** Ends the reservation only if it matches; true if one was ended. */
  release(driverId: string, match: ReleaseMatch, context?: RequestContext): Promise<boolean>;
  /** The unexpired reservation holding the driver, if any. */
  reservation(driverId: string, context?: RequestContext): Promise<Reservation | null>;
  /**
   * Closes the driver to new reservations before their availability changes in drivers-db (going
   * offline, starting a trip), atomically with the check that no reservation but `allowTripId`'s
   * holds them, so none slips in between the check and the change. `setDriver` with a state that
   * is not `available` lifts the fence; otherwise it lapses after `forMs`. A reserve meanwhile is
   * `unavailable`.
   */
  fence(driverId: string, options: { forMs: number; allowTripId?: string }, context?: RequestContext): Promise<FenceOutcome>;
  /** Drops index entries whose position went stale; returns how many. Safe to call from every replica. */
  sweep(): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface GeoIndexSettings {
  /** A position older than this is not searchable. */
  freshnessMs: number;
  /** Grid resolution: cells per degree (100 → 0.01° cells). */
  cellsPerDegree: number;
  /** First ring of a nearest search. */
  firstRingM: number;
  /** Largest radius a search may ask for. */
  maxRadiusM: number;
}

export const DEFAULT_GEO_SETTINGS: GeoIndexSettings = { freshnessMs: 30_000, cellsPerDegree: 100, firstRingM: 300, maxRadiusM: NEARBY_RADIUS_MAX_M };

export function assertNearestQuery(query: NearestQuery, settings: GeoIndexSettings): void {
  if (!(query.radiusM > 0 && query.radiusM <= settings.maxRadiusM)) throw new RangeError(`radiusM must be in (0, ${settings.maxRadiusM}]`);
  const cells = searchCellCount(query, query.radiusM, settings.cellsPerDegree);
  if (cells > MAX_SEARCH_CELLS) throw new RangeError(`radiusM ${query.radiusM} spans ${cells} grid cells at latitude ${query.lat} (at most ${MAX_SEARCH_CELLS})`);
  if (!(Number.isInteger(query.limit) && query.limit >= 1 && query.limit <= 100)) throw new RangeError('limit must be 1..100');
}
