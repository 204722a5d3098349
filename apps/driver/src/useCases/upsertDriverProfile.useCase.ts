import type { RequestContext } from '@uitgo/kit';
import { makeEvent } from '@uitgo/contracts';
import { assertIsDriver } from '../domain/accessPolicy.js';
import { parseVehicle, type VehicleInput } from '../domain/driverProfile.js';
import { DriverBusy } from '../domain/errors.js';
import { callerOf, syncLiveState, type DriverDeps } from './deps.js';
import type { DriverView } from './views.js';

/** Registers or replaces the driver's vehicle; not while they are on a trip. */
export function makeUpsertDriverProfile({ drivers, geoIndex }: Pick<DriverDeps, 'drivers' | 'geoIndex'>) {
  return async (ctx: RequestContext, input: VehicleInput & { driverId: string }): Promise<DriverView> => {
    assertIsDriver(callerOf(ctx), input.driverId);
    const vehicle = parseVehicle(input);
    const stored = await drivers.change(input.driverId, (current) => {
      if (current?.availability === 'on_trip') throw new DriverBusy('Vehicle details cannot change during a trip');
      const next = {
        id: input.driverId,
        ...vehicle,
        availability: current?.availability ?? 'offline',
        currentTripId: current?.currentTripId ?? null,
      };
      const payload = { driverId: next.id, vehicleType: next.vehicleType, plateNumber: next.plateNumber, vehicleModel: next.vehicleModel, updatedAt: new Date().toISOString() };
      return { next, events: [makeEvent('driver.v1.profile_updated', next.id, payload, ctx.traceId)] };
    }, ctx);
    await syncLiveState(geoIndex, stored!, ctx);
    return { record: stored!, lastLocation: await geoIndex.position(input.driverId, ctx) };
  };
}
