import { describe, expect, it } from 'vitest';
import { toItems, type PointItem, type SegmentItem, type TrackItem } from './archiveItems.js';
import type { ArchivedLocation } from './locationArchive.js';
import { MemoryLocationArchive } from './memoryLocationArchive.js';
import { readTrack } from './trackReads.js';

const NOW = Date.parse('2025-06-15T12:30:00Z');
const RETENTION = 30 * 24 * 3600_000;
const everything = { from: new Date(0), to: new Date(NOW), limit: Number.POSITIVE_INFINITY, liveAfter: 0 };

/** A deterministic generator (LCG), so a failing case names its seed. */
function random(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
}

async function* from<T>(items: T[], onRead: () => void = () => {}): AsyncGenerator<T> {
  for (const item of items) {
    onRead();
    yield item;
  }
}

const segmentOf = (points: ArchivedLocation[], writtenAt: number) =>
  toItems(points, RETENTION, writtenAt).filter((item): item is SegmentItem => 'pts' in item);

describe('readTrack', () => {
  it('keeps the segment over a point stored one item each before it, in either order', async () => {
    const recordedAt = '2025-06-15T09:00:00.000Z';
    const stored: PointItem = {
      pk: 'D#d#20250615',
      sk: recordedAt,
      gsi1pk: 'C#w3gvk1#2025-06-15T09',
      gsi1sk: `d#${recordedAt}`,
      driverId: 'd',
      lat: 1,
      lng: 1,
      recordedAt,
      geohash: 's00twy01m',
      speedKmh: 10,
      expiresAt: 0,
    };
    const [rewritten] = segmentOf([{ driverId: 'd', lat: 1, lng: 1, recordedAt: new Date(recordedAt), speedKmh: 20 }], 1);
    for (const items of [[stored, rewritten], [rewritten, stored]] as TrackItem[][]) {
      expect((await readTrack(from(items), everything)).map((p) => p.speedKmh)).toEqual([20]);
    }
  });

  it('stops reading once no later item can change the first `limit` points', async () => {
    const items = Array.from({ length: 50 }, (_, i) => segmentOf([{ driverId: 'd', lat: 1, lng: 1, recordedAt: new Date(NOW - 3_600_000 + i * 1_000) }], i + 1)[0] as SegmentItem);
    let read = 0;
    const track = await readTrack(from(items, () => read++), { ...everything, limit: 5 });
    expect(track).toHaveLength(5);
    expect(read).toBe(6);
  });

  it('matches a model of "the last write of each recordedAt" over random writes, groupings and windows', async () => {
    for (let seed = 1; seed <= 200; seed++) {
      const next = random(seed);
      const archive = new MemoryLocationArchive({ clock: () => NOW });
      const base = Date.parse('2025-06-14T23:40:00Z'); // 30 minutes across midnight
      const model = new Map<number, ArchivedLocation>();
      for (let w = 0, writes = 1 + Math.floor(next() * 6); w < writes; w++) {
        const batch = Array.from({ length: 1 + Math.floor(next() * 40) }, () => ({
          driverId: 'd',
          lat: next() * 10,
          lng: next() * 10,
          recordedAt: new Date(base + Math.floor(next() * 60) * 30_000),
          speedKmh: Math.floor(next() * 5),
        }));
        await archive.putBatch(batch);
        for (const point of batch) model.set(point.recordedAt.getTime(), point);
      }
      for (let q = 0; q < 10; q++) {
        const a = base - 600_000 + Math.floor(next() * 80) * 30_000 + Math.floor(next() * 3) - 1;
        const b = a + Math.floor(next() * 60) * 30_000;
        const limit = next() < 0.5 ? Number.POSITIVE_INFINITY : 1 + Math.floor(next() * 20);
        const expected = [...model.keys()]
          .filter((t) => t >= a && t <= b)
          .sort((x, y) => x - y)
          .slice(0, limit)
          .map((t) => model.get(t));
        expect(await archive.track('d', new Date(a), new Date(b), { limit }), `seed ${seed}, query ${q}`).toEqual(expected);
      }
      await archive.close();
    }
  });
});
