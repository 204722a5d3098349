import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGeohash } from './geohash.js';
import type { ArchivedLocation, LocationArchive } from './locationArchive.js';

/** The archive's clock during the contract; harnesses must build their adapter with this `now`. */
export const CONTRACT_NOW = Date.parse('2025-06-15T12:30:00Z');

const at = (iso: string) => new Date(iso);
const minutes = (base: Date, n: number) => new Date(base.getTime() + n * 60_000);

/** Behaviour every LocationArchive adapter must show (retention 30 days, clock fixed at CONTRACT_NOW). */
export function locationArchiveContract(name: string, makeArchive: () => Promise<LocationArchive>): void {
  describe(`LocationArchive contract: ${name}`, () => {
    let archive: LocationArchive;
    const run = randomUUID().slice(0, 8);
    const driver = (label: string) => `drv-${run}-${label}`;
    // A random spot per run keeps cells apart from earlier runs against a persistent table.
    const lat = Math.random() * 120 - 60;
    const lng = Math.random() * 340 - 170;
    const cell = encodeGeohash(lat, lng, 6);

    beforeAll(async () => {
      archive = await makeArchive();
      await archive.ensureTable();
      await archive.ensureTable();
      await archive.ping();
    });
    afterAll(async () => {
      await archive?.close();
    });

    it('returns a track in ascending order with inclusive bounds', async () => {
      const d = driver('track');
      const base = at('2025-06-15T08:00:00.000Z');
      const points: ArchivedLocation[] = [3, 0, 4, 1, 2].map((n) => ({ driverId: d, lat, lng, recordedAt: minutes(base, n) }));
      await archive.putBatch([...points, { driverId: driver('other'), lat, lng, recordedAt: minutes(base, 2) }]);
      const track = await archive.track(d, minutes(base, 1), minutes(base, 3));
      expect(track.map((p) => p.recordedAt)).toEqual([1, 2, 3].map((n) => minutes(base, n)));
      expect(track.every((p) => p.driverId === d)).toBe(true);
      const justOutside = await archive.track(d, new Date(minutes(base, 1).getTime() + 1), new Date(minutes(base, 3).getTime() - 1));
      expect(justOutside.map((p) => p.recordedAt)).toEqual([minutes(base, 2)]);
      expect(await archive.track(d, minutes(base, 3), minutes(base, 1))).toEqual([]);
      const limited = await archive.track(d, base, minutes(base, 10), { limit: 2 });
      expect(limited.map((p) => p.recordedAt)).toEqual([base, minutes(base, 1)]);
    });

    it('writes nothing of a batch whose signal is already aborted (a stopping archiver)', async () => {
      const d = driver('aborted');
      const base = at('2025-06-15T10:00:00.000Z');
      const points: ArchivedLocation[] = [0, 1, 2].map((n) => ({ driverId: d, lat, lng, recordedAt: minutes(base, n) }));
      await expect(archive.putBatch(points, { signal: AbortSignal.abort() })).rejects.toThrow();
      expect(await archive.track(d, base, minutes(base, 5))).toEqual([]);
    });

    it('keeps every reported field', async () => {
      const d = driver('fields');
      const point = { driverId: d, lat: 10.7769, lng: 106.7009, recordedAt: at('2025-06-15T09:00:00.250Z'), headingDeg: 271.5, speedKmh: 32.4, accuracyM: 6 };
      await archive.putBatch([point, { driverId: d, lat: 10.78, lng: 106.7, recordedAt: at('2025-06-15T09:00:05.000Z') }]);
      const [full, bare] = await archive.track(d, at('2025-06-15T09:00:00Z'), at('2025-06-15T09:01:00Z'));
      expect(full).toEqual(point);
      expect(bare).toEqual({ driverId: d, lat: 10.78, lng: 106.7, recordedAt: at('2025-06-15T09:00:05.000Z') });
    });

    it('reads a track across midnight', async () => {
      const d = driver('midnight');
      const times = ['2025-06-13T23:59:30.000Z', '2025-06-14T00:00:00.000Z', '2025-06-14T12:00:00.000Z', '2025-06-15T00:00:10.000Z'];
      await archive.putBatch(times.map((t) => ({ driverId: d, lat, lng, recordedAt: at(t) })).reverse());
      const track = await archive.track(d, at('2025-06-13T23:00:00Z'), at('2025-06-15T01:00:00Z'));
      expect(track.map((p) => p.recordedAt.toISOString())).toEqual(times);
      const limited = await archive.track(d, at('2025-06-13T23:00:00Z'), at('2025-06-15T01:00:00Z'), { limit: 3 });
      expect(limited.map((p) => p.recordedAt.toISOString())).toEqual(times.slice(0, 3));
    });

    it('refuses a track longer than 31 days', async () => {
      await expect(archive.track(driver('x'), at('2025-01-01T00:00:00Z'), at('2025-03-01T00:00:00Z'))).rejects.toThrow(RangeError);
    });

    it('lists the drivers seen in a cell during an hour, latest sighting first', async () => {
      const hour = at('2025-06-15T11:00:00.000Z');
      const [a, b, late, far] = [driver('cell-a'), driver('cell-b'), driver('cell-late'), driver('cell-far')];
      const farLat = lat > 0 ? lat - 1 : lat + 1;
      await archive.putBatch([
        { driverId: a, lat, lng, recordedAt: minutes(hour, 5) },
        { driverId: a, lat, lng, recordedAt: minutes(hour, 40) },
        { driverId: b, lat, lng, recordedAt: minutes(hour, 20) },
        { driverId: late, lat, lng, recordedAt: minutes(hour, 60) },
        { driverId: far, lat: farLat, lng, recordedAt: minutes(hour, 10) },
      ]);
      expect(await archive.driversInCell(cell, minutes(hour, 30))).toEqual([
        { driverId: a, lastSeenAt: minutes(hour, 40) },
        { driverId: b, lastSeenAt: minutes(hour, 20) },
      ]);
      expect(await archive.driversInCell(cell, minutes(hour, 60))).toEqual([{ driverId: late, lastSeenAt: minutes(hour, 60) }]);
      await expect(archive.driversInCell('w3gv2', hour)).rejects.toThrow(RangeError);
    });

    it('sights a driver staying in a cell at its first point and then every 5 minutes, not at every write', async () => {
      const d = driver('stays');
      const hour = at('2025-06-15T09:00:00.000Z');
      // A write a minute, each one point in the same cell, as an archiver batch holds them.
      for (let m = 0; m < 9; m++) await archive.putBatch([{ driverId: d, lat, lng, recordedAt: minutes(hour, m) }]);
      expect(await archive.driversInCell(cell, hour)).toEqual([{ driverId: d, lastSeenAt: minutes(hour, 5) }]);
      // The track keeps every point.
      expect(await archive.track(d, hour, minutes(hour, 60))).toHaveLength(9);
      // One write's latest point there is its sighting.
      await archive.putBatch([10, 11].map((m) => ({ driverId: d, lat, lng, recordedAt: minutes(hour, m) })));
      expect(await archive.driversInCell(cell, hour)).toEqual([{ driverId: d, lastSeenAt: minutes(hour, 11) }]);
    });

    it('sights a driver again after a write that did not happen', async () => {
      const d = driver('retried');
      const t = at('2025-06-15T10:00:00.000Z');
      const stopped = new AbortController();
      stopped.abort();
      await expect(archive.putBatch([{ driverId: d, lat, lng, recordedAt: t }], { signal: stopped.signal })).rejects.toThrow();
      // Had the stopped write counted its sighting, this one (a minute later, same cell) would be left out.
      await archive.putBatch([{ driverId: d, lat, lng, recordedAt: minutes(t, 1) }]);
      expect(await archive.driversInCell(cell, t)).toEqual([{ driverId: d, lastSeenAt: minutes(t, 1) }]);
    });

    it('does not return points past their retention', async () => {
      const d = driver('expired');
      const old = at('2025-05-16T12:29:00.000Z'); // 30 days and 1 minute before CONTRACT_NOW
      const kept = at('2025-05-16T12:31:00.000Z');
      await archive.putBatch([
        { driverId: d, lat, lng, recordedAt: old },
        { driverId: d, lat, lng, recordedAt: kept },
      ]);
      const track = await archive.track(d, at('2025-05-16T00:00:00Z'), at('2025-05-17T00:00:00Z'));
      expect(track.map((p) => p.recordedAt)).toEqual([kept]);
      expect(await archive.driversInCell(cell, old)).toEqual([{ driverId: d, lastSeenAt: kept }]);
    });

    it('round-trips a batch of 1,000 points', async () => {
      const d = driver('bulk');
      const base = at('2025-06-15T10:00:00.000Z');
      const points = Array.from({ length: 1_000 }, (_, i) => ({
        driverId: d,
        lat: lat + i * 1e-5,
        lng,
        recordedAt: new Date(base.getTime() + i * 1_000),
        speedKmh: i % 90,
      }));
      await archive.putBatch(points);
      const track = await archive.track(d, base, minutes(base, 60));
      expect(track).toHaveLength(1_000);
      expect(track).toEqual(points);
    });

    it('overwrites a point written again instead of duplicating it', async () => {
      const d = driver('idem');
      const recordedAt = at('2025-06-15T07:00:00.000Z');
      const first = { driverId: d, lat, lng, recordedAt, speedKmh: 10 };
      const second = { ...first, speedKmh: 20 };
      await archive.putBatch([first]);
      await archive.putBatch([first, second]);
      expect(await archive.track(d, recordedAt, recordedAt)).toEqual([second]);
      expect(await archive.driversInCell(cell, recordedAt)).toEqual([{ driverId: d, lastSeenAt: recordedAt }]);
    });

    it('merges points uploaded late and out of order with those written before', async () => {
      const d = driver('late');
      const base = at('2025-06-15T06:00:00.000Z');
      const seconds = (n: number) => new Date(base.getTime() + n * 1_000);
      const point = (n: number, speedKmh = n) => ({ driverId: d, lat, lng, recordedAt: seconds(n), speedKmh });
      await archive.putBatch([20, 40, 60].map((n) => point(n)));
      // A phone that was offline sends what it buffered, one fix again with a correction; this
      // write's first point is older, so it is read before the first write.
      await archive.putBatch([point(50), point(10), point(30), point(20, 99)]);
      const track = await archive.track(d, base, seconds(60));
      expect(track.map((p) => [p.recordedAt.getTime() - base.getTime(), p.speedKmh])).toEqual([
        [10_000, 10],
        [20_000, 99],
        [30_000, 30],
        [40_000, 40],
        [50_000, 50],
        [60_000, 60],
      ]);
      const limited = await archive.track(d, seconds(5), seconds(60), { limit: 3 });
      expect(limited.map((p) => p.recordedAt)).toEqual([seconds(10), seconds(20), seconds(30)]);
    });

    it('reads any window of a long upload: from and to inside it, across hours', async () => {
      const d = driver('long');
      const base = at('2025-06-15T04:40:00.000Z');
      // 2 hours at one fix every 5 s: 1,441 points, more than one segment holds.
      const points = Array.from({ length: 1_441 }, (_, i) => ({ driverId: d, lat, lng, recordedAt: new Date(base.getTime() + i * 5_000) }));
      await archive.putBatch(points);
      const window = await archive.track(d, minutes(base, 33), minutes(base, 77));
      expect(window).toHaveLength(44 * 12 + 1);
      expect(window[0]?.recordedAt).toEqual(minutes(base, 33));
      expect(window.at(-1)?.recordedAt).toEqual(minutes(base, 77));
      expect(await archive.track(d, base, minutes(base, 120))).toHaveLength(1_441);
      expect(await archive.driversInCell(cell, minutes(base, 30))).toEqual([{ driverId: d, lastSeenAt: at('2025-06-15T05:59:55.000Z') }]);
    });

    it('finds a point written with others up to 10 minutes before it', async () => {
      const d = driver('span');
      const start = at('2025-06-15T03:00:00.000Z');
      await archive.putBatch([{ driverId: d, lat, lng, recordedAt: start }, { driverId: d, lat, lng, recordedAt: minutes(start, 10) }]);
      expect((await archive.track(d, minutes(start, 10), minutes(start, 10))).map((p) => p.recordedAt)).toEqual([minutes(start, 10)]);
      expect((await archive.track(d, start, start)).map((p) => p.recordedAt)).toEqual([start]);
    });

    it('refuses invalid points', async () => {
      await expect(archive.putBatch([{ driverId: 'a#b', lat, lng, recordedAt: at('2025-06-15T07:00:00Z') }])).rejects.toThrow(RangeError);
      await expect(archive.putBatch([{ driverId: driver('bad'), lat: 95, lng, recordedAt: at('2025-06-15T07:00:00Z') }])).rejects.toThrow(
        RangeError,
      );
      const recordedAt = at('2025-06-15T07:00:00Z');
      await expect(archive.putBatch([{ driverId: driver('bad'), lat, lng, recordedAt, speedKmh: Number.NaN }])).rejects.toThrow(RangeError);
      await expect(archive.putBatch([{ driverId: 'd'.repeat(201), lat, lng, recordedAt }])).rejects.toThrow(RangeError);
    });
  });
}
