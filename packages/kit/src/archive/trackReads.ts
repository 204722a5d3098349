import { decodePoints, optionalFields, type SegmentItem, type TrackItem } from './archiveItems.js';
import type { ArchivedLocation, DriverSeen } from './locationArchive.js';

const isSegment = (item: TrackItem): item is SegmentItem => 'pts' in item;

/** Epoch ms of an item's first point (its sort key starts with it). */
function firstAt(item: TrackItem): number {
  const hash = item.sk.indexOf('#');
  return Date.parse(hash < 0 ? item.sk : item.sk.slice(0, hash));
}

function pointsOf(item: TrackItem): ArchivedLocation[] {
  if (isSegment(item)) return decodePoints(item.driverId, item.pts, firstAt(item));
  return [{ driverId: item.driverId, lat: item.lat, lng: item.lng, recordedAt: new Date(item.recordedAt), ...optionalFields(item) }];
}

interface Kept {
  point: ArchivedLocation;
  writtenAt: number;
  sk: string;
}

/** Of two copies of a point, the one written later (an item stored one point each counts as written first). */
const supersedes = (candidate: Kept, held: Kept) =>
  candidate.writtenAt > held.writtenAt || (candidate.writtenAt === held.writtenAt && candidate.sk > held.sk);

/**
 * A driver's track from the items of its day partitions, read in partition and sort-key order:
 * the points in [from, to] recorded after `liveAfter` (the retention), ascending, each
 * recordedAt once (the later write kept), at most `limit`. Stops reading once no later item can
 * change the first `limit`: items come in order of their first point.
 */
export async function readTrack(
  items: AsyncIterable<TrackItem>,
  query: { from: Date; to: Date; limit: number; liveAfter: number },
): Promise<ArchivedLocation[]> {
  const from = query.from.getTime();
  const to = query.to.getTime();
  const kept = new Map<number, Kept>();
  let cutoff: number | undefined;
  for await (const item of items) {
    if (kept.size >= query.limit) {
      cutoff ??= [...kept.keys()].sort((a, b) => a - b)[query.limit - 1] as number;
      if (firstAt(item) > cutoff) break;
    }
    const writtenAt = isSegment(item) ? item.writtenAt : 0;
    for (const point of pointsOf(item)) {
      const t = point.recordedAt.getTime();
      if (t < from || t > to || t <= query.liveAfter) continue;
      const candidate = { point, writtenAt, sk: item.sk };
      const held = kept.get(t);
      if (held && !supersedes(candidate, held)) continue;
      kept.set(t, candidate);
      cutoff = undefined;
    }
  }
  return [...kept.entries()]
    .sort(([a], [b]) => a - b)
    .slice(0, query.limit)
    .map(([, { point }]) => point);
}

/** Each driver's latest sighting, most recently seen first, then by driver id. */
export function latestSightings(items: Iterable<{ driverId: string; recordedAt: string }>): DriverSeen[] {
  const latest = new Map<string, string>();
  for (const { driverId, recordedAt } of items) {
    if ((latest.get(driverId) ?? '') < recordedAt) latest.set(driverId, recordedAt);
  }
  return [...latest]
    .sort(([a, at], [b, bt]) => (at === bt ? (a < b ? -1 : 1) : at > bt ? -1 : 1))
    .map(([driverId, at]) => ({ driverId, lastSeenAt: new Date(at) }));
}
