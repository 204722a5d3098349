export interface ArchivedLocation {
  driverId: string;
  lat: number;
  lng: number;
  recordedAt: Date;
  headingDeg?: number;
  speedKmh?: number;
  accuracyM?: number;
}

export interface DriverSeen {
  driverId: string;
  lastSeenAt: Date;
}

/**
 * Driver location history. A point is identified by (driverId, recordedAt): writing the same
 * pair again replaces it (the later write, by the writer's clock: a driver's points are written
 * by one archiver at a time, in order, so writers' clocks matter only across a rebalance).
 * Points expire after the archive's retention. A replaced point's cell sighting stays.
 */
export interface LocationArchive {
  /** Writes the points (again, harmlessly, if written before); `signal` ends a long batch early (it throws, and part may be written). */
  putBatch(points: readonly ArchivedLocation[], options?: { signal?: AbortSignal }): Promise<void>;
  /** Points with `from <= recordedAt <= to` in ascending time, at most `limit`. Spans at most 31 days. */
  track(driverId: string, from: Date, to: Date, options?: { limit?: number }): Promise<ArchivedLocation[]>;
  /**
   * Drivers that reported from a geohash-6 cell during the UTC hour containing `bucketStart`,
   * most recently seen first. `lastSeenAt` is the driver's latest point there to within the
   * writer's sighting refresh (5 minutes by default): a driver staying in a cell is sighted at
   * its first point there and then at most once per refresh.
   */
  driversInCell(geohash6: string, bucketStart: Date): Promise<DriverSeen[]>;
  /** Creates the storage (table, index, TTL) if missing; a no-op where there is nothing to create. */
  ensureTable(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_RETENTION_MS = 30 * 24 * 3600_000;
export const MAX_TRACK_DAYS = 31;

export function assertPoint(point: ArchivedLocation): void {
  assertDriverId(point.driverId);
  if (!(point.lat >= -90 && point.lat <= 90 && point.lng >= -180 && point.lng <= 180)) {
    throw new RangeError(`invalid coordinate (${point.lat}, ${point.lng}) for driver ${point.driverId}`);
  }
  if (Number.isNaN(point.recordedAt.getTime())) throw new RangeError(`invalid recordedAt for driver ${point.driverId}`);
  for (const field of ['headingDeg', 'speedKmh', 'accuracyM'] as const) {
    const value = point[field];
    if (value !== undefined && !Number.isFinite(value)) throw new RangeError(`invalid ${field} ${value} for driver ${point.driverId}`);
  }
}

/** `#` separates the parts of the storage keys, so it cannot appear in an id; ids are UUIDs, 200 characters keeps keys far below DynamoDB's limits. */
export function assertDriverId(driverId: string): void {
  if (driverId.length === 0 || driverId.length > 200 || driverId.includes('#')) throw new RangeError(`invalid driverId ${JSON.stringify(driverId.slice(0, 200))}`);
}
