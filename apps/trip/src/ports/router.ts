import type { VehicleType } from '@uitgo/contracts';
import type { LatLng } from '../domain/geo.js';

export interface RouteEstimate {
  distanceM: number;
  durationS: number;
}

/** Distance and duration of a ride; the straight-line estimate today, a road router (OSRM) later. */
export interface Router {
  route(from: LatLng, to: LatLng, vehicleType: VehicleType): Promise<RouteEstimate>;
}
