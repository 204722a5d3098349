import { TOPICS } from '@uitgo/contracts';
import type { Logger } from '@uitgo/kit';
import type { ArchivedLocation, LocationArchive } from '@uitgo/kit/archive';
import { HOLD_WAIT_AT_STOP_MS, type DeliveredEvent, type SubscribeOptions } from '@uitgo/kit/events';
import type { DriverMetrics } from '../metrics.js';

export const ARCHIVER_GROUP = 'driver-location-archiver';

interface RecordedPayload {
  driverId: string;
  tripId?: string | null;
  points: { lat: number; lng: number; recordedAt: string; headingDeg?: number; speedKmh?: number; accuracyM?: number }[];
}

/** Points of one event (one driver's), and when the driver service accepted them (the event's time). */
export interface Accepted {
  acceptedAt: number;
  onTrip: boolean;
  points: ArchivedLocation[];
}

function acceptedOf(event: DeliveredEvent): Accepted | undefined {
  if (event.type !== 'driver.v1.location_recorded') return undefined;
  const payload = event.payload as RecordedPayload;
  if (typeof payload?.driverId !== 'string' || !Array.isArray(payload.points)) return undefined;
  const points = payload.points
    .map((p) => ({ ...p, driverId: payload.driverId, recordedAt: new Date(p.recordedAt) }))
    .filter((p) => !Number.isNaN(p.recordedAt.getTime()));
  return points.length === 0 ? undefined : { acceptedAt: Date.parse(event.occurredAt), onTrip: typeof payload.tripId === 'string', points };
}

export interface ArchiverSettings {
  /**
   * Points of drivers not on a trip wait up to this long to be written together, so a driver's
   * reports of that time become one archive item (0: every batch is written at once).
   */
  lingerMs: number;
  /** At most this many points wait: a batch that would make more waits until what waits is written. */
  maxBufferedPoints: number;
}

/** Waiting points are written this many at most per archive write (a driver's points stay in one). */
export const WRITE_SLICE_POINTS = 10_000;

const pointsIn = (accepted: readonly Accepted[]): number => accepted.reduce((n, a) => n + a.points.length, 0);

/** Groups the points by driver, in order, and cuts the groups into slices of about `maxPoints`. */
export function slicesByDriver(accepted: readonly Accepted[], maxPoints: number): Accepted[][] {
  const byDriver = new Map<string, Accepted[]>();
  for (const a of accepted) {
    const driverId = a.points[0]!.driverId;
    const list = byDriver.get(driverId);
    if (list) list.push(a);
    else byDriver.set(driverId, [a]);
  }
  const slices: Accepted[][] = [];
  let slice: Accepted[] = [];
  let points = 0;
  for (const list of byDriver.values()) {
    const size = pointsIn(list);
    if (points > 0 && points + size > maxPoints) {
      slices.push(slice);
      slice = [];
      points = 0;
    }
    slice.push(...list);
    points += size;
  }
  if (slice.length > 0) slices.push(slice);
  return slices;
}

/** How long the write at stop may take; the subscription waits a second more for its releases. */
const STOP_WRITE_MS = HOLD_WAIT_AT_STOP_MS - 1_000;

export const DEFAULT_ARCHIVER_SETTINGS: ArchiverSettings = { lingerMs: 30_000, maxBufferedPoints: 250_000 };

/**
 * Writes `driver.v1.location_recorded` to the archive (BatchWriteItem with retries, in the kit).
 *
 * The points of a driver on a trip are written before the batch is done: the trip's fare is read
 * from them at completion. Every other point waits in memory (at most `lingerMs`, or until a
 * batch would make more than `maxBufferedPoints` wait), and is written with the others in slices
 * of whole drivers; its batch is held uncommitted on the
 * bus meanwhile (`HandleControl.hold`), so a crash loses nothing: the next owner of the partition
 * gets the batch again. A city's drivers reporting every few seconds then cost the archive one
 * item per driver per linger instead of one per report. Writing a point twice leaves one copy
 * in reads (see the archive README), so redelivery needs no bookkeeping.
 */
