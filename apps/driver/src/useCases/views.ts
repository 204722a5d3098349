import type { DriverRecord } from '../domain/driverProfile.js';
import type { LocationFix } from '../domain/locationPoint.js';

/** A driver as the RPCs return them: the stored profile and the newest position. */
export interface DriverView {
  record: DriverRecord;
  lastLocation: LocationFix | null;
}
