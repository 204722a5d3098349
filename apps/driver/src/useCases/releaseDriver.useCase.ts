import type { RequestContext } from '@uitgo/kit';
import { assertIsDispatcher } from '../domain/accessPolicy.js';
import { ValidationFailed } from '../domain/errors.js';
import { callerOf, type DriverDeps } from './deps.js';

/** Ends a hold if (and only if) it is the one named; a release of a lapsed hold succeeds. */
export function makeReleaseDriver({ geoIndex }: Pick<DriverDeps, 'geoIndex'>) {
  return async (ctx: RequestContext, input: { driverId: string; reservationId: string; tripId: string }): Promise<{ released: boolean }> => {
    assertIsDispatcher(callerOf(ctx));
    if (!input.driverId) throw new ValidationFailed([{ path: 'driverId', message: 'is required' }]);
    if (!input.reservationId && !input.tripId) throw new ValidationFailed([{ path: 'reservationId', message: 'reservationId or tripId is required' }]);
    const match = input.reservationId ? { reservationId: input.reservationId } : { tripId: input.tripId };
    return { released: await geoIndex.release(input.driverId, match, ctx) };
  };
}