export function locationArchiverConsumer(deps: {
  archive: LocationArchive;
  metrics: DriverMetrics;
  logger: Logger;
  groupId?: string;
  settings?: ArchiverSettings;
  clock?: () => number;
}): SubscribeOptions {
  const clock = deps.clock ?? Date.now;
  const settings = deps.settings ?? DEFAULT_ARCHIVER_SETTINGS;
  let waiting: { accepted: Accepted[]; points: number; releases: (() => void)[] } = { accepted: [], points: 0, releases: [] };
  let timer: NodeJS.Timeout | undefined;
  /** The writes of waiting points, one after another. */
  let flushing: Promise<void> = Promise.resolve();
  let stopping = false;
  let watchingStop = false;

  /** The subscription stops: what waits is written now, within the time it gives holds. */
  function writeAtStop(): void {
    stopping = true;
    flush(AbortSignal.timeout(STOP_WRITE_MS)).catch((err: unknown) =>
      deps.logger.warn({ err }, 'location archive write at stop failed; its points are delivered again after the restart'),
    );
  }

  async function write(accepted: Accepted[], signal: AbortSignal | undefined): Promise<void> {
    const points = accepted.flatMap((a) => a.points);
    // At shutdown the write may end unfinished: its batches are not committed, so they are archived after the restart.
    await deps.archive.putBatch(points, signal ? { signal } : {});
    // How far the archive is behind ingest: from when the driver service accepted the points
    // (the event's time), not from recordedAt (a phone may upload a fix up to 2 minutes old).
    const now = clock();
    for (const { acceptedAt, onTrip, points: written } of accepted) {
      if (Number.isNaN(acceptedAt)) continue;
      const lag = deps.metrics.archiveLag.labels(onTrip ? 'true' : 'false');
      for (let i = 0; i < written.length; i++) lag.observe((now - acceptedAt) / 1000);
    }
    deps.metrics.archived.inc(points.length);
  }

  /**
   * Writes what waits, after any write under way, in slices; on failure what is not written yet
   * waits again for the next try (the holds are released once all of it is written).
   */
  function flush(signal?: AbortSignal): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    const run = flushing.then(async () => {
      const batch = waiting;
      if (batch.points === 0) return;
      waiting = { accepted: [], points: 0, releases: [] };
      // In slices: encoding a write is synchronous, and 250,000 points at once held the event loop for seconds.
      const slices = slicesByDriver(batch.accepted, WRITE_SLICE_POINTS);
      for (let i = 0; i < slices.length; i++) {
        try {
          await write(slices[i]!, signal);
        } catch (err) {
          const left = slices.slice(i).flat();
          waiting = {
            accepted: [...left, ...waiting.accepted],
            points: pointsIn(left) + waiting.points,
            releases: [...batch.releases, ...waiting.releases],
          };
          schedule();
          throw err;
        }
      }
      for (const release of batch.releases) release();
    });
    flushing = run.catch(() => undefined);
    return run;
  }

  function schedule(): void {
    if (timer || stopping || waiting.points === 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      flush().catch((err: unknown) => deps.logger.warn({ err }, 'location archive write failed; the points wait for the next try'));
    }, settings.lingerMs);
    timer.unref();
  }

  return {
    groupId: deps.groupId ?? ARCHIVER_GROUP,
    topics: [TOPICS.driverLocation],
    maxBatchSize: 500,
    holdWaitAtStopMs: STOP_WRITE_MS + 1_000,
    async handle(events, { signal, hold }) {
      const accepted = events.map(acceptedOf).filter((a): a is Accepted => a !== undefined);
      const later = settings.lingerMs > 0 ? accepted.filter((a) => !a.onTrip) : [];
      const now = later.length > 0 ? accepted.filter((a) => a.onTrip) : accepted;
      // A failure here delivers the whole batch again, before any of it waits.
      if (now.length > 0) await write(now, signal);
      if (later.length === 0) return;
      const points = pointsIn(later);
      // Full: what waits is written first. If that fails, this batch is delivered again and has
      // not been added, so a long outage does not fill the buffer with copies of it.
      if (waiting.points > 0 && waiting.points + points > settings.maxBufferedPoints) await flush(signal);
      waiting.accepted.push(...later);
      waiting.points += points;
      waiting.releases.push(hold());
      if (!watchingStop) {
        watchingStop = true;
        signal.addEventListener('abort', writeAtStop, { once: true });
      }
      if (signal.aborted) writeAtStop();
      else schedule();
    },
  };
}
