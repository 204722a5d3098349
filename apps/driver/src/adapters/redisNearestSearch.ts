import { VEHICLE_TYPES, type VehicleType } from '../domain/driverProfile.js';
import { cellId, cellsWithin, distanceM, searchRings } from '../domain/geoCells.js';
import type { GeoIndexSettings, NearbyDriver, NearestQuery } from '../ports/geoIndex.js';
import type { RedisConnection } from './redisConnection.js';
import type { RedisGeoKeys } from './redisGeoKeys.js';

/** GEO coordinates are stored as 52-bit geohashes (< 1 m off), so cells are asked a little wider. */
const QUANTIZATION_SLACK_M = 2;

interface Candidate {
  driverId: string;
  cell: string;
  distanceM: number;
}

/**
 * Nearest-K over the cell index, in rings that double until K drivers pass verification:
 * 1. one GEOSEARCH per touched cell (few members each), all in one pipelined round;
 * 2. the nearest candidates are checked against their driver hash and reservation (availability,
 *    vehicle, freshness, same cell: the hash is the truth, a cell entry only a hint).
 * A cell that returns its full COUNT may hold more: results are then exact only up to its last
 * distance (the horizon), and that ring is asked again with a larger COUNT.
 */
export async function searchNearest(
  redis: RedisConnection,
  keys: RedisGeoKeys,
  settings: GeoIndexSettings,
  query: NearestQuery,
  now: number,
): Promise<NearbyDriver[]> {
  const types: readonly VehicleType[] = query.vehicleType ? [query.vehicleType] : VEHICLE_TYPES;
  const rings = searchRings(query.radiusM, settings.firstRingM);
  const verified = new Map<string, NearbyDriver | null>();
  let ring = 0;
  let perCell = query.limit + 8;
  for (;;) {
    const radius = rings[ring]!;
    const cells = types.flatMap((vt) => cellsWithin(query, radius, settings.cellsPerDegree).map((c) => `${vt}:${cellId(c)}`));
    const replies = await Promise.all(
      cells.map((cell) =>
        redis.commands.geoSearchWith(keys.cell(cell), { longitude: query.lng, latitude: query.lat }, { radius: radius + QUANTIZATION_SLACK_M, unit: 'm' }, ['WITHDIST'], {
          SORT: 'ASC',
          COUNT: perCell,
        }),
      ),
    );
    let horizon = radius;
    const candidates: Candidate[] = [];
    replies.forEach((members, i) => {
      const last = members.at(-1);
      if (last && members.length >= perCell) horizon = Math.min(horizon, Number(last.distance) - QUANTIZATION_SLACK_M);
      for (const m of members) candidates.push({ driverId: String(m.member), cell: cells[i]!, distanceM: Number(m.distance) });
    });
    candidates.sort((a, b) => a.distanceM - b.distanceM);
    const found = await verifyNearest(redis, keys, settings, query, now, candidates, horizon, verified);
    if (found.length >= query.limit) return found.slice(0, query.limit);
    if (horizon < radius) perCell *= 4;
    else if (ring < rings.length - 1) ring++;
    else return found;
  }
}

/** Verifies candidates nearest first, in as few rounds as it takes to find `limit` within the horizon. */
async function verifyNearest(
  redis: RedisConnection,
  keys: RedisGeoKeys,
  settings: GeoIndexSettings,
  query: NearestQuery,
  now: number,
  candidates: Candidate[],
  horizon: number,
  verified: Map<string, NearbyDriver | null>,
): Promise<NearbyDriver[]> {
  const inReach = candidates.filter((c) => c.distanceM <= horizon + QUANTIZATION_SLACK_M);
  const tag = (c: Candidate) => `${c.cell}|${c.driverId}`;
  const collect = () => {
    const seen = new Set<string>();
    const out: NearbyDriver[] = [];
    for (const c of inReach) {
      const hit = verified.get(tag(c));
      if (hit && hit.distanceM <= horizon && !seen.has(hit.driverId)) {
        seen.add(hit.driverId);
        out.push(hit);
      }
    }
    return out.sort((a, b) => a.distanceM - b.distanceM);
  };
  for (;;) {
    const found = collect();
    const pending = inReach.filter((c) => !verified.has(tag(c)));
    if (found.length >= query.limit || pending.length === 0) return found;
    const batch = pending.slice(0, (query.limit - found.length) * 2 + 4);
    const checks = await Promise.all(
      batch.map((c) =>
        Promise.all([redis.commands.hmGet(keys.driver(c.driverId), ['st', 'vt', 'ts', 'lat', 'lng', 'cell']), redis.commands.exists(keys.reservation(c.driverId))]),
      ),
    );
    batch.forEach((c, i) => {
      const [[st, vt, ts, lat, lng, cell], reserved] = checks[i]!;
      const fresh = ts != null && now - Number(ts) <= settings.freshnessMs;
      const ok = st === 'available' && cell === c.cell && fresh && reserved === 0 && (!query.vehicleType || vt === query.vehicleType);
      if (!ok) return void verified.set(tag(c), null);
      const position = { lat: Number(lat), lng: Number(lng) };
      verified.set(tag(c), {
        driverId: c.driverId,
        vehicleType: vt as VehicleType,
        ...position,
        distanceM: distanceM(query, position),
        updatedAt: new Date(Number(ts)),
      });
    });
  }
}
