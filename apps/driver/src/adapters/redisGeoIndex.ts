import type { LocationFix } from '../domain/locationPoint.js';
import {
  assertNearestQuery,
  DEFAULT_GEO_SETTINGS,
  type DriverLiveState,
  type GeoIndex,
  type GeoIndexSettings,
  type NearbyDriver,
  type NearestQuery,
  type PositionUpdate,
  type ReleaseMatch,
  type Reservation,
  type ReserveOutcome,
  type ReserveRequest,
  type UpsertOutcome,
} from '../ports/geoIndex.js';
import { RedisConnection, type RedisTarget } from './redisConnection.js';
import { RedisGeoKeys } from './redisGeoKeys.js';
import { CELL_DEL, CELL_PUT, CELL_SWEEP, INGEST, RELEASE, RESERVE, SET_DRIVER } from './redisGeoScripts.js';
import { searchNearest } from './redisNearestSearch.js';

/** A driver's hash outlives a silent app by a week; after that drivers-db seeds it again. */
const DRIVER_TTL_S = String(7 * 24 * 3600);
const SWEEP_BATCH = 1000;

export interface RedisGeoIndexOptions {
  settings?: Partial<GeoIndexSettings>;
  /** Prepended to every key; must not contain braces. */
  keyPrefix?: string;
  /** Time for freshness and reservation timestamps (expiry itself is Redis's PX). */
  clock?: () => number;
  onError?: (error: Error) => void;
}

const opt = (value: number | undefined): string => (value === undefined ? '' : String(value));
const optNumber = (value: string | null | undefined): number | undefined => (value ? Number(value) : undefined);

/** The live index on a single Redis or a Redis Cluster; see redisGeoKeys.ts and docs/design/geo-index.md. */
export class RedisGeoIndex implements GeoIndex {
  private readonly settings: GeoIndexSettings;
  private readonly keys: RedisGeoKeys;
  private readonly clock: () => number;

  private constructor(
    private readonly redis: RedisConnection,
    options: RedisGeoIndexOptions,
  ) {
    this.settings = { ...DEFAULT_GEO_SETTINGS, ...options.settings };
    this.keys = new RedisGeoKeys(options.keyPrefix ?? 'driver:geo:');
    this.clock = options.clock ?? Date.now;
  }

  static async connect(target: RedisTarget, options: RedisGeoIndexOptions = {}): Promise<RedisGeoIndex> {
    return new RedisGeoIndex(await RedisConnection.open(target, options.onError), options);
  }

  async setDriver(driverId: string, state: DriverLiveState): Promise<void> {
    const args = [state.vehicleType, state.availability, state.tripId ?? '', String(state.version), String(this.settings.cellsPerDegree), DRIVER_TTL_S];
    const [applied, oldCell, newCell, ts, lat, lng] = (await this.redis.run(SET_DRIVER, [this.keys.driver(driverId)], args)) as [number, string, string, string, string, string];
    if (applied !== 1) return;
    await this.moveCells(driverId, oldCell, newCell, { ts, lat, lng });
  }

  async upsert(updates: readonly PositionUpdate[]): Promise<UpsertOutcome[]> {
    const newest = new Map<string, PositionUpdate>();
    for (const u of updates) {
      const kept = newest.get(u.driverId);
      if (!kept || u.recordedAt > kept.recordedAt) newest.set(u.driverId, u);
    }
    const drivers = [...newest.values()];
    const replies = (await Promise.all(
      drivers.map((u) =>
        this.redis.run(INGEST, [this.keys.driver(u.driverId)], [
          String(u.recordedAt.getTime()),
          String(u.lat),
          String(u.lng),
          opt(u.headingDeg),
          opt(u.speedKmh),
          opt(u.accuracyM),
          String(this.settings.cellsPerDegree),
          DRIVER_TTL_S,
        ]),
      ),
    )) as ([-1] | [0, number, string] | [1, number, string, string, string])[];
    const byDriver = new Map<string, UpsertOutcome>();
    const moves: Promise<void>[] = [];
    drivers.forEach((u, i) => {
      const reply = replies[i]!;
      if (reply[0] === -1) return void byDriver.set(u.driverId, { kind: 'unknown' });
      const previous = reply[1] >= 0 ? new Date(reply[1]) : null;
      const tripId = reply[2] || null;
      if (reply[0] === 0) return void byDriver.set(u.driverId, { kind: 'ignored', previous: previous!, tripId });
      byDriver.set(u.driverId, { kind: 'applied', previous, tripId });
      const position = { ts: String(u.recordedAt.getTime()), lat: String(u.lat), lng: String(u.lng) };
      moves.push(this.moveCells(u.driverId, reply[3], reply[4], position));
    });
    await Promise.all(moves);
    return updates.map((u): UpsertOutcome => {
      const outcome = byDriver.get(u.driverId)!;
      if (outcome.kind !== 'applied' || !outcome.previous || u.recordedAt > outcome.previous) return outcome;
      return { kind: 'ignored', previous: outcome.previous, tripId: outcome.tripId };
    });
  }

  async remove(driverId: string): Promise<void> {
    const cell = await this.redis.commands.hGet(this.keys.driver(driverId), 'cell');
    await Promise.all([this.redis.commands.del(this.keys.driver(driverId)), this.redis.commands.del(this.keys.reservation(driverId))]);
    if (cell) await this.redis.run(CELL_DEL, [this.keys.cell(cell), this.keys.cellTimes(cell)], [driverId, 'inf']);
  }

