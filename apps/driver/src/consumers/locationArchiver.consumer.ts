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
    async handle(events, { signal }) {
      const batches = events.map((event) => ({ acceptedAt: Date.parse(event.occurredAt), points: pointsOf(event).filter((p) => !Number.isNaN(p.recordedAt.getTime())) }));
      const points = batches.flatMap((b) => b.points);
      if (points.length === 0) return;
      // At shutdown the batch may end unfinished: it is not committed, so it is archived after the restart.
      await deps.archive.putBatch(points, { signal });
      // How far the archive is behind ingest: from when the driver service accepted the points
      // (the event's time), not from recordedAt (a phone may upload a fix up to 2 minutes old).
      const now = clock();
      for (const { acceptedAt, points: accepted } of batches) {
        if (Number.isNaN(acceptedAt)) continue;
        for (let i = 0; i < accepted.length; i++) deps.metrics.archiveLag.observe((now - acceptedAt) / 1000);
      }
      deps.metrics.archived.inc(points.length);
    },
  };
}
