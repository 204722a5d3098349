import { distanceM } from '../domain/geoCells.js';
import type { LocationFix } from '../domain/locationPoint.js';
import {
  assertNearestQuery,
  DEFAULT_GEO_SETTINGS,
  type DriverLiveState,
  type FenceOutcome,
  type GeoIndex,
  type GeoIndexSettings,
  type NearbyDriver,
  type NearestQuery,
  type PositionUpdate,
  type ReleaseMatch,
  type Reservation,
  type ReserveOutcome,
  type ReserveRequest,
  type UpsertOutcome,
} from '../ports/geoIndex.js';

interface Entry {
  state: DriverLiveState;
  position: LocationFix | null;
  reservation: Reservation | null;
}

/** The live index in process (embedded mode, tests): a scan of every driver per search. */
export class MemoryGeoIndex implements GeoIndex {
  private readonly drivers = new Map<string, Entry>();
  /** Until when (clock ms) each fenced driver is closed to reservations. */
  private readonly fences = new Map<string, number>();
  private readonly settings: GeoIndexSettings;
  private readonly clock: () => number;

  constructor(options: { settings?: Partial<GeoIndexSettings>; clock?: () => number } = {}) {
    this.settings = { ...DEFAULT_GEO_SETTINGS, ...options.settings };
    this.clock = options.clock ?? Date.now;
  }

  async setDriver(driverId: string, state: DriverLiveState): Promise<void> {
    const entry = this.drivers.get(driverId);
    if (entry && state.version < entry.state.version) return;
    if (!entry) this.drivers.set(driverId, { state, position: null, reservation: null });
    else entry.state = state;
    if (state.availability !== 'available') this.fences.delete(driverId);
  }

  async upsert(updates: readonly PositionUpdate[]): Promise<UpsertOutcome[]> {
    return updates.map((update): UpsertOutcome => {
      const entry = this.drivers.get(update.driverId);
      if (!entry) return { kind: 'unknown' };
      const previous = entry.position?.recordedAt ?? null;
      const tripId = entry.state.tripId;
      if (previous && update.recordedAt.getTime() <= previous.getTime()) return { kind: 'ignored', previous, tripId };
      const { driverId: _driverId, ...fix } = update;
      entry.position = fix;
      return { kind: 'applied', previous, tripId };
    });
  }

  async remove(driverId: string): Promise<void> {
    this.drivers.delete(driverId);
    this.fences.delete(driverId);
  }

  async position(driverId: string): Promise<LocationFix | null> {
    return this.drivers.get(driverId)?.position ?? null;
  }

  async nearest(query: NearestQuery): Promise<NearbyDriver[]> {
    assertNearestQuery(query, this.settings);
    const now = this.clock();
    const found: NearbyDriver[] = [];
    for (const [driverId, { state, position }] of this.drivers) {
      if (!position || state.availability !== 'available' || this.activeReservation(driverId)) continue;
      if (query.vehicleType && state.vehicleType !== query.vehicleType) continue;
      if (now - position.recordedAt.getTime() > this.settings.freshnessMs) continue;
      const distance = distanceM(query, position);
      if (distance > query.radiusM) continue;
      found.push({ driverId, vehicleType: state.vehicleType, lat: position.lat, lng: position.lng, distanceM: distance, updatedAt: position.recordedAt });
    }
    return found.sort((a, b) => a.distanceM - b.distanceM).slice(0, query.limit);
  }

  async reserve(request: ReserveRequest): Promise<ReserveOutcome> {
    const entry = this.drivers.get(request.driverId);
    if ((this.fences.get(request.driverId) ?? 0) > this.clock()) return { kind: 'unavailable', availability: entry?.state.availability ?? 'offline' };
    if (!entry) return { kind: 'unknown' };
    const current = this.activeReservation(request.driverId);
    if (current) return current.tripId === request.tripId ? { kind: 'existing', reservation: current } : { kind: 'held', holder: current };
    if (entry.state.availability !== 'available') return { kind: 'unavailable', availability: entry.state.availability };
    const now = this.clock();
    const reservation: Reservation = {
      driverId: request.driverId,
      tripId: request.tripId,
      reservationId: request.reservationId,
      offer: request.offer,
      createdAt: new Date(now),
      expiresAt: new Date(now + request.ttlMs),
    };
    entry.reservation = reservation;
    return { kind: 'reserved', reservation };
  }

  async release(driverId: string, match: ReleaseMatch): Promise<boolean> {
    const current = this.activeReservation(driverId);
    if (!current) return false;
    const matches = 'reservationId' in match ? current.reservationId === match.reservationId : current.tripId === match.tripId;
    if (matches) this.drivers.get(driverId)!.reservation = null;
    return matches;
  }

  async reservation(driverId: string): Promise<Reservation | null> {
    return this.activeReservation(driverId);
  }

  async fence(driverId: string, options: { forMs: number; allowTripId?: string }): Promise<FenceOutcome> {
    const holder = this.activeReservation(driverId);
    if (holder && holder.tripId !== options.allowTripId) return { kind: 'held', holder };
    this.fences.set(driverId, this.clock() + options.forMs);
    return { kind: 'fenced' };
  }

  async sweep(): Promise<number> {
    const now = this.clock();
    let swept = 0;
    for (const [driverId, until] of this.fences) if (until <= now) this.fences.delete(driverId);
    for (const entry of this.drivers.values()) {
      if (entry.reservation && entry.reservation.expiresAt.getTime() <= now) {
        entry.reservation = null;
        swept++;
      }
    }
    return swept;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.drivers.clear();
    this.fences.clear();
  }

  private activeReservation(driverId: string): Reservation | null {
    const reservation = this.drivers.get(driverId)?.reservation ?? null;
    return reservation && reservation.expiresAt.getTime() > this.clock() ? reservation : null;
  }
}
