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

/** Supply: available drivers near the pickup; without an answer from the driver service, no surge is applied. */
async function supplyNear(deps: Pick<TripDeps, 'drivers' | 'settings' | 'logger'>, ctx: RequestContext, pickup: LatLng, vehicleType: VehicleType): Promise<number | null> {
  try {
    const found = await deps.drivers.nearby(ctx, { center: pickup, radiusM: deps.settings.surge.supplyRadiusM, vehicleType, limit: 100 });
    return found.length;
  } catch (err) {
    deps.logger.warn({ err, traceId: ctx.traceId }, 'driver supply unknown: pricing without surge');
    return null;
  }
}

/** Prices a route now: router distance and duration, surge from supply and demand in the pickup's cell. */
export async function priceRoute(deps: Pick<TripDeps, 'router' | 'drivers' | 'trips' | 'settings' | 'clock' | 'logger'>, ctx: RequestContext, input: RouteInput): Promise<PricedRoute> {
  const route = validRoute(deps, input);
  const { surge, fareTable } = deps.settings;
  const cell = cellOf(route.pickup, surge.cellsPerDegree);
  const [estimate, supply, demand] = await Promise.all([
    deps.router.route(route.pickup, route.dropoff, route.vehicleType),
    supplyNear(deps, ctx, route.pickup, route.vehicleType),
    deps.trips.countRequestsInCell(cell, new Date(deps.clock() - surge.windowMs)),
  ]);
  const multiplier = supply === null ? 1 : surgeMultiplier(surge, demand, supply);
  const fare = calculateFare(fareTable, { vehicleType: route.vehicleType, distanceM: estimate.distanceM, durationS: estimate.durationS, surgeMultiplier: multiplier });
  return { ...route, ...estimate, surgeMultiplier: multiplier, fare, cell };
}
