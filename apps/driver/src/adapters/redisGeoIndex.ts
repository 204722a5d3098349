import { SpanKind, traced, type RequestContext } from '@uitgo/kit';
import { redisSpanAttributes } from '@uitgo/kit/kv';
import type { LocationFix } from '../domain/locationPoint.js';
import {
  assertNearestQuery,
  DEFAULT_GEO_SETTINGS,
  type DriverLiveState,
  type FenceOutcome,
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
import { CELL_DEL, CELL_PUT, CELL_SWEEP, FENCE, INGEST, RELEASE, REMOVE, RESERVE, SET_DRIVER } from './redisGeoScripts.js';
import { searchNearest } from './redisNearestSearch.js';

/** A driver's hash outlives a silent app by a week; after that drivers-db seeds it again. */
const DRIVER_TTL_S = String(7 * 24 * 3600);
const SWEEP_BATCH = 1000;
/** A delayed cell write older than this cannot arrive any more: its tombstone can go. */
const TOMBSTONE_KEEP_MS = 10 * 60_000;

/** Where a driver's placement decision puts it: position and freshness, stamp, and reservation hold (Redis ms, 0 = free). */
interface Placement {
  ts: string;
  lat: string;
  lng: string;
  stamp: string;
  hold: string;
}

export interface RedisGeoIndexOptions {
  settings?: Partial<GeoIndexSettings>;
  /** Prepended to every key; must not contain braces. */
  keyPrefix?: string;
  /** Time for freshness and reservation timestamps (expiry itself is Redis's PX). */
  clock?: () => number;
  onError?: (error: Error) => void;
}

/** One client span per index operation, however many commands and scripts it sends; keys are left out: they name drivers. */
const EVALSHA = redisSpanAttributes('EVALSHA');
const HMGET = redisSpanAttributes('HMGET');
const GET = redisSpanAttributes('GET');

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

  setDriver(driverId: string, state: DriverLiveState, context?: RequestContext): Promise<void> {
    return traced(context, 'EVALSHA setDriver', SpanKind.CLIENT, EVALSHA, async () => {
      const args = [state.vehicleType, state.availability, state.tripId ?? '', String(state.version), String(this.settings.cellsPerDegree), DRIVER_TTL_S];
      const reply = (await this.redis.run(SET_DRIVER, this.keys.driverKeys(driverId), args)) as [number, string, string, string, string, string, string, number];
      const [applied, oldCell, newCell, ts, lat, lng, stamp, hold] = reply;
      if (applied !== 1) return;
      await this.place(driverId, oldCell, newCell, { ts, lat, lng, stamp, hold: String(hold) });
    });
  }

  upsert(updates: readonly PositionUpdate[], context?: RequestContext): Promise<UpsertOutcome[]> {
    return traced(context, 'EVALSHA upsert', SpanKind.CLIENT, EVALSHA, async () => {
      const newest = new Map<string, PositionUpdate>();
      for (const u of updates) {
        const kept = newest.get(u.driverId);
        if (!kept || u.recordedAt > kept.recordedAt) newest.set(u.driverId, u);
      }
      const drivers = [...newest.values()];
      const replies = (await Promise.all(
        drivers.map((u) =>
          this.redis.run(INGEST, this.keys.driverKeys(u.driverId), [
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
      )) as ([-1] | [0, number, string] | [1, number, string, string, string, string, number])[];
      const byDriver = new Map<string, UpsertOutcome>();
      const moves: Promise<void>[] = [];
      drivers.forEach((u, i) => {
        const reply = replies[i]!;
        if (reply[0] === -1) return void byDriver.set(u.driverId, { kind: 'unknown' });
        const previous = reply[1] >= 0 ? new Date(reply[1]) : null;
        const tripId = reply[2] || null;
        if (reply[0] === 0) return void byDriver.set(u.driverId, { kind: 'ignored', previous: previous!, tripId });
        byDriver.set(u.driverId, { kind: 'applied', previous, tripId });
        const placement = { ts: String(u.recordedAt.getTime()), lat: String(u.lat), lng: String(u.lng), stamp: reply[5], hold: String(reply[6]) };
        moves.push(this.place(u.driverId, reply[3], reply[4], placement));
      });
      await Promise.all(moves);
      return updates.map((u): UpsertOutcome => {
        const outcome = byDriver.get(u.driverId)!;
        if (outcome.kind !== 'applied' || !outcome.previous || u.recordedAt > outcome.previous) return outcome;
        return { kind: 'ignored', previous: outcome.previous, tripId: outcome.tripId };
      });
    });
  }

  async remove(driverId: string): Promise<void> {
    const [cell, stamp] = (await this.redis.run(REMOVE, this.keys.driverKeys(driverId), [])) as [string, string];
    if (cell) await this.redis.run(CELL_DEL, this.keys.cellKeys(cell), [driverId, stamp]);
  }

  async position(driverId: string, context?: RequestContext): Promise<LocationFix | null> {
    const fields = ['ts', 'lat', 'lng', 'hd', 'sp', 'ac'];
    const [ts, lat, lng, hd, sp, ac] = await traced(context, 'HMGET position', SpanKind.CLIENT, HMGET, () => this.redis.commands.hmGet(this.keys.driver(driverId), fields));
    if (!ts) return null;
    const fix: LocationFix = { lat: Number(lat), lng: Number(lng), recordedAt: new Date(Number(ts)) };
    const [headingDeg, speedKmh, accuracyM] = [optNumber(hd), optNumber(sp), optNumber(ac)];
    if (headingDeg !== undefined) fix.headingDeg = headingDeg;
    if (speedKmh !== undefined) fix.speedKmh = speedKmh;
    if (accuracyM !== undefined) fix.accuracyM = accuracyM;
    return fix;
  }

  async nearest(query: NearestQuery, context?: RequestContext): Promise<NearbyDriver[]> {
    assertNearestQuery(query, this.settings);
    return traced(context, 'EVALSHA nearest', SpanKind.CLIENT, EVALSHA, () => searchNearest(this.redis, this.keys, this.settings, query, this.clock()));
  }

  reserve(request: ReserveRequest, context?: RequestContext): Promise<ReserveOutcome> {
    return traced(context, 'EVALSHA reserve', SpanKind.CLIENT, EVALSHA, async () => {
      const now = this.clock();
      const reservation: Reservation = { ...request, createdAt: new Date(now), expiresAt: new Date(now + request.ttlMs) };
      const { ttlMs: _ttl, ...stored } = { ...request, createdAt: now, expiresAt: now + request.ttlMs };
      const reply = (await this.redis.run(RESERVE, this.keys.driverKeys(request.driverId), [request.tripId, JSON.stringify(stored), String(request.ttlMs)])) as string[];
      const [kind, value] = reply;
      switch (kind) {
        case 'reserved': {
          // The hold reaches the driver's cell before Reserve answers: no later search returns the driver.
          const [, , cell, stamp, hold, ts, lat, lng] = reply as [string, string, string, string, string, string, string, string];
          await this.place(request.driverId, cell, cell, { ts, lat, lng, stamp, hold });
          return { kind, reservation };
        }
        case 'existing':
          return { kind, reservation: parseReservation(value!) };
        case 'held':
          return { kind, holder: parseReservation(value!) };
        case 'unavailable':
          return { kind, availability: value as 'offline' | 'on_trip' };
        default:
          return { kind: 'unknown' };
      }
    });
  }

  release(driverId: string, match: ReleaseMatch, context?: RequestContext): Promise<boolean> {
    return traced(context, 'EVALSHA release', SpanKind.CLIENT, EVALSHA, async () => {
      const args = 'reservationId' in match ? [match.reservationId, ''] : ['', match.tripId];
      const reply = (await this.redis.run(RELEASE, [this.keys.reservation(driverId), this.keys.driver(driverId)], args)) as [number, string?, string?, string?, string?, string?];
      if (reply[0] !== 1) return false;
      const [, cell = '', stamp = '0', ts = '', lat = '', lng = ''] = reply;
      await this.place(driverId, cell, cell, { ts, lat, lng, stamp, hold: '0' });
      return true;
    });
  }

  async reservation(driverId: string, context?: RequestContext): Promise<Reservation | null> {
    const value = await traced(context, 'GET reservation', SpanKind.CLIENT, GET, () => this.redis.commands.get(this.keys.reservation(driverId)));
    return value ? parseReservation(value) : null;
  }

  fence(driverId: string, options: { forMs: number; allowTripId?: string }, context?: RequestContext): Promise<FenceOutcome> {
    return traced(context, 'EVALSHA fence', SpanKind.CLIENT, EVALSHA, async () => {
      const [kind, holder] = (await this.redis.run(FENCE, this.keys.driverKeys(driverId), [options.allowTripId ?? '', String(options.forMs)])) as [string, string?];
      return kind === 'held' ? { kind, holder: parseReservation(holder!) } : { kind: 'fenced' };
    });
  }

  /** One replica at a time (a lock for the interval) removes entries older than the freshness window, old tombstones and lapsed holds. */
  async sweep(): Promise<number> {
    const locked = await this.redis.commands.set(this.keys.sweepLock(), '1', { condition: 'NX', expiration: { type: 'PX', value: 1_000 } });
    if (locked !== 'OK') return 0;
    const cutoff = String(this.clock() - this.settings.freshnessMs);
    const tombstoneCutoff = String((Date.now() - TOMBSTONE_KEEP_MS) * 1000);
    const cells = await this.redis.commands.sMembers(this.keys.cells());
    const results = (await Promise.all(
      cells.map((cell) => this.redis.run(CELL_SWEEP, this.keys.cellKeys(cell), [cutoff, String(SWEEP_BATCH), tombstoneCutoff])),
    )) as [number, number][];
    const empty = cells.filter((_, i) => results[i]![1] === 0);
    if (empty.length > 0) {
      await this.redis.commands.sRem(this.keys.cells(), empty);
      // A driver may have entered meanwhile: such a cell goes back on the list.
      const refilled = await Promise.all(empty.map((cell) => this.redis.commands.zCard(this.keys.cellKeys(cell)[1]!)));
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

  /**
   * Second phase of a placement decision: the new cell gets the entry, the old one loses it. Both
   * carry the decision's stamp, so a cell ignores a write older than one it already applied.
   */
  private async place(driverId: string, oldCell: string, newCell: string, at: Placement): Promise<void> {
    const ops: Promise<unknown>[] = [];
    if (oldCell && oldCell !== newCell) ops.push(this.redis.run(CELL_DEL, this.keys.cellKeys(oldCell), [driverId, at.stamp]));
    if (newCell && at.ts) {
      const put = this.redis.run(CELL_PUT, this.keys.cellKeys(newCell), [at.lng, at.lat, driverId, at.ts, at.stamp, at.hold]);
      ops.push(put.then((applied) => (applied === 2 ? this.redis.commands.sAdd(this.keys.cells(), newCell) : undefined)));
    }
    await Promise.all(ops);
  }
}

function parseReservation(value: string): Reservation {
  const r = JSON.parse(value) as Omit<Reservation, 'createdAt' | 'expiresAt'> & { createdAt: number; expiresAt: number };
  return { ...r, createdAt: new Date(r.createdAt), expiresAt: new Date(r.expiresAt) };
}
