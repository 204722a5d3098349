import type { RequestContext } from '@uitgo/kit';
import { assertMayReadDriver } from '../domain/accessPolicy.js';
import { DriverNotFound } from '../domain/errors.js';
import { callerOf, isUuid, type DriverDeps } from './deps.js';
import type { DriverView } from './views.js';

export function makeGetDriverProfile({ drivers, geoIndex }: Pick<DriverDeps, 'drivers' | 'geoIndex'>) {
  return async (ctx: RequestContext, input: { driverId: string }): Promise<DriverView> => {
    assertMayReadDriver(callerOf(ctx), input.driverId);
    const record = isUuid(input.driverId) ? await drivers.find(input.driverId, ctx) : null;
    if (!record) throw new DriverNotFound(input.driverId);
    return { record, lastLocation: await geoIndex.position(input.driverId, ctx) };
  };
}
