import type { RequestContext } from '@uitgo/kit';
import { makeEvent } from '@uitgo/contracts';
import { assertIsDriver } from '../domain/accessPolicy.js';
import { DriverBusy, DriverNotVerified, VehicleNotRegistered } from '../domain/errors.js';
import { callerOf, isUuid, syncLiveState, type DriverDeps } from './deps.js';
import type { DriverView } from './views.js';

/**
 * Makes the driver available: needs a vehicle and a verified account, asked of the user service
 * every time (a revoked verification takes effect at the next GoOnline). If the user service
 * cannot answer, the driver stays offline (UNAVAILABLE).
 */
export function makeGoOnline({ drivers, geoIndex, verification }: Pick<DriverDeps, 'drivers' | 'geoIndex' | 'verification'>) {
  return async (ctx: RequestContext, input: { driverId: string }): Promise<DriverView> => {
    assertIsDriver(callerOf(ctx), input.driverId);
    const record = isUuid(input.driverId) ? await drivers.find(input.driverId, ctx) : null;
    if (!record) throw new VehicleNotRegistered();
    if (record.availability === 'on_trip') throw new DriverBusy();
    const status = await verification.statusOf(ctx, input.driverId);
    if (status !== 'verified') throw new DriverNotVerified(status);
    const stored = await drivers.change(input.driverId, (current) => {
      if (!current) throw new VehicleNotRegistered();
      if (current.availability === 'on_trip') throw new DriverBusy();
      if (current.availability === 'available') return { next: null };
      const event = makeEvent('driver.v1.online', current.id, { driverId: current.id, vehicleType: current.vehicleType, at: new Date().toISOString() }, ctx.traceId);
      return { next: { ...current, availability: 'available' }, events: [event] };
    }, ctx);
    // Also when nothing changed: a retry repairs a mirror that missed the first write.
    await syncLiveState(geoIndex, stored!, ctx);
    return { record: stored!, lastLocation: await geoIndex.position(input.driverId, ctx) };
  };
}
