import { createHash } from 'node:crypto';
import { encodeGeohash, isGeohash } from './geohash.js';
import { assertDriverId, MAX_TRACK_DAYS, type ArchivedLocation } from './locationArchive.js';

const DAY_MS = 24 * 3600_000;

/**
 * A segment never spans more than this, so a track read knows how long before `from` a segment
 * holding points after `from` may start.
 */
export const SEGMENT_MAX_SPAN_MS = 10 * 60_000;
/** Points per segment: about 20 KB typically, 55 KB at most, far below DynamoDB's 400 KB item limit. */
export const SEGMENT_MAX_POINTS = 500;

/**
 * One driver's points from one write, ascending, within one UTC day and SEGMENT_MAX_SPAN_MS:
 * the stored form of a track (see README.md). Both adapters use it so they partition and expire alike.
 */
export interface SegmentItem {
  /** `D#<driverId>#<yyyymmdd>` */
  pk: string;
  /** `<first recordedAt, ISO-8601>#<digest of the points>` */
  sk: string;
  driverId: string;
  /** The points, encoded by `encodePoints`. */
  pts: string;
  /** Epoch ms of the write, increasing within a writer: of two points with one recordedAt, the later write is kept. */
  writtenAt: number;
  /** Epoch seconds (the DynamoDB TTL attribute): the last point's recordedAt + retention. */
  expiresAt: number;
}

/** A driver seen in a geohash-6 cell during a UTC hour, last at `recordedAt` as far as one write knew. */
export interface SightingItem {
  /** `C#<geohash6>#<yyyy-mm-ddThh>` */
  pk: string;
  /** `<driverId>#<recordedAt>` */
  sk: string;
  driverId: string;
  recordedAt: string;
  expiresAt: number;
}

/**
 * A point stored one item each, as releases before segments did (and `writeFormat: 'points'`
 * still does for a rolling upgrade); `gsi1` indexes it by cell and hour.
 */
export interface PointItem {
  pk: string;
  /** `recordedAt` */
  sk: string;
  gsi1pk: string;
  gsi1sk: string;
  driverId: string;
  lat: number;
  lng: number;
  recordedAt: string;
  geohash: string;
  headingDeg?: number;
  speedKmh?: number;
  accuracyM?: number;
  expiresAt: number;
}

export type TrackItem = SegmentItem | PointItem;

const day = (date: Date) => date.toISOString().slice(0, 10).replaceAll('-', '');
const hour = (date: Date) => date.toISOString().slice(0, 13);
const expiry = (lastMs: number, retentionMs: number) => Math.floor((lastMs + retentionMs) / 1000);

/** Sightings' partitions start with this; segments' and points' with `D#`. */
const CELL_PK_PREFIX = 'C#';

export const trackPartition = (driverId: string, date: Date) => `D#${driverId}#${day(date)}`;

export function cellPartition(geohash6: string, bucketStart: Date): string {
  if (!isGeohash(geohash6, 6)) throw new RangeError(`expected a 6-character geohash, got ${JSON.stringify(geohash6)}`);
  return `${CELL_PK_PREFIX}${geohash6}#${hour(bucketStart)}`;
}

/** The day partitions a track query reads, oldest first. */
export function trackPartitions(driverId: string, from: Date, to: Date): string[] {
  assertDriverId(driverId);
  if (to < from) return [];
  const first = Date.parse(from.toISOString().slice(0, 10));
  const days = Math.floor((to.getTime() - first) / DAY_MS) + 1;
  if (days > MAX_TRACK_DAYS) throw new RangeError(`track spans ${days} days; at most ${MAX_TRACK_DAYS} are allowed`);
  return Array.from({ length: days }, (_, i) => trackPartition(driverId, new Date(first + i * DAY_MS)));
}

/** The sort-key range of a day partition's items that may hold points in [from, to]. */
export function trackKeyRange(from: Date, to: Date): { lo: string; hi: string } {
  // '~' sorts after '#', so every segment starting at `to` is inside.
  return { lo: new Date(from.getTime() - SEGMENT_MAX_SPAN_MS).toISOString(), hi: `${to.toISOString()}~` };
}

/** How long a written sighting of a driver in a cell and hour stands for the driver's later points there. */
export const DEFAULT_SIGHTING_REFRESH_MS = 5 * 60_000;

