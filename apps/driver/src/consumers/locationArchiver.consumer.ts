import { TOPICS } from '@uitgo/contracts';
import type { Logger } from '@uitgo/kit';
import type { ArchivedLocation, LocationArchive } from '@uitgo/kit/archive';
import type { DeliveredEvent, SubscribeOptions } from '@uitgo/kit/events';
import type { DriverMetrics } from '../metrics.js';

export const ARCHIVER_GROUP = 'driver-location-archiver';

interface RecordedPayload {
  driverId: string;
  points: { lat: number; lng: number; recordedAt: string; headingDeg?: number; speedKmh?: number; accuracyM?: number }[];
}

function pointsOf(event: DeliveredEvent): ArchivedLocation[] {
  if (event.type !== 'driver.v1.location_recorded') return [];
  const payload = event.payload as RecordedPayload;
  if (typeof payload?.driverId !== 'string' || !Array.isArray(payload.points)) return [];
  return payload.points.map((p) => ({ ...p, driverId: payload.driverId, recordedAt: new Date(p.recordedAt) }));
}

/**
 * Writes `driver.v1.location_recorded` batches to the archive (BatchWriteItem with retries, in the
 * kit). Writing a point twice overwrites it with itself, so redelivery needs no bookkeeping.
 */
export function locationArchiverConsumer(deps: {
  archive: LocationArchive;
  metrics: DriverMetrics;
  logger: Logger;
  groupId?: string;
  clock?: () => number;
}): SubscribeOptions {
  const clock = deps.clock ?? Date.now;
  return {
    groupId: deps.groupId ?? ARCHIVER_GROUP,
    topics: [TOPICS.driverLocation],
    maxBatchSize: 500,
    async handle(events) {
      const points = events.flatMap(pointsOf).filter((p) => !Number.isNaN(p.recordedAt.getTime()));
      if (points.length === 0) return;
      await deps.archive.putBatch(points);
      const now = clock();
      for (const p of points) deps.metrics.archiveLag.observe((now - p.recordedAt.getTime()) / 1000);
      deps.metrics.archived.inc(points.length);
    },
  };
}
