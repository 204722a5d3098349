import type { RequestContext } from '@uitgo/kit';
import { assertMayReadDriver } from '../domain/accessPolicy.js';
import type { Reservation } from '../ports/geoIndex.js';
import { callerOf, type DriverDeps } from './deps.js';

/** A reservation is the offer: the driver sees it exactly while it holds them. */
export function makeListOffers({ geoIndex }: Pick<DriverDeps, 'geoIndex'>) {
  return async (ctx: RequestContext, input: { driverId: string }): Promise<Reservation[]> => {
    assertMayReadDriver(callerOf(ctx), input.driverId);
    const held = await geoIndex.reservation(input.driverId, ctx);
    return held ? [held] : [];
  };
}
