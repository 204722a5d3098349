import type { Trip, TripStatus } from '@uitgo/contracts';

/** While the trip is in these states its passenger follows the driver's position. */
const FOLLOWED: ReadonlySet<TripStatus> = new Set(['DRIVER_ASSIGNED', 'ARRIVED', 'IN_TRIP']);
const isFinal = (status: TripStatus) => status === 'COMPLETED' || status === 'CANCELED';

/** The trip a driver is on, for forwarding the driver's positions to its passenger. */
export interface DriverAssignment {
  readonly tripId: string;
  readonly passengerId: string;
  /** `recordedAt` (ms) of the newest position forwarded, so an older one is not sent after it. */
  lastForwardedMs: number;
}

export interface Observed {
  /** False for a state already seen or older than one seen (redelivered or fetched late). */
  news: boolean;
  /** The state it replaces, if this replica knew the trip. */
  previous: Trip | undefined;
}

/** A map that forgets its oldest entries beyond `max`. */
class RecentMap<V> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly max: number) {}

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }
}

/**
 * What one gateway replica knows of the trips that are not over, learned from the trip events
 * and from the state fetched when a client connects: the newest state of each, and which
 * passenger a driver's positions go to. Ended trips and offers are remembered a while, so a
 * state fetched before the end arrived (a read model lagging behind) is not pushed after it.
 * Every operation is a few map lookups.
 */
export class ActiveTrips {
  private readonly trips = new Map<string, Trip>();
  private readonly assignments = new Map<string, DriverAssignment>();
  /** Trip id -> `updatedAt` (ms) of its final state. */
  private readonly ended: RecentMap<number>;
  /** `tripId/driverId` of offers that expired, were declined or withdrawn. */
  private readonly endedOffers: RecentMap<true>;

  constructor(rememberEnded = 10_000) {
    this.ended = new RecentMap(rememberEnded);
    this.endedOffers = new RecentMap(rememberEnded);
  }

  get size(): number {
    return this.trips.size;
  }

  /** Records a state of a trip if it is newer than what is known. */
  observe(trip: Trip): Observed {
    const at = Date.parse(trip.updatedAt);
    const endedAt = this.ended.get(trip.id);
    const previous = this.trips.get(trip.id);
    if (endedAt !== undefined && at <= endedAt) return { news: false, previous };
    if (previous && !isNewer(trip, at, previous)) return { news: false, previous };
    if (previous?.driverId && previous.driverId !== trip.driverId) this.unassign(previous.driverId, trip.id);
    if (isFinal(trip.status)) {
      this.trips.delete(trip.id);
      this.ended.set(trip.id, at);
      if (trip.driverId) this.unassign(trip.driverId, trip.id);
      return { news: true, previous };
    }
    this.trips.set(trip.id, trip);
    if (trip.driverId && FOLLOWED.has(trip.status)) {
      if (this.assignments.get(trip.driverId)?.tripId !== trip.id) {
        this.assignments.set(trip.driverId, { tripId: trip.id, passengerId: trip.passengerId, lastForwardedMs: 0 });
      }
    } else if (trip.driverId) this.unassign(trip.driverId, trip.id);
    return { news: true, previous };
  }

  /** Records a fetched state; answers the newest state known while the trip is not over. */
  current(trip: Trip): Trip | undefined {
    this.observe(trip);
    return this.trips.get(trip.id);
  }

  assignmentOf(driverId: string): DriverAssignment | undefined {
    return this.assignments.get(driverId);
  }

  endOffer(tripId: string, driverId: string): void {
    this.endedOffers.set(`${tripId}/${driverId}`, true);
  }

  /** False if the offer is known to have ended, or its trip to have moved on. */
  mayBeLive(tripId: string, driverId: string): boolean {
    if (this.endedOffers.get(`${tripId}/${driverId}`) || this.ended.get(tripId) !== undefined) return false;
    const trip = this.trips.get(tripId);
    return !trip || trip.status === 'REQUESTED';
  }

  private unassign(driverId: string, tripId: string): void {
    if (this.assignments.get(driverId)?.tripId === tripId) this.assignments.delete(driverId);
  }
}

const RANK: Readonly<Record<TripStatus, number>> = { REQUESTED: 0, DRIVER_ASSIGNED: 1, ARRIVED: 2, IN_TRIP: 3, COMPLETED: 4, CANCELED: 4 };

/** Each transition moves `updatedAt`; two in the same millisecond are told apart by the lifecycle's order. */
function isNewer(trip: Trip, at: number, known: Trip): boolean {
  const knownAt = Date.parse(known.updatedAt);
  return at > knownAt || (at === knownAt && RANK[trip.status] > RANK[known.status]);
}
