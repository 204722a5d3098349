import { encodeGeohash, isGeohash } from './geohash.js';
import { assertDriverId, MAX_TRACK_DAYS, type ArchivedLocation, type DriverSeen } from './locationArchive.js';

const DAY_MS = 24 * 3600_000;

/** The stored form of a point; both adapters use it so they partition and expire alike (see README.md). */
export interface ArchiveItem {
  pk: string;
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
  /** Epoch seconds (the DynamoDB TTL attribute). */
  expiresAt: number;
}

const day = (date: Date) => date.toISOString().slice(0, 10).replaceAll('-', '');
const hour = (date: Date) => date.toISOString().slice(0, 13);

export const trackPartition = (driverId: string, date: Date) => `D#${driverId}#${day(date)}`;

export function cellPartition(geohash6: string, bucketStart: Date): string {
  if (!isGeohash(geohash6, 6)) throw new RangeError(`expected a 6-character geohash, got ${JSON.stringify(geohash6)}`);
  return `C#${geohash6}#${hour(bucketStart)}`;
}

export function toItem(point: ArchivedLocation, retentionMs: number): ArchiveItem {
  const recordedAt = point.recordedAt.toISOString();
  const geohash = encodeGeohash(point.lat, point.lng, 9);
  return {
    pk: trackPartition(point.driverId, point.recordedAt),
    sk: recordedAt,
    gsi1pk: cellPartition(geohash.slice(0, 6), point.recordedAt),
    gsi1sk: `${point.driverId}#${recordedAt}`,
    driverId: point.driverId,
    lat: point.lat,
    lng: point.lng,
    recordedAt,
    geohash,
    ...(point.headingDeg !== undefined && { headingDeg: point.headingDeg }),
    ...(point.speedKmh !== undefined && { speedKmh: point.speedKmh }),
    ...(point.accuracyM !== undefined && { accuracyM: point.accuracyM }),
    expiresAt: Math.floor((point.recordedAt.getTime() + retentionMs) / 1000),
  };
}

export function fromItem(item: ArchiveItem): ArchivedLocation {
  return {
    driverId: item.driverId,
    lat: item.lat,
    lng: item.lng,
    recordedAt: new Date(item.recordedAt),
    ...(item.headingDeg !== undefined && { headingDeg: item.headingDeg }),
    ...(item.speedKmh !== undefined && { speedKmh: item.speedKmh }),
    ...(item.accuracyM !== undefined && { accuracyM: item.accuracyM }),
  };
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

/** Keeps the last write of each (pk, sk): a batch may repeat a point, DynamoDB refuses that within one request. */
export function dedupe(items: ArchiveItem[]): ArchiveItem[] {
  return [...new Map(items.map((item) => [`${item.pk}|${item.sk}`, item])).values()];
}

/** Most recently seen first, then by driver id. */
export function bySeen(latest: Map<string, string>): DriverSeen[] {
  return [...latest]
    .sort(([a, at], [b, bt]) => (at === bt ? (a < b ? -1 : 1) : at > bt ? -1 : 1))
    .map(([driverId, at]) => ({ driverId, lastSeenAt: new Date(at) }));
}
