import type { RequestContext } from '@uitgo/kit';
import { NEARBY_RADIUS_MAX_M } from '@uitgo/contracts';
import { assertMaySearch } from '../domain/accessPolicy.js';
import type { VehicleType } from '../domain/driverProfile.js';
import { MAX_SEARCH_CELLS, searchCellCount } from '../domain/geoCells.js';
import { ValidationFailed } from '../domain/errors.js';
import type { NearbyDriver } from '../ports/geoIndex.js';
import { callerOf, type DriverDeps } from './deps.js';

export interface NearbyInput {
  lat: number | undefined;
  lng: number | undefined;
  radiusM: number;
  /** 0 means the default (20). */
  limit: number;
  vehicleType: VehicleType | undefined;
}

/** Available drivers with a fresh position within the radius, nearest first. */
export function makeSearchNearbyDrivers({ geoIndex, metrics, settings }: Pick<DriverDeps, 'geoIndex' | 'metrics' | 'settings'>) {
  return async (ctx: RequestContext, input: NearbyInput): Promise<NearbyDriver[]> => {
    assertMaySearch(callerOf(ctx));
    const fields: { path: string; message: string }[] = [];
    if (input.lat === undefined || !(input.lat >= -90 && input.lat <= 90)) fields.push({ path: 'lat', message: 'must be between -90 and 90' });
    if (input.lng === undefined || !(input.lng >= -180 && input.lng <= 180)) fields.push({ path: 'lng', message: 'must be between -180 and 180' });
    if (!(Number.isInteger(input.radiusM) && input.radiusM >= 1 && input.radiusM <= NEARBY_RADIUS_MAX_M)) {
      fields.push({ path: 'radiusM', message: `must be 1 to ${NEARBY_RADIUS_MAX_M}` });
    }
    if (!(Number.isInteger(input.limit) && input.limit >= 0 && input.limit <= 100)) fields.push({ path: 'limit', message: 'must be 1 to 100' });
    if (fields.length > 0) throw new ValidationFailed(fields);
    // Near the poles a degree of longitude is short and a circle spans a great many grid cells.
    const cells = searchCellCount({ lat: input.lat!, lng: input.lng! }, input.radiusM, settings.geo.cellsPerDegree);
    if (cells > MAX_SEARCH_CELLS) {
      throw new ValidationFailed([{ path: 'radiusM', message: `is too wide at this latitude (${cells} grid cells to scan, at most ${MAX_SEARCH_CELLS}); use a smaller radius` }]);
    }
    const stop = metrics.searchSeconds.startTimer();
    try {
      return await geoIndex.nearest({ lat: input.lat!, lng: input.lng!, radiusM: input.radiusM, limit: input.limit || 20, vehicleType: input.vehicleType }, ctx);
    } finally {
      stop();
    }
  };
}
