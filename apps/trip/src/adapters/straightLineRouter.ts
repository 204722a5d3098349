import type { VehicleType } from '@uitgo/contracts';
import { haversineM, type LatLng } from '../domain/geo.js';
import type { RouteEstimate, Router } from '../ports/router.js';

/** Average door-to-door speeds in city traffic, km/h. */
export const DEFAULT_SPEEDS_KMH: Record<VehicleType, number> = { bike: 25, car4: 22, car7: 20 };

/** Roads are longer than the straight line; 1.3 is the usual urban detour factor. */
export const DEFAULT_ROAD_FACTOR = 1.3;

export class StraightLineRouter implements Router {
  constructor(
    private readonly roadFactor = DEFAULT_ROAD_FACTOR,
    private readonly speedsKmh: Record<VehicleType, number> = DEFAULT_SPEEDS_KMH,
  ) {}

  async route(from: LatLng, to: LatLng, vehicleType: VehicleType): Promise<RouteEstimate> {
    const distanceM = Math.round(haversineM(from, to) * this.roadFactor);
    const metresPerSecond = (this.speedsKmh[vehicleType] * 1000) / 3600;
    return { distanceM, durationS: Math.round(distanceM / metresPerSecond) };
  }
}
