import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VehicleType } from '../domain/driverProfile.js';
import { distanceM, METERS_PER_DEGREE } from '../domain/geoCells.js';
import type { GeoIndex, OfferDetails, PositionUpdate } from '../ports/geoIndex.js';

export interface GeoIndexHarness {
  index: GeoIndex;
  /** Moves the index's clock (freshness, reservation timestamps). */
  advance(ms: number): void;
  now(): number;
  /** Lets a reservation TTL pass: the memory index advances its clock, Redis lets real time run. */
  elapseTtl(ms: number): Promise<void>;
  /** Short enough to wait out by polling, long enough to observe the reservation first. */
  shortTtlMs: number;
  close(): Promise<void>;
}

const CENTER = { lat: 10.8, lng: 106.7 };
const offer: OfferDetails = { pickup: CENTER, dropoff: { lat: 10.75, lng: 106.66 }, fare: { amount: 45_000, currency: 'VND' } };

/** A point `metres` north and `eastM` east of `from`. */
const offset = (from: { lat: number; lng: number }, northM: number, eastM = 0) => ({
  lat: from.lat + northM / METERS_PER_DEGREE,
  lng: from.lng + eastM / (METERS_PER_DEGREE * Math.cos((from.lat * Math.PI) / 180)),
});

async function until(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Behaviour every GeoIndex adapter must show; each test gets an empty index. */
export function geoIndexContract(name: string, makeHarness: () => Promise<GeoIndexHarness>): void {
  describe(`GeoIndex contract: ${name}`, () => {
    let h: GeoIndexHarness;
    let index: GeoIndex;
    let version = 0;
    beforeEach(async () => {
      h = await makeHarness();
      index = h.index;
    });
    afterEach(() => h?.close());

    const online = async (vehicleType: VehicleType = 'car4', availability: 'available' | 'offline' | 'on_trip' = 'available', id: string = randomUUID()) => {
      await index.setDriver(id, { vehicleType, availability, tripId: availability === 'on_trip' ? randomUUID() : null, version: ++version });
      return id;
    };
    const at = (driverId: string, where: { lat: number; lng: number }, ageMs = 0): PositionUpdate => ({ driverId, ...where, recordedAt: new Date(h.now() - ageMs) });
    const search = (radiusM = 3_000, limit = 10, vehicleType?: VehicleType, center = CENTER) => index.nearest({ ...center, radiusM, limit, vehicleType });

    it('returns the nearest available drivers first, with distance and time, up to the limit', async () => {
      const ids = await Promise.all([0, 1, 2, 3].map(() => online()));
      const distances = [900, 100, 2_500, 400];
      await index.upsert(ids.map((id, i) => at(id, offset(CENTER, distances[i]!, 30), i * 1000)));
      const found = await search(3_000, 3);
      expect(found.map((d) => d.driverId)).toEqual([ids[1], ids[3], ids[0]]);
      for (const d of found) {
        const i = ids.indexOf(d.driverId);
        expect(d.distanceM).toBeCloseTo(distanceM(CENTER, offset(CENTER, distances[i]!, 30)), 3);
        expect(d.updatedAt.getTime()).toBe(h.now() - i * 1000);
        expect(d.vehicleType).toBe('car4');
      }
    });

    it('keeps the radius edge: just inside is found, just outside is not', async () => {
      const [inside, outside] = await Promise.all([online(), online()]);
      await index.upsert([at(inside, offset(CENTER, 1_995)), at(outside, offset(CENTER, 0, 2_005))]);
      expect((await search(2_000)).map((d) => d.driverId)).toEqual([inside]);
      expect((await search(2_010)).map((d) => d.driverId)).toEqual([inside, outside]);
    });

    it('drops a driver whose last position is older than the freshness window, until a new one arrives', async () => {
      const id = await online();
      await index.upsert([at(id, offset(CENTER, 200))]);
      expect(await search()).toHaveLength(1);
      // The window is 30 s: at 29 s the driver is still searchable, at 31 s no longer.
      h.advance(29_000);
      expect(await search()).toHaveLength(1);
      h.advance(2_000);
      expect(await search()).toEqual([]);
      await index.sweep();
      expect(await search()).toEqual([]);
      await index.upsert([at(id, offset(CENTER, 300))]);
      expect((await search()).map((d) => d.driverId)).toEqual([id]);
    });

    it('refuses a search that would scan too many grid cells (near a pole)', async () => {
      await expect(search(3_000, 10, undefined, { lat: 89.99, lng: 0 })).rejects.toThrow(RangeError);
    });

    it('filters by vehicle type', async () => {
      const [bike, car4, car7] = await Promise.all([online('bike'), online('car4'), online('car7')]);
      await index.upsert([at(bike, offset(CENTER, 100)), at(car4, offset(CENTER, 200)), at(car7, offset(CENTER, 300))]);
      expect((await search(3_000, 10, 'car7')).map((d) => d.driverId)).toEqual([car7]);
      expect((await search(3_000, 10)).map((d) => d.driverId)).toEqual([bike, car4, car7]);
    });

    it('moves a driver between cells and back', async () => {
      const id = await online();
      const far = offset(CENTER, 15_000, 15_000);
      await index.upsert([at(id, offset(CENTER, 50), 2_000)]);
      await index.upsert([at(id, far, 1_000)]);
      expect(await search()).toEqual([]);
      expect((await search(1_000, 10, undefined, far)).map((d) => d.driverId)).toEqual([id]);
      await index.upsert([at(id, offset(CENTER, 70))]);
      expect(await search(1_000, 10, undefined, far)).toEqual([]);
      expect((await search())[0]).toMatchObject({ driverId: id, distanceM: expect.closeTo(70, 1) });
    });

    it('never moves a driver back to an older position', async () => {
      const id = await online();
      expect(await index.upsert([at(id, offset(CENTER, 100), 1_000)])).toEqual([{ kind: 'applied', previous: null, tripId: null }]);
      const older = await index.upsert([at(id, offset(CENTER, 2_000), 5_000)]);
      expect(older).toEqual([{ kind: 'ignored', previous: new Date(h.now() - 1_000), tripId: null }]);
      expect(await index.upsert([at(id, offset(CENTER, 2_000), 1_000)])).toMatchObject([{ kind: 'ignored' }]);
      expect((await search())[0]?.distanceM).toBeCloseTo(100, 0);
      expect((await index.position(id))?.recordedAt.getTime()).toBe(h.now() - 1_000);
      const batch = await index.upsert([at(id, offset(CENTER, 300), 500), at(id, offset(CENTER, 400), 200), at(id, offset(CENTER, 900), 3_000)]);
      expect(batch.map((o) => o.kind)).toEqual(['applied', 'applied', 'ignored']);
      expect((await search())[0]?.distanceM).toBeCloseTo(400, 0);
    });

    it('reports drivers it holds no state for, and searches only available ones', async () => {
      expect(await index.upsert([at(randomUUID(), CENTER)])).toEqual([{ kind: 'unknown' }]);
      const [offline, onTrip, free] = await Promise.all([online('car4', 'offline'), online('car4', 'on_trip'), online()]);
      await index.upsert([offline, onTrip, free].map((id) => at(id, offset(CENTER, 100))));
      expect((await search()).map((d) => d.driverId)).toEqual([free]);
      expect(await index.position(offline)).toMatchObject({ lat: offset(CENTER, 100).lat });
      await index.setDriver(offline, { vehicleType: 'car4', availability: 'available', tripId: null, version: ++version });
      expect((await search()).map((d) => d.driverId).sort()).toEqual([free, offline].sort());
      await index.setDriver(free, { vehicleType: 'car4', availability: 'on_trip', tripId: randomUUID(), version: ++version });
      await index.setDriver(free, { vehicleType: 'car4', availability: 'available', tripId: null, version: version - 5 });
      expect((await search()).map((d) => d.driverId)).toEqual([offline]);
    });

    it('finds the true nearest among many drivers, and far ones through growing rings', async () => {
      const drivers = await Promise.all(Array.from({ length: 300 }, () => online()));
      let seed = 7;
      const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
      const where = new Map(drivers.map((id) => [id, offset(CENTER, rand() * 2_000, rand() * 2_000)]));
      await index.upsert(drivers.map((id) => at(id, where.get(id)!)));
      const expected = drivers.map((id) => ({ id, d: distanceM(CENTER, where.get(id)!) })).sort((a, b) => a.d - b.d);
      expect((await search(3_000, 25)).map((d) => d.driverId)).toEqual(expected.slice(0, 25).map((e) => e.id));
      const lonely = { lat: 11.5, lng: 107.5 };
      const far = await online('bike');
      await index.upsert([at(far, offset(lonely, 8_000, -3_000))]);
      expect((await search(10_000, 5, 'bike', lonely)).map((d) => d.driverId)).toEqual([far]);
    });

    it('holds a driver for one trip at a time; a reserved driver is not searchable', async () => {
      const id = await online();
      await index.upsert([at(id, offset(CENTER, 100))]);
      const [tripA, tripB] = [randomUUID(), randomUUID()];
      const first = await index.reserve({ driverId: id, tripId: tripA, reservationId: 'r-a', ttlMs: 30_000, offer });
      expect(first).toMatchObject({ kind: 'reserved', reservation: { tripId: tripA, reservationId: 'r-a', offer } });
      expect(await index.reserve({ driverId: id, tripId: tripA, reservationId: 'r-a2', ttlMs: 30_000, offer })).toMatchObject({ kind: 'existing', reservation: { reservationId: 'r-a' } });
      expect(await index.reserve({ driverId: id, tripId: tripB, reservationId: 'r-b', ttlMs: 30_000, offer })).toMatchObject({ kind: 'held', holder: { tripId: tripA } });
      expect(await search()).toEqual([]);
      expect(await index.reservation(id)).toMatchObject({ tripId: tripA, expiresAt: new Date(h.now() + 30_000) });
      expect(await index.release(id, { reservationId: 'r-b' })).toBe(false);
      expect(await index.release(id, { tripId: tripB })).toBe(false);
      expect(await index.reservation(id)).not.toBeNull();
      expect(await index.release(id, { tripId: tripA })).toBe(true);
      expect(await index.release(id, { tripId: tripA })).toBe(false);
      expect((await search()).map((d) => d.driverId)).toEqual([id]);
      const offline = await online('car4', 'offline');
      expect(await index.reserve({ driverId: offline, tripId: tripB, reservationId: 'r-c', ttlMs: 1_000, offer })).toEqual({ kind: 'unavailable', availability: 'offline' });
      expect(await index.reserve({ driverId: randomUUID(), tripId: tripB, reservationId: 'r-d', ttlMs: 1_000, offer })).toEqual({ kind: 'unknown' });
    });

    it('lets a reservation expire by itself', async () => {
      const id = await online();
      await index.upsert([at(id, offset(CENTER, 100))]);
      await index.reserve({ driverId: id, tripId: randomUUID(), reservationId: 'r-1', ttlMs: h.shortTtlMs, offer });
      expect(await index.reservation(id)).not.toBeNull();
      await h.elapseTtl(h.shortTtlMs + 1);
      await until(async () => (await index.reservation(id)) === null);
      expect((await search()).map((d) => d.driverId)).toEqual([id]);
      expect(await index.reserve({ driverId: id, tripId: randomUUID(), reservationId: 'r-2', ttlMs: 30_000, offer })).toMatchObject({ kind: 'reserved' });
    });

    it('fences a driver against new reservations while their availability changes, unless another trip holds them', async () => {
      const id = await online();
      await index.upsert([at(id, offset(CENTER, 100))]);
      const [tripA, tripB] = [randomUUID(), randomUUID()];
      const reserve = (tripId: string, reservationId: string) => index.reserve({ driverId: id, tripId, reservationId, ttlMs: 30_000, offer });
      expect(await reserve(tripA, 'r-a')).toMatchObject({ kind: 'reserved' });
      // Another trip's hold refuses the fence; the holding trip's own is let through.
      expect(await index.fence(id, { forMs: 30_000 })).toMatchObject({ kind: 'held', holder: { tripId: tripA } });
      expect(await index.fence(id, { forMs: 30_000, allowTripId: tripB })).toMatchObject({ kind: 'held', holder: { tripId: tripA } });
      expect(await index.fence(id, { forMs: 30_000, allowTripId: tripA })).toEqual({ kind: 'fenced' });
      expect(await index.release(id, { tripId: tripA })).toBe(true);
      expect(await reserve(tripB, 'r-b')).toEqual({ kind: 'unavailable', availability: 'available' });
      // A resync of the same available state (another request repairing the index) keeps the fence ...
      await index.setDriver(id, { vehicleType: 'car4', availability: 'available', tripId: null, version: ++version });
      expect(await reserve(tripB, 'r-b')).toMatchObject({ kind: 'unavailable' });
      // ... the change it guards lifts it, and a driver back online is reservable at once.
      await index.setDriver(id, { vehicleType: 'car4', availability: 'offline', tripId: null, version: ++version });
      expect(await reserve(tripB, 'r-b')).toEqual({ kind: 'unavailable', availability: 'offline' });
      await index.setDriver(id, { vehicleType: 'car4', availability: 'available', tripId: null, version: ++version });
      expect(await reserve(tripB, 'r-b')).toMatchObject({ kind: 'reserved' });
    });

    it('lets a fence lapse by itself, also on a driver the index does not know yet', async () => {
      const known = await online();
      const unknown = randomUUID();
      await index.upsert([at(known, offset(CENTER, 100))]);
      expect(await index.fence(known, { forMs: h.shortTtlMs })).toEqual({ kind: 'fenced' });
      expect(await index.fence(unknown, { forMs: h.shortTtlMs })).toEqual({ kind: 'fenced' });
      const reserve = (driverId: string) => index.reserve({ driverId, tripId: randomUUID(), reservationId: randomUUID(), ttlMs: 30_000, offer });
      expect(await reserve(known)).toMatchObject({ kind: 'unavailable' });
      // Not 'unknown': that answer makes the caller load the driver from drivers-db and retry.
      expect(await reserve(unknown)).toMatchObject({ kind: 'unavailable' });
      await h.elapseTtl(h.shortTtlMs + 1);
      await until(async () => (await reserve(known)).kind === 'reserved');
      await until(async () => (await reserve(unknown)).kind === 'unknown');
    });

    it('forgets a removed driver', async () => {
      const id = await online();
      await index.upsert([at(id, offset(CENTER, 100))]);
      await index.remove(id);
      expect(await search()).toEqual([]);
      expect(await index.position(id)).toBeNull();
      expect(await index.upsert([at(id, CENTER)])).toEqual([{ kind: 'unknown' }]);
    });
  });
}