  async position(driverId: string): Promise<LocationFix | null> {
    const [ts, lat, lng, hd, sp, ac] = await this.redis.commands.hmGet(this.keys.driver(driverId), ['ts', 'lat', 'lng', 'hd', 'sp', 'ac']);
    if (!ts) return null;
    const fix: LocationFix = { lat: Number(lat), lng: Number(lng), recordedAt: new Date(Number(ts)) };
    const [headingDeg, speedKmh, accuracyM] = [optNumber(hd), optNumber(sp), optNumber(ac)];
    if (headingDeg !== undefined) fix.headingDeg = headingDeg;
    if (speedKmh !== undefined) fix.speedKmh = speedKmh;
    if (accuracyM !== undefined) fix.accuracyM = accuracyM;
    return fix;
  }

  async nearest(query: NearestQuery): Promise<NearbyDriver[]> {
    assertNearestQuery(query, this.settings);
    return searchNearest(this.redis, this.keys, this.settings, query, this.clock());
  }

  async reserve(request: ReserveRequest): Promise<ReserveOutcome> {
    const now = this.clock();
    const reservation: Reservation = { ...request, createdAt: new Date(now), expiresAt: new Date(now + request.ttlMs) };
    const { ttlMs: _ttl, ...stored } = { ...request, createdAt: now, expiresAt: now + request.ttlMs };
    const keys = [this.keys.driver(request.driverId), this.keys.reservation(request.driverId)];
    const [kind, value] = (await this.redis.run(RESERVE, keys, [request.tripId, JSON.stringify(stored), String(request.ttlMs)])) as [string, string?];
    switch (kind) {
      case 'reserved':
        return { kind, reservation };
      case 'existing':
        return { kind, reservation: parseReservation(value!) };
      case 'held':
        return { kind, holder: parseReservation(value!) };
      case 'unavailable':
        return { kind, availability: value as 'offline' | 'on_trip' };
      default:
        return { kind: 'unknown' };
    }
  }

  async release(driverId: string, match: ReleaseMatch): Promise<boolean> {
    const args = 'reservationId' in match ? [match.reservationId, ''] : ['', match.tripId];
    return (await this.redis.run(RELEASE, [this.keys.reservation(driverId)], args)) === 1;
  }

  async reservation(driverId: string): Promise<Reservation | null> {
    const value = await this.redis.commands.get(this.keys.reservation(driverId));
    return value ? parseReservation(value) : null;
  }

  /** One replica at a time (a lock for the interval) removes entries older than the freshness window. */
  async sweep(): Promise<number> {
    const locked = await this.redis.commands.set(this.keys.sweepLock(), '1', { condition: 'NX', expiration: { type: 'PX', value: 1_000 } });
    if (locked !== 'OK') return 0;
    const cutoff = String(this.clock() - this.settings.freshnessMs);
    const cells = await this.redis.commands.sMembers(this.keys.cells());
    const results = (await Promise.all(
      cells.map((cell) => this.redis.run(CELL_SWEEP, [this.keys.cell(cell), this.keys.cellTimes(cell)], [cutoff, String(SWEEP_BATCH)])),
    )) as [number, number][];
    const empty = cells.filter((_, i) => results[i]![1] === 0);
    if (empty.length > 0) {
      await this.redis.commands.sRem(this.keys.cells(), empty);
      // A driver may have entered meanwhile: such a cell goes back on the list.
      const refilled = await Promise.all(empty.map((cell) => this.redis.commands.zCard(this.keys.cellTimes(cell))));
      const back = empty.filter((_, i) => refilled[i]! > 0);
      if (back.length > 0) await this.redis.commands.sAdd(this.keys.cells(), back);
    }
    return results.reduce((sum, [removed]) => sum + removed, 0);
  }

  ping(): Promise<void> {
    return this.redis.ping();
  }

  close(): Promise<void> {
    return this.redis.close();
  }

  /** Second phase of a move: the new cell gets the entry, the old one loses it (unless it holds a newer one). */
  private async moveCells(driverId: string, oldCell: string, newCell: string, at: { ts: string; lat: string; lng: string }): Promise<void> {
    const ops: Promise<unknown>[] = [];
    if (oldCell && oldCell !== newCell) ops.push(this.redis.run(CELL_DEL, [this.keys.cell(oldCell), this.keys.cellTimes(oldCell)], [driverId, newCell ? at.ts : 'inf']));
    if (newCell && at.ts) {
      ops.push(this.redis.run(CELL_PUT, [this.keys.cell(newCell), this.keys.cellTimes(newCell)], [at.lng, at.lat, driverId, at.ts]));
      if (newCell !== oldCell) ops.push(this.redis.commands.sAdd(this.keys.cells(), newCell));
    }
    await Promise.all(ops);
  }
}

function parseReservation(value: string): Reservation {
  const r = JSON.parse(value) as Omit<Reservation, 'createdAt' | 'expiresAt'> & { createdAt: number; expiresAt: number };
  return { ...r, createdAt: new Date(r.createdAt), expiresAt: new Date(r.expiresAt) };
}