const sightingKey = (item: Pick<SightingItem, 'pk' | 'driverId'>) => `${item.pk}|${item.driverId}`;
const isSighting = (item: SegmentItem | SightingItem | PointItem): item is SightingItem => item.pk.startsWith(CELL_PK_PREFIX);

/**
 * The sightings a writer wrote lately. A city's drivers report every few seconds, each report
 * a write of its own, and a driver stays in a geohash-6 cell for minutes: sighted at every write,
 * a sighting item per point doubles the items written. With this, a driver is sighted in a cell
 * and hour at its first point there and then at most once per `refreshMs`, so the sighting's
 * time is the driver's latest there to within `refreshMs`. It keeps each driver's last written
 * sighting (cell and hour, time), so it holds one entry per driver, at most `capacity` (least
 * recently written forgotten first). A writer learns only what it wrote itself (a driver's
 * points go to one archiver at a time); forgetting (the bound, a restart, a rebalance) costs one
 * sighting written again. 0 sights at every write.
 */
export class RecentSightings {
  /** driverId -> its last written sighting's partition (cell and hour) and time. */
  private readonly written = new Map<string, { pk: string; at: number }>();

  constructor(
    private readonly refreshMs = DEFAULT_SIGHTING_REFRESH_MS,
    private readonly capacity = 200_000,
  ) {}

  /** Whether the sighting says more than the last one written for its driver, cell and hour. */
  wanted(item: SightingItem): boolean {
    if (this.refreshMs === 0) return true;
    const last = this.written.get(item.driverId);
    return last === undefined || last.pk !== item.pk || Date.parse(item.recordedAt) - last.at >= this.refreshMs;
  }

  /** Notes the sightings among `items` once they are written. */
  remember(items: readonly (SegmentItem | SightingItem | PointItem)[]): void {
    if (this.refreshMs === 0) return;
    for (const item of items) {
      if (!isSighting(item)) continue;
      const at = Date.parse(item.recordedAt);
      const last = this.written.get(item.driverId);
      // The latest sighting stands (a late upload's older one does not replace it).
      if (last !== undefined && last.at >= at) continue;
      // Re-inserted to be the most recent; the oldest entry goes first past the capacity.
      this.written.delete(item.driverId);
      this.written.set(item.driverId, { pk: item.pk, at });
      if (this.written.size > this.capacity) this.written.delete(this.written.keys().next().value as string);
    }
  }
}

/**
 * Turns one write's points into items: per driver and UTC day, its points in time order (a
 * repeated recordedAt keeps the later one) cut into segments, and one sighting per driver, cell
 * and hour (its latest point there), unless `recent` says one written lately stands for it. A
 * city's drivers each report every few seconds, so a consumer batch mostly holds one point per
 * driver; a phone's batch upload becomes one item instead of one per point.
 */
export function toItems(points: readonly ArchivedLocation[], retentionMs: number, writtenAt: number, recent?: RecentSightings): (SegmentItem | SightingItem)[] {
  const byPartition = new Map<string, Map<number, ArchivedLocation>>();
  for (const point of points) {
    const pk = trackPartition(point.driverId, point.recordedAt);
    let byTime = byPartition.get(pk);
    if (!byTime) byPartition.set(pk, (byTime = new Map()));
    byTime.set(point.recordedAt.getTime(), point);
  }
  const segments: SegmentItem[] = [];
  const sightings = new Map<string, SightingItem>();
  for (const [pk, byTime] of byPartition) {
    const ordered = [...byTime.keys()].sort((a, b) => a - b).map((t) => byTime.get(t) as ArchivedLocation);
    for (const run of runs(ordered)) {
      segments.push(segment(pk, run, retentionMs, writtenAt));
      for (const point of run) sight(sightings, point, retentionMs);
    }
  }
  const sighted = [...sightings.values()];
  return [...segments, ...(recent ? sighted.filter((item) => recent.wanted(item)) : sighted)];
}

function runs(ordered: ArchivedLocation[]): ArchivedLocation[][] {
  const result: ArchivedLocation[][] = [];
  let current: ArchivedLocation[] = [];
  for (const point of ordered) {
    const first = current[0];
    if (first && (current.length >= SEGMENT_MAX_POINTS || point.recordedAt.getTime() - first.recordedAt.getTime() > SEGMENT_MAX_SPAN_MS)) {
      result.push(current);
      current = [];
    }
    current.push(point);
  }
  if (current.length > 0) result.push(current);
  return result;
}

