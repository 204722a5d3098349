import type { Caller } from '@uitgo/kit';
import { Forbidden, Unauthenticated } from './errors.js';

/** The caller comes from metadata set by the gateway (or a peer service); none means nobody signed in. */
export function requireCaller(caller: Caller | undefined): Caller {
  if (!caller || caller.userId === '') throw new Unauthenticated();
  return caller;
}

const isSelfDriver = (caller: Caller, driverId: string): boolean => caller.role === 'driver' && caller.userId === driverId;
const isStaff = (caller: Caller): boolean => caller.role === 'admin' || caller.role === 'service';

/** Profile changes, availability and own positions: the driver themselves only. */
export function assertIsDriver(caller: Caller, driverId: string): void {
  if (!isSelfDriver(caller, driverId)) throw new Forbidden('Drivers may only act on their own profile');
}

/** Reading a profile, offers or a track: the driver, an admin, or a peer service (trip, gateway). */
export function assertMayReadDriver(caller: Caller, driverId: string): void {
  if (!isSelfDriver(caller, driverId) && !isStaff(caller)) throw new Forbidden('You may only read your own driver profile');
}

/** Going offline: the driver, or an admin taking them off the road. */
export function assertMayTakeOffline(caller: Caller, driverId: string): void {
  if (!isSelfDriver(caller, driverId) && caller.role !== 'admin') throw new Forbidden('Drivers may only change their own availability');
}

/** Nearby search: passengers (before asking for a ride), admins and peer services. */
export function assertMaySearch(caller: Caller): void {
  if (caller.role === 'driver') throw new Forbidden('Drivers may not search for other drivers');
}

/** Dispatch (reserve, release, trip status): the trip service, or an admin repairing state. */
export function assertIsDispatcher(caller: Caller): void {
  if (!isStaff(caller)) throw new Forbidden('Only the trip service dispatches drivers');
}

/** A location stream: the gateway (a service multiplexing many drivers) or one driver streaming their own. */
export function assertMayStream(caller: Caller): void {
  if (caller.role !== 'service' && caller.role !== 'driver') throw new Forbidden('Only drivers report positions');
}

/** Whether a stream caller may report for this driver. */
export const mayReportFor = (caller: Caller, driverId: string): boolean => caller.role === 'service' || caller.userId === driverId;
