import type { Trip } from '@uitgo/contracts';

export type TripListOwner = { kind: 'passenger'; id: string } | { kind: 'driver'; id: string } | { kind: 'all' };

export interface ReadModelPage {
  items: Trip[];
  /** Keyset position of the last item, for the next page; null when the list ended. */
  next: { createdAt: string; id: string } | null;
  /** Some listed trips were not stored (evicted or lost): the page cannot be trusted. */
  incomplete: boolean;
}

/**
 * The query side of trips (CQRS): each trip as the API shows it, and lists per passenger,
 * per driver and of all trips, newest first. Writes are idempotent and ordered by
 * `updatedAt`: an older state never overwrites a newer one. Every change of a trip is dated at
 * least 1 ms after the state it replaces (`changeTime`), so no newer state shares its time.
 */
export interface TripReadModel {
  /** Stores the trip unless a state at least as new is stored; returns whether it did. */
  put(trip: Trip): Promise<boolean>;
  get(id: string): Promise<Trip | null>;
  /** Newest first, strictly older than `after`. */
  list(owner: TripListOwner, limit: number, after?: { createdAt: string; id: string }): Promise<ReadModelPage>;
  /**
   * Whether the lists hold every trip (set by a full build). Until then, or after the store
   * lost its data, lists are read from trips-db; single trips are repaired one by one.
   */
  isComplete(): Promise<boolean>;
  markComplete(): Promise<void>;
  /** Forgets everything, the completeness mark too (rebuild). */
  clear(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
