import type { Trip, TripStatus } from '@uitgo/contracts';

export type TripListOwner = { kind: 'passenger'; id: string } | { kind: 'driver'; id: string } | { kind: 'all' };

/** One list: an owner's trips (or all trips), or only those of them now in `status`. */
export type TripList = TripListOwner & { status?: TripStatus | undefined };

export interface ReadModelPage {
  items: Trip[];
  /** Keyset position of the last item, for the next page; null when the list ended. */
  next: { createdAt: string; id: string } | null;
  /** Some listed trips were not stored (evicted or lost): the page cannot be trusted. */
  incomplete: boolean;
}

/** The right to fill the read model, held by one replica at a time until it lapses. */
export interface FillLease {
  /** Extends the lease by its length; false when it was lost (lapsed, or the store lost its data). */
  renew(): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * The query side of trips (CQRS): each trip as the API shows it, and lists per passenger,
 * per driver and of all trips, each also per status, newest first. Writes are idempotent and
 * ordered by `updatedAt`: an older state never overwrites a newer one, nor puts a trip back in
 * the list of a status it left. Every change of a trip is dated at least 1 ms after the state
 * it replaces (`changeTime`), so no newer state shares its time.
 */
export interface TripReadModel {
  /** Stores the trip unless a state at least as new is stored; returns whether it did. */
  put(trip: Trip): Promise<boolean>;
  get(id: string): Promise<Trip | null>;
  /** Newest first, strictly older than `after`. */
  list(list: TripList, limit: number, after?: { createdAt: string; id: string }): Promise<ReadModelPage>;
  /**
   * Whether the lists hold every trip (set by a full build). Until then, or after the store
   * lost its data, lists are read from trips-db; single trips are repaired one by one.
   */
  isComplete(): Promise<boolean>;
  markComplete(): Promise<void>;
  /** Takes the fill lease for `ttlMs` unless someone holds it (null then). */
  leaseFill(ttlMs: number): Promise<FillLease | null>;
  /** Forgets everything, the completeness mark and the fill lease too (rebuild). */
  clear(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
