import type { RequestContext } from '@uitgo/kit';
import { makeEvent } from '@uitgo/contracts';
import { assertMayTakeOffline } from '../domain/accessPolicy.js';
import { DriverBusy, DriverNotFound } from '../domain/errors.js';
import { FENCE_MS } from '../ports/geoIndex.js';
import { callerOf, isUuid, syncLiveState, type DriverDeps } from './deps.js';
import type { DriverView } from './views.js';

/**
 * Takes the driver out of search; not while on a trip or held for an offer. The index is fenced
 * first (atomically with the offer check), so no offer can reserve the driver between the check
 * and the change in drivers-db.
 */
export function makeGoOffline({ drivers, geoIndex }: Pick<DriverDeps, 'drivers' | 'geoIndex'>) {
  return async (ctx: RequestContext, input: { driverId: string }): Promise<DriverView> => {
    assertMayTakeOffline(callerOf(ctx), input.driverId);
    if (!isUuid(input.driverId)) throw new DriverNotFound(input.driverId);
    const fence = await geoIndex.fence(input.driverId, { forMs: FENCE_MS }, ctx);
    if (fence.kind === 'held') throw new DriverBusy('The driver has an offer waiting; answer it first');
    const stored = await drivers.change(input.driverId, (current) => {
      if (!current) throw new DriverNotFound(input.driverId);
      if (current.availability === 'on_trip') throw new DriverBusy();
      if (current.availability === 'offline') return { next: null };
      const event = makeEvent('driver.v1.offline', current.id, { driverId: current.id, at: new Date().toISOString(), reason: 'requested' }, ctx.traceId);
      return { next: { ...current, availability: 'offline' }, events: [event] };
    }, ctx);
    await syncLiveState(geoIndex, stored!, ctx);
    return { record: stored!, lastLocation: await geoIndex.position(input.driverId, ctx) };
  };
}
