import type { Caller, RequestContext } from '@uitgo/kit';
import type { LocationArchive } from '@uitgo/kit/archive';
import type { DriverSettings } from '../config.js';
import { requireCaller } from '../domain/accessPolicy.js';
import type { DriverRecord } from '../domain/driverProfile.js';
import type { DriverMetrics } from '../metrics.js';
import type { DriverRepository } from '../ports/driverRepository.js';
import type { DriverVerification } from '../ports/driverVerification.js';
import type { GeoIndex } from '../ports/geoIndex.js';
import type { LocationHistory } from '../ports/locationHistory.js';

/** Everything the driver use-cases may need; each takes only what it uses. */
export interface DriverDeps {
  drivers: DriverRepository;
  geoIndex: GeoIndex;
  verification: DriverVerification;
  history: LocationHistory;
  archive: LocationArchive;
  metrics: DriverMetrics;
  settings: DriverSettings;
  clock: () => number;
}

/** The caller the gateway (or a peer service) put in the call's metadata; UNAUTHENTICATED if none. */
export const callerOf = (ctx: RequestContext): Caller => requireCaller(ctx.caller);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids are UUIDs; anything else cannot name a stored row. */
export const isUuid = (value: string): boolean => UUID.test(value);

/** Mirrors a drivers-db row into the live index (availability, vehicle, trip, version). */
export const syncLiveState = (geoIndex: GeoIndex, record: DriverRecord, ctx: RequestContext): Promise<void> =>
  geoIndex.setDriver(record.id, { vehicleType: record.vehicleType, availability: record.availability, tripId: record.currentTripId, version: record.version }, ctx);
