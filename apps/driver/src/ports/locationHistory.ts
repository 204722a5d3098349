import type { LocationFix } from '../domain/locationPoint.js';

export interface HistoryPoint extends LocationFix {
  driverId: string;
  tripId: string | null;
}

/** Where accepted points go for the location history. `record` never waits and never throws. */
export interface LocationHistory {
  record(points: readonly HistoryPoint[]): void;
  /** Sends what is buffered and stops. */
  close(): Promise<void>;
}
