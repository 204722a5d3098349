import type { RequestContext } from '@uitgo/kit';
import { assertIsDispatcher } from '../domain/accessPolicy.js';
import { DriverBusy, DriverNotFound, ValidationFailed } from '../domain/errors.js';
import { FENCE_MS } from '../ports/geoIndex.js';
import { callerOf, isUuid, syncLiveState, type DriverDeps } from './deps.js';
import type { DriverView } from './views.js';

/**
 * available -> on_trip when the driver accepts (the trip's hold is consumed), on_trip -> available
 * when the trip ends. Repeating a call with the same trip changes nothing. Before on_trip the
 * index is fenced (unless another trip holds the driver), so no other trip's offer reserves the
 * driver between the check and the change in drivers-db.
 */
export function makeSetDriverTripStatus({ drivers, geoIndex }: Pick<DriverDeps, 'drivers' | 'geoIndex'>) {
  return async (ctx: RequestContext, input: { driverId: string; tripId: string; status: 'on_trip' | 'available' | null }): Promise<DriverView> => {
    assertIsDispatcher(callerOf(ctx));
    if (!input.status) throw new ValidationFailed([{ path: 'status', message: 'must be ON_TRIP or AVAILABLE' }]);
    if (!input.tripId) throw new ValidationFailed([{ path: 'tripId', message: 'is required' }]);
    if (!isUuid(input.driverId)) throw new DriverNotFound(input.driverId);
    if (input.status === 'on_trip') {
      const fence = await geoIndex.fence(input.driverId, { forMs: FENCE_MS, allowTripId: input.tripId }, ctx);
      if (fence.kind === 'held') throw new DriverBusy('The driver is holding an offer for another trip');
    }
    const stored = await drivers.change(input.driverId, (current) => {
      if (!current) throw new DriverNotFound(input.driverId);
      if (input.status === 'on_trip') {
        if (current.availability === 'on_trip') {
          if (current.currentTripId === input.tripId) return { next: null };
          throw new DriverBusy('The driver is on another trip');
        }
        if (current.availability === 'offline') throw new DriverBusy('The driver is offline');
        return { next: { ...current, availability: 'on_trip', currentTripId: input.tripId }, events: [] };
      }
      if (current.availability !== 'on_trip') return { next: null };
      if (current.currentTripId !== input.tripId) throw new DriverBusy('The driver is on another trip');
      return { next: { ...current, availability: 'available', currentTripId: null }, events: [] };
    }, ctx);
    await syncLiveState(geoIndex, stored!, ctx);
    if (input.status === 'on_trip') await geoIndex.release(input.driverId, { tripId: input.tripId }, ctx);
    return { record: stored!, lastLocation: await geoIndex.position(input.driverId, ctx) };
  };
}
