import { VEHICLE_TYPES, type VehicleType } from '../domain/driverProfile.js';
import { cellId, cellsWithin, distanceM, distanceToCellM, searchRings } from '../domain/geoCells.js';
import type { GeoIndexSettings, NearbyDriver, NearestQuery } from '../ports/geoIndex.js';
import type { RedisConnection } from './redisConnection.js';
import type { RedisGeoKeys } from './redisGeoKeys.js';
import { CELL_SEARCH } from './redisGeoScripts.js';

/** GEO coordinates are stored as 52-bit geohashes (< 1 m off), so cells are asked a little wider. */
const QUANTIZATION_SLACK_M = 2;

/**
 * Nearest-K over the cell index, best first: the cells within the radius are taken nearest
 * first, in waves whose reach doubles from the first ring (300 m, 600 m, ...); a wave is one
 * CELL_SEARCH per cell, all sent together (one round trip per node), and no cell is searched
 * twice. A cell holds only drivers that are available; its script drops stale and held ones and
 * returns the cell's own K nearest within the radius with their exact positions. The search
 * stops as soon as it holds K drivers none of the unsearched cells could beat (the K-th is no
 * farther than the nearest unsearched cell), so a dense city answers from the first wave and an
 * empty area costs one small script per cell in the circle.
 */
export async function searchNearest(
  redis: RedisConnection,
  keys: RedisGeoKeys,
  settings: GeoIndexSettings,
  query: NearestQuery,
  now: number,
): Promise<NearbyDriver[]> {
  const types: readonly VehicleType[] = query.vehicleType ? [query.vehicleType] : VEHICLE_TYPES;
  const center = { lat: query.lat, lng: query.lng };
  const args = [String(query.lng), String(query.lat), String(query.radiusM + QUANTIZATION_SLACK_M), String(query.limit), String(now - settings.freshnessMs), String(query.limit + 8), String(2 * QUANTIZATION_SLACK_M)];
  const cells = cellsWithin(center, query.radiusM, settings.cellsPerDegree)
    .map((cell) => ({ id: cellId(cell), reach: distanceToCellM(center, cell, settings.cellsPerDegree) }))
    .sort((a, b) => a.reach - b.reach);
  const byDriver = new Map<string, NearbyDriver>();
  let next = 0;
  let found: NearbyDriver[] = [];
  for (const ring of searchRings(query.radiusM, settings.firstRingM)) {
    const wave: { vt: VehicleType; cell: string }[] = [];
    for (; next < cells.length && cells[next]!.reach <= ring; next++) for (const vt of types) wave.push({ vt, cell: `${vt}:${cells[next]!.id}` });
    if (wave.length === 0) continue;
    const replies = (await Promise.all(wave.map(({ cell }) => redis.run(CELL_SEARCH, keys.searchKeys(cell), args)))) as string[][];
    replies.forEach((flat, i) => {
      for (let j = 0; j + 1 < flat.length; j += 2) {
        const driverId = flat[j]!;
        const [ts, lat, lng] = flat[j + 1]!.split(',').map(Number) as [number, number, number];
        const position = { lat, lng };
        const d = distanceM(center, position);
        if (!(d <= query.radiusM)) continue;
        // A driver moving between cells may briefly sit in both: the newer position wins.
        const seen = byDriver.get(driverId);
        if (seen && seen.updatedAt.getTime() >= ts) continue;
        byDriver.set(driverId, { driverId, vehicleType: wave[i]!.vt, ...position, distanceM: d, updatedAt: new Date(ts) });
      }
    });
    found = [...byDriver.values()].sort((a, b) => a.distanceM - b.distanceM);
    const kth = found[query.limit - 1];
    if (next >= cells.length || (kth && kth.distanceM <= cells[next]!.reach)) break;
  }
  return found.slice(0, query.limit);
}
