import type { Fare, VehicleType } from '@uitgo/contracts';
import type { RequestContext } from '@uitgo/kit';
import { ValidationFailed } from '../domain/errors.js';
import { calculateFare, surgeMultiplier } from '../domain/fareCalculator.js';
import { cellOf, validateRoute, type LatLng } from '../domain/geo.js';
import type { TripDeps } from './deps.js';

export interface RouteInput {
  pickup?: Partial<LatLng> | undefined;
  dropoff?: Partial<LatLng> | undefined;
  vehicleType: VehicleType | null | undefined;
}

export interface PricedRoute {
  pickup: LatLng;
  dropoff: LatLng;
  vehicleType: VehicleType;
  distanceM: number;
  durationS: number;
  surgeMultiplier: number;
  fare: Fare;
  cell: string;
}

export function validRoute(deps: Pick<TripDeps, 'settings'>, input: RouteInput) {
  if (!input.vehicleType) throw new ValidationFailed([{ path: 'vehicleType', message: 'must be bike, car4 or car7' }]);
  return { ...validateRoute(input.pickup, input.dropoff, deps.settings.routeLimits), vehicleType: input.vehicleType };
}

/** Prices a route now: router distance and duration, surge from the demand and supply of the pickup's zone. */
export async function priceRoute(deps: Pick<TripDeps, 'router' | 'surge' | 'settings'>, ctx: RequestContext, input: RouteInput): Promise<PricedRoute> {
  const route = validRoute(deps, input);
  const { surge, fareTable } = deps.settings;
  const cell = cellOf(route.pickup, surge.cellsPerDegree);
  const [estimate, { demand, supply }] = await Promise.all([deps.router.route(route.pickup, route.dropoff, route.vehicleType), deps.surge.signals(ctx, cell, route.vehicleType)]);
  const multiplier = supply === null ? 1 : surgeMultiplier(surge, demand, supply);
  const fare = calculateFare(fareTable, { vehicleType: route.vehicleType, distanceM: estimate.distanceM, durationS: estimate.durationS, surgeMultiplier: multiplier });
  return { ...route, ...estimate, surgeMultiplier: multiplier, fare, cell };
}