function segment(pk: string, run: ArchivedLocation[], retentionMs: number, writtenAt: number): SegmentItem {
  const first = run[0] as ArchivedLocation;
  const last = run[run.length - 1] as ArchivedLocation;
  const pts = encodePoints(run, first.recordedAt.getTime());
  const digest = createHash('sha256').update(pts).digest('base64url').slice(0, 16);
  return {
    pk,
    sk: `${first.recordedAt.toISOString()}#${digest}`,
    driverId: first.driverId,
    pts,
    writtenAt,
    expiresAt: expiry(last.recordedAt.getTime(), retentionMs),
  };
}

function sight(sightings: Map<string, SightingItem>, point: ArchivedLocation, retentionMs: number): void {
  const pk = cellPartition(encodeGeohash(point.lat, point.lng, 6), point.recordedAt);
  const key = sightingKey({ pk, driverId: point.driverId });
  const recordedAt = point.recordedAt.toISOString();
  const seen = sightings.get(key);
  if (seen && seen.recordedAt >= recordedAt) return;
  sightings.set(key, {
    pk,
    sk: `${point.driverId}#${recordedAt}`,
    driverId: point.driverId,
    recordedAt,
    expiresAt: expiry(point.recordedAt.getTime(), retentionMs),
  });
}

/** One item per point (the form before segments), the last of each (driverId, recordedAt) kept. */
export function toPointItems(points: readonly ArchivedLocation[], retentionMs: number): PointItem[] {
  const items = new Map<string, PointItem>();
  for (const point of points) {
    const recordedAt = point.recordedAt.toISOString();
    const geohash = encodeGeohash(point.lat, point.lng, 9);
    const pk = trackPartition(point.driverId, point.recordedAt);
    items.set(`${pk}|${recordedAt}`, {
      pk,
      sk: recordedAt,
      gsi1pk: cellPartition(geohash.slice(0, 6), point.recordedAt),
      gsi1sk: `${point.driverId}#${recordedAt}`,
      driverId: point.driverId,
      lat: point.lat,
      lng: point.lng,
      recordedAt,
      geohash,
      ...optionalFields(point),
      expiresAt: expiry(point.recordedAt.getTime(), retentionMs),
    });
  }
  return [...items.values()];
}

/**
 * `<ms after the first point>,<lat>,<lng>,<headingDeg>,<speedKmh>,<accuracyM>` per point, `;`
 * between points, absent fields empty: a tenth of the size of a list of maps, and one string for
 * the SDK to marshal.
 */
export function encodePoints(run: readonly ArchivedLocation[], t0: number): string {
  return run
    .map((p) => `${p.recordedAt.getTime() - t0},${p.lat},${p.lng},${p.headingDeg ?? ''},${p.speedKmh ?? ''},${p.accuracyM ?? ''}`)
    .join(';');
}

export function decodePoints(driverId: string, pts: string, t0: number): ArchivedLocation[] {
  return pts.split(';').map((encoded) => {
    const [dt, lat, lng, headingDeg, speedKmh, accuracyM] = encoded.split(',');
    const number = (field: string | undefined) => (field ? Number(field) : undefined);
    return {
      driverId,
      lat: Number(lat),
      lng: Number(lng),
      recordedAt: new Date(t0 + Number(dt)),
      ...optionalFields({ headingDeg: number(headingDeg), speedKmh: number(speedKmh), accuracyM: number(accuracyM) }),
    };
  });
}

type OptionalFields = Pick<ArchivedLocation, 'headingDeg' | 'speedKmh' | 'accuracyM'>;

/** The optional fields that are present (a stored item never holds an undefined attribute). */
export function optionalFields(from: { [K in keyof OptionalFields]?: number | undefined }): OptionalFields {
  return {
    ...(from.headingDeg !== undefined && { headingDeg: from.headingDeg }),
    ...(from.speedKmh !== undefined && { speedKmh: from.speedKmh }),
    ...(from.accuracyM !== undefined && { accuracyM: from.accuracyM }),
  };
}

/** Epoch ms, increasing on every call within the process even when the clock stands still or steps back. */
export function writeStamps(clock: () => number = Date.now): () => number {
  let last = 0;
  return () => (last = Math.max(clock(), last + 1));
}
