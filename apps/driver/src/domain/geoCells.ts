/**
 * The fixed grid of the live index: a cell is `cellsPerDegree`⁻¹ degrees on each side
 * (100 → 0.01°, about 1.1 km at Ho Chi Minh City). Redis Lua scripts compute the same cell with
 * the same double arithmetic (`floor((lat + 90) * cpd)`), so both sides always agree.
 */

/** Redis's own Earth radius (geohelper.c), so distances match GEOSEARCH to the millimetre. */
export const EARTH_RADIUS_M = 6372797.560856;
const RAD = Math.PI / 180;
export const METERS_PER_DEGREE = EARTH_RADIUS_M * RAD;

export interface LatLng {
  lat: number;
  lng: number;
}

export interface CellIndex {
  iy: number;
  ix: number;
}

/** Great-circle distance in metres (haversine, as Redis computes it). */
export function distanceM(a: LatLng, b: LatLng): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLng = (b.lng - a.lng) * RAD;
  const u = Math.sin(dLat / 2);
  const v = Math.sin(dLng / 2);
  const h = u * u + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * v * v;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** lat 90 belongs to the last row and lng 180 is lng -180 (the first column), as searches see them. */
export function cellOf(point: LatLng, cellsPerDegree: number): CellIndex {
  const iy = Math.min(180 * cellsPerDegree - 1, Math.floor((point.lat + 90) * cellsPerDegree));
  const ix = Math.floor((point.lng + 180) * cellsPerDegree);
  return { iy, ix: ix === 360 * cellsPerDegree ? 0 : ix };
}

export const cellId = (cell: CellIndex): string => `${cell.iy}:${cell.ix}`;

/** Shortest distance from `center` to any point of the cell (0 inside it). */
export function distanceToCellM(center: LatLng, cell: CellIndex, cellsPerDegree: number): number {
  const south = cell.iy / cellsPerDegree - 90;
  const west = cell.ix / cellsPerDegree - 180;
  const size = 1 / cellsPerDegree;
  const lat = Math.min(Math.max(center.lat, south), south + size);
  const lng = Math.min(Math.max(center.lng, west), west + size);
  return distanceM(center, { lat, lng });
}

/**
 * The cells a circle touches: the bounding box of the circle in cells, minus the corners that
 * lie wholly outside it. Longitude wraps at the antimeridian; near a pole every column is taken.
 */
export function cellsWithin(center: LatLng, radiusM: number, cellsPerDegree: number): CellIndex[] {
  const { iy0, iy1, ix0, ix1, columns } = cellBox(center, radiusM, cellsPerDegree);
  const cells: CellIndex[] = [];
  for (let iy = iy0; iy <= iy1; iy++) {
    for (let ix = ix0; ix <= ix1; ix++) {
      if (distanceToCellM(center, { iy, ix }, cellsPerDegree) > radiusM) continue;
      cells.push({ iy, ix: ((ix % columns) + columns) % columns });
    }
  }
  return cells;
}

/**
 * The most cells one search may scan. A city radius takes a few hundred (10 km at latitude 11:
 * 292 cells of 0.01°), but a degree of longitude shrinks toward the poles, and near one a circle
 * spans every column (89.99°, 20 km: 663,190 cells): such a search is refused, not run.
 */
export const MAX_SEARCH_CELLS = 4_096;

/** How many cells the bounding box of the circle holds (cellsWithin keeps at most these), without listing them. */
export function searchCellCount(center: LatLng, radiusM: number, cellsPerDegree: number): number {
  const { iy0, iy1, ix0, ix1 } = cellBox(center, radiusM, cellsPerDegree);
  return (iy1 - iy0 + 1) * (ix1 - ix0 + 1);
}

function cellBox(center: LatLng, radiusM: number, cellsPerDegree: number) {
  const latSpan = radiusM / METERS_PER_DEGREE;
  const rows = 180 * cellsPerDegree;
  const columns = 360 * cellsPerDegree;
  const south = Math.max(-90, center.lat - latSpan);
  const north = Math.min(90, center.lat + latSpan);
  const widestCos = Math.cos(Math.max(Math.abs(south), Math.abs(north)) * RAD);
  const lngSpan = widestCos * METERS_PER_DEGREE <= radiusM ? 180 : Math.asin(Math.min(1, Math.sin(radiusM / EARTH_RADIUS_M) / widestCos)) / RAD;
  const iy0 = Math.max(0, Math.floor((south + 90) * cellsPerDegree));
  const iy1 = Math.min(rows - 1, Math.floor((north + 90) * cellsPerDegree));
  const ix0 = Math.floor((center.lng - lngSpan + 180) * cellsPerDegree);
  const ix1 = Math.min(ix0 + columns - 1, Math.floor((center.lng + lngSpan + 180) * cellsPerDegree));
  return { iy0, iy1, ix0, ix1, columns };
}

/**
 * Radii a nearest-K search tries, smallest first: it stops at the first ring holding K fresh,
 * available drivers, so a dense city answers from the first one and only a sparse area pays for
 * the full radius.
 */
export function searchRings(radiusM: number, firstRingM: number): number[] {
  const rings: number[] = [];
  for (let r = Math.min(firstRingM, radiusM); r < radiusM; r *= 2) rings.push(r);
  rings.push(radiusM);
  return rings;
}
