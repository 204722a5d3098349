import { describe, expect, it } from 'vitest';
import { decodePoints, encodePoints, RecentSightings, SEGMENT_MAX_POINTS, toItems, type SegmentItem, type SightingItem } from './archiveItems.js';
import type { ArchivedLocation } from './locationArchive.js';

const RETENTION = 30 * 24 * 3600_000;
const base = Date.parse('2025-06-15T08:00:00.000Z');
const fix = (driverId: string, seconds: number, extra: Partial<ArchivedLocation> = {}): ArchivedLocation => ({
  driverId,
  lat: 10.7769,
  lng: 106.7009,
  recordedAt: new Date(base + seconds * 1_000),
  ...extra,
});
const segments = (items: ReturnType<typeof toItems>) =>
  items.filter((item): item is SegmentItem => 'pts' in item).map((item) => ({ ...item, n: item.pts.split(';').length }));
const sightings = (items: ReturnType<typeof toItems>) => items.filter((item): item is SightingItem => !('pts' in item));

describe('archive items', () => {
  it('sights a driver moving through the city at its first point in each cell and hour, then every 5 minutes, not at every report', () => {
    // An hour at 30 km/h heading north-east (33 m a fix: 2.12e-4° on each axis), a fix every 4 s,
    // each fix a write of its own (a city's archiver batch holds about one point per driver).
    const drive = Array.from({ length: 900 }, (_, i) => fix('mover', i * 4, { lat: 10.7 + i * 2.12e-4, lng: 106.6 + i * 2.12e-4 }));
    const written = (recent?: RecentSightings) =>
      drive.map((point) => {
        const items = toItems([point], RETENTION, 1, recent);
        recent?.remember(items);
        return items;
      });
    const every = written().flat();
    const remembered = written(new RecentSightings()).flat();
    expect(segments(every)).toHaveLength(900);
    expect(segments(remembered)).toHaveLength(900);
    expect(sightings(every)).toHaveLength(900);
    // Each cell's first fix, plus a refresh when the drive stays 5 minutes in one cell.
    const cells = new Set(sightings(every).map((s) => s.pk));
    expect(sightings(remembered).length).toBeGreaterThanOrEqual(cells.size);
    expect(sightings(remembered).length).toBeLessThan(cells.size * 2);
    expect(new Set(sightings(remembered).map((s) => s.pk))).toEqual(cells);
    // Items written per fix: 2 at every report, about 1 here.
    expect(remembered.length / drive.length).toBeLessThan(1.1);
  });

  it('writes a sighting again after the refresh, in a new hour, and after forgetting; not for an older fix', () => {
    const recent = new RecentSightings(300_000, 2);
    const write = (point: ArchivedLocation) => {
      const items = toItems([point], RETENTION, 1, recent);
      recent.remember(items);
      return sightings(items).map((s) => s.recordedAt.slice(11, 19));
    };
    expect(write(fix('d', 0))).toEqual(['08:00:00']);
    expect(write(fix('d', 299))).toEqual([]);
    expect(write(fix('d', 300))).toEqual(['08:05:00']);
    expect(write(fix('d', 120))).toEqual([]);
    expect(write(fix('d', 3_600))).toEqual(['09:00:00']);
    // Capacity 2: two other drivers push d's entries out, so its next fix is sighted again.
    write(fix('e', 3_601));
    write(fix('f', 3_602));
    expect(write(fix('d', 3_603))).toEqual(['09:00:03']);
    // Not remembered until written: a failed write leaves the next one to sight the driver.
    expect(sightings(toItems([fix('g', 0)], RETENTION, 1, recent))).toHaveLength(1);
    expect(sightings(toItems([fix('g', 1)], RETENTION, 1, recent))).toHaveLength(1);
    // 0: every write sights.
    const always = new RecentSightings(0);
    always.remember(toItems([fix('h', 0)], RETENTION, 1, always));
    expect(sightings(toItems([fix('h', 1)], RETENTION, 1, always))).toHaveLength(1);
  });

  it('stores a phone upload of 100 fixes as one segment and one sighting, not 100 items', () => {
    const items = toItems(
      Array.from({ length: 100 }, (_, i) => fix('d1', i)),
      RETENTION,
      1,
    );
    expect(segments(items)).toHaveLength(1);
    expect(segments(items)[0]).toMatchObject({ pk: 'D#d1#20250615', n: 100, writtenAt: 1, expiresAt: Math.floor((base + 99_000 + RETENTION) / 1000) });
    expect(segments(items)[0]?.sk).toMatch(/^2025-06-15T08:00:00\.000Z#[\w-]{16}$/);
    expect(sightings(items)).toEqual([
      { pk: 'C#w3gvk1#2025-06-15T08', sk: 'd1#2025-06-15T08:01:39.000Z', driverId: 'd1', recordedAt: '2025-06-15T08:01:39.000Z', expiresAt: expect.any(Number) },
    ]);
  });

  it('gives each driver of a consumer batch its own segment', () => {
    const items = toItems([fix('a', 0), fix('b', 0), fix('a', 4), fix('c', 1)], RETENTION, 1);
    expect(segments(items).map((s) => [s.driverId, s.n])).toEqual([
      ['a', 2],
      ['b', 1],
      ['c', 1],
    ]);
  });

  it('cuts segments at the span, the point count and midnight', () => {
    const spanned = toItems([fix('d', 0), fix('d', 600), fix('d', 600.001)], RETENTION, 1);
    expect(segments(spanned).map((s) => s.n)).toEqual([2, 1]);
    const counted = toItems(Array.from({ length: SEGMENT_MAX_POINTS + 1 }, (_, i) => fix('d', i / 10)), RETENTION, 1);
    expect(segments(counted).map((s) => s.n)).toEqual([SEGMENT_MAX_POINTS, 1]);
    const midnight = Date.parse('2025-06-15T23:59:59.000Z');
    const across = toItems([0, 2_000].map((ms) => ({ driverId: 'd', lat: 1, lng: 2, recordedAt: new Date(midnight + ms) })), RETENTION, 1);
    expect(segments(across).map((s) => s.pk)).toEqual(['D#d#20250615', 'D#d#20250616']);
  });

  it('names a segment by its content, so writing the same points again overwrites it', () => {
    const points = [fix('d', 0), fix('d', 5)];
    const [first] = segments(toItems(points, RETENTION, 1));
    const [again] = segments(toItems([...points].reverse(), RETENTION, 2));
    const [changed] = segments(toItems([fix('d', 0), fix('d', 5, { speedKmh: 12 })], RETENTION, 3));
    expect(again?.sk).toBe(first?.sk);
    expect(changed?.sk).not.toBe(first?.sk);
  });

  it('encodes points losslessly, zeros, negatives and absent fields included', () => {
    const t0 = Date.parse('2025-01-01T00:00:00.000Z');
    const points: ArchivedLocation[] = [
      { driverId: 'd', lat: -33.8688, lng: 151.2093, recordedAt: new Date(t0), headingDeg: 0, speedKmh: 0, accuracyM: 0 },
      { driverId: 'd', lat: 1e-7, lng: -179.9999999, recordedAt: new Date(t0 + 1), headingDeg: 359.9 },
      { driverId: 'd', lat: 90, lng: 180, recordedAt: new Date(t0 + 86_399_999), accuracyM: 12.5 },
    ];
    expect(decodePoints('d', encodePoints(points, t0), t0)).toEqual(points);
  });
});
