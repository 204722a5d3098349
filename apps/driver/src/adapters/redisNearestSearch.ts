import { VEHICLE_TYPES, type VehicleType } from '../domain/driverProfile.js';
import { cellId, cellsWithin, distanceM, searchRings } from '../domain/geoCells.js';
import type { GeoIndexSettings, NearbyDriver, NearestQuery } from '../ports/geoIndex.js';
import type { RedisConnection } from './redisConnection.js';
import type { RedisGeoKeys } from './redisGeoKeys.js';
import { CELL_SEARCH } from './redisGeoScripts.js';

/** GEO coordinates are stored as 52-bit geohashes (< 1 m off), so cells are asked a little wider. */
const QUANTIZATION_SLACK_M = 2;

/**
 * Nearest-K over the cell index, in rings that double until K drivers are found: per ring, one
 * CELL_SEARCH per touched cell, all sent together (one round trip per node). A cell holds only
 * drivers that are available; the script drops stale and held ones and returns the cell's own K
 * nearest with their exact positions, so the K nearest of the union are the answer for the ring.
 */
export async function searchNearest(
  redis: RedisConnection,
  keys: RedisGeoKeys,
  settings: GeoIndexSettings,
  query: NearestQuery,
  now: number,
): Promise<NearbyDriver[]> {
  const types: readonly VehicleType[] = query.vehicleType ? [query.vehicleType] : VEHICLE_TYPES;
  const cutoff = String(now - settings.freshnessMs);
  const limit = String(query.limit);
  const firstCount = String(query.limit + 8);
  const slack = String(2 * QUANTIZATION_SLACK_M);
  const center = { lat: query.lat, lng: query.lng };
  const rings = searchRings(query.radiusM, settings.firstRingM);
  let found: NearbyDriver[] = [];
  for (const radius of rings) {
    const cells = cellsWithin(center, radius, settings.cellsPerDegree).map(cellId);
    const asked = types.flatMap((vt) => cells.map((cell) => ({ vt, cell: `${vt}:${cell}` })));
    const replies = (await Promise.all(
      asked.map(({ cell }) =>
        redis.run(CELL_SEARCH, keys.searchKeys(cell), [String(query.lng), String(query.lat), String(radius + QUANTIZATION_SLACK_M), limit, cutoff, firstCount, slack]),
      ),
    )) as string[][];
    const byDriver = new Map<string, NearbyDriver>();
    replies.forEach((flat, i) => {
      for (let j = 0; j + 1 < flat.length; j += 2) {
        const driverId = flat[j]!;
        const [ts, lat, lng] = flat[j + 1]!.split(',').map(Number) as [number, number, number];
        const position = { lat, lng };
        const d = distanceM(center, position);
        if (!(d <= radius)) continue;
        // A driver moving between cells may briefly sit in both: the newer position wins.
        const seen = byDriver.get(driverId);
        if (seen && seen.updatedAt.getTime() >= ts) continue;
        byDriver.set(driverId, { driverId, vehicleType: asked[i]!.vt, ...position, distanceM: d, updatedAt: new Date(ts) });
      }
    });
    found = [...byDriver.values()].sort((a, b) => a.distanceM - b.distanceM);
    if (found.length >= query.limit) return found.slice(0, query.limit);
  }
  return found;
}
