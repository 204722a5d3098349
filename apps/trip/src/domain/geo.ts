import { ValidationFailed } from './errors.js';

export interface LatLng {
  lat: number;
  lng: number;
}

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres. */
export function haversineM(a: LatLng, b: LatLng): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Length of a recorded path, point to point. */
export function pathLengthM(points: readonly LatLng[]): number {
  let total = 0;
  for (let i = 1; i < points.length; i++) total += haversineM(points[i - 1]!, points[i]!);
  return total;
}

/** The grid cell a point falls in (`cellsPerDegree` 50 ≈ 2.2 km), used to count demand. */
export function cellOf(point: LatLng, cellsPerDegree: number): string {
  return `${Math.floor(point.lat * cellsPerDegree)}:${Math.floor(point.lng * cellsPerDegree)}`;
}

/** The centre of a cell named by `cellOf`. */
export function cellCenter(cell: string, cellsPerDegree: number): LatLng {
  const [iy, ix] = cell.split(':').map(Number) as [number, number];
  return { lat: (iy + 0.5) / cellsPerDegree, lng: (ix + 0.5) / cellsPerDegree };
}

export interface RouteLimits {
  /** Closer than this, pickup and dropoff are the same place. */
  minDistanceM: number;
  /** Farther than this (straight line), the ride is not a city ride. */
  maxDistanceM: number;
}

export const DEFAULT_ROUTE_LIMITS: RouteLimits = { minDistanceM: 20, maxDistanceM: 100_000 };

const inRange = (value: unknown, limit: number): value is number => typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= limit;

/** Pickup and dropoff must be real positions, apart, and not absurdly far apart; returns them typed. */
export function validateRoute(
  pickup: Partial<LatLng> | undefined,
  dropoff: Partial<LatLng> | undefined,
  limits: RouteLimits = DEFAULT_ROUTE_LIMITS,
): { pickup: LatLng; dropoff: LatLng } {
  const fields: { path: string; message: string }[] = [];
  for (const [name, point] of [['pickup', pickup], ['dropoff', dropoff]] as const) {
    if (!point) fields.push({ path: name, message: 'is required' });
    else {
      if (!inRange(point.lat, 90)) fields.push({ path: `${name}.lat`, message: 'must be between -90 and 90' });
      if (!inRange(point.lng, 180)) fields.push({ path: `${name}.lng`, message: 'must be between -180 and 180' });
    }
  }
  if (fields.length > 0) throw new ValidationFailed(fields);
  const route = { pickup: { lat: pickup!.lat!, lng: pickup!.lng! }, dropoff: { lat: dropoff!.lat!, lng: dropoff!.lng! } };
  const apart = haversineM(route.pickup, route.dropoff);
  if (apart < limits.minDistanceM) throw new ValidationFailed([{ path: 'dropoff', message: 'must differ from the pickup' }]);
  if (apart > limits.maxDistanceM) throw new ValidationFailed([{ path: 'dropoff', message: `must be within ${limits.maxDistanceM / 1000} km of the pickup` }]);
  return route;
}
