import type { UitgoEvent } from '@uitgo/contracts';
import type { RequestContext } from '@uitgo/kit';
import type { DriverRecord } from '../domain/driverProfile.js';

/** What a change to one driver decides: the row to store (or none: nothing changes) and its events. */
export type DriverChange = { next: Omit<DriverRecord, 'version' | 'createdAt' | 'updatedAt'>; events: UitgoEvent[] } | { next: null };

/**
 * drivers-db. `change` runs the decision on the locked row and stores it with its events in one transaction.
 * `context`, the request's, makes the queries spans of its trace (tracing on).
 */
export interface DriverRepository {
  find(driverId: string, context?: RequestContext): Promise<DriverRecord | null>;
  findMany(driverIds: readonly string[], context?: RequestContext): Promise<DriverRecord[]>;
  /** Locks the row (or its absence), asks `decide`, stores the result and enqueues its events; returns the row as stored. */
  change(driverId: string, decide: (current: DriverRecord | null) => DriverChange, context?: RequestContext): Promise<DriverRecord | null>;
  /** Drivers that are not offline (the online-drivers gauge). */
  countOnline(): Promise<number>;
}
