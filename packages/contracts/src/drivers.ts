import { z } from 'zod';
import { ClientTimestamp, Id, Latitude, LatLng, Longitude, Money, Timestamp, VehicleType, list, text } from './common.js';

export const DriverStatus = z.enum(['offline', 'available', 'on_trip']);
export type DriverStatus = z.infer<typeof DriverStatus>;

/** Vietnamese plates look like `51F-123.45` or `59X1-234.56`; stored uppercased. */
export const PlateNumber = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9.\- ]{3,14}$/, { error: 'must be 4 to 15 letters, digits, dots, dashes or spaces' })
  .meta({ example: '51F-123.45' });

export const UpsertVehicleBody = z.strictObject({
  vehicleType: VehicleType,
  plateNumber: PlateNumber,
  vehicleModel: text({ max: 80 }).meta({ example: 'Toyota Vios 2022' }),
});
export type UpsertVehicleBody = z.infer<typeof UpsertVehicleBody>;

const locationFields = {
  lat: Latitude,
  lng: Longitude,
  headingDeg: z.number().min(0).lt(360).optional().meta({ description: 'Direction of travel, clockwise from north' }),
  speedKmh: z.number().min(0).max(300).optional(),
  accuracyM: z.number().min(0).max(10_000).optional().meta({ description: 'GPS accuracy radius in metres' }),
};

/** One GPS fix sent by a driver's device. */
export const LocationPoint = z.strictObject({ ...locationFields, recordedAt: ClientTimestamp });
export type LocationPoint = z.infer<typeof LocationPoint>;

export const MAX_LOCATION_BATCH = 100;

const windowMs = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

/**
 * Server settings: the window a fix's `recordedAt` must fall in. The driver service enforces it;
 * the gateway reads the same variables to tell a driver at once why a single fix (REST or
 * WebSocket) was refused, so set them alike on both.
 */
export const fixWindowSettings = {
  /** A fix may be this far ahead of the server's clock (device clocks drift). */
  DRIVER_LOCATION_MAX_FUTURE_SKEW_MS: windowMs(0, 60_000, 5_000),
  /** A fix older than this on arrival is refused. */
  DRIVER_LOCATION_MAX_AGE_MS: windowMs(1_000, 3_600_000, 120_000),
};

/** The window of `fixWindowSettings`, in milliseconds. */
export interface FixWindow {
  maxFutureSkewMs: number;
  maxAgeMs: number;
}

/** The window as the settings parsed from `fixWindowSettings` give it. */
export const fixWindowOf = (settings: { DRIVER_LOCATION_MAX_FUTURE_SKEW_MS: number; DRIVER_LOCATION_MAX_AGE_MS: number }): FixWindow => ({
  maxFutureSkewMs: settings.DRIVER_LOCATION_MAX_FUTURE_SKEW_MS,
  maxAgeMs: settings.DRIVER_LOCATION_MAX_AGE_MS,
});

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * What is wrong with the time of a fix recorded at `atMs` (epoch ms) when the server's clock
 * reads `now`, or undefined if it falls in the window: the driver service's check, which the
 * gateway also runs on single fixes to answer the driver itself.
 */
export function fixTimeProblem(atMs: number, now: number, window: FixWindow): string | undefined {
  if (atMs > now + window.maxFutureSkewMs) return `is more than ${seconds(window.maxFutureSkewMs)} in the future; check the phone clock`;
  if (atMs < now - window.maxAgeMs) return `is more than ${seconds(window.maxAgeMs)} old`;
  return undefined;
}

export const LocationBatchBody = z.strictObject({
  points: z
    .array(LocationPoint)
    .min(1)
    .max(MAX_LOCATION_BATCH)
    .meta({ description: `Buffered fixes, oldest first, up to ${MAX_LOCATION_BATCH}` }),
});
export type LocationBatchBody = z.infer<typeof LocationBatchBody>;

export const LocationBatchAccepted = z.object({
  accepted: z.number().int().nonnegative().meta({ description: 'How many points were recorded' }),
});
export type LocationBatchAccepted = z.infer<typeof LocationBatchAccepted>;

/** A recorded fix as the platform returns it (UTC time). */
export const DriverLocation = z.object({ ...locationFields, recordedAt: Timestamp });
export type DriverLocation = z.infer<typeof DriverLocation>;

export const DriverProfile = z.object({
  id: Id.meta({ description: 'The driver\'s user id' }),
  vehicleType: VehicleType.nullable().meta({ description: 'null until the vehicle is registered' }),
  plateNumber: z.string().nullable(),
  vehicleModel: z.string().nullable(),
  status: DriverStatus,
  lastLocation: DriverLocation.nullable(),
});
export type DriverProfile = z.infer<typeof DriverProfile>;

export const NEARBY_RADIUS_DEFAULT_M = 3_000;
/** Searches reach 10 km at most: a city's nearest drivers, at a bounded cost per search. */
export const NEARBY_RADIUS_MAX_M = 10_000;

export const NearbyDriversQuery = z.object({
  lat: z.coerce.number().min(-90).max(90),
  lng: z.coerce.number().min(-180).max(180),
  radiusM: z.coerce.number().int().min(1).max(NEARBY_RADIUS_MAX_M).default(NEARBY_RADIUS_DEFAULT_M),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  vehicleType: VehicleType.optional(),
});
export type NearbyDriversQuery = z.infer<typeof NearbyDriversQuery>;

export const NearbyDriver = z.object({
  driverId: Id,
  vehicleType: VehicleType,
  location: LatLng,
  distanceM: z.number().nonnegative(),
  updatedAt: Timestamp,
});
export type NearbyDriver = z.infer<typeof NearbyDriver>;

export const NearbyDriverList = list(NearbyDriver).meta({ description: 'Nearest first' });
export type NearbyDriverList = z.infer<typeof NearbyDriverList>;

/** A ride offered to this driver, waiting for accept or decline until `expiresAt`. */
export const TripOffer = z.object({
  tripId: Id,
  pickup: LatLng,
  dropoff: LatLng,
  fare: Money,
  expiresAt: Timestamp,
});
export type TripOffer = z.infer<typeof TripOffer>;

export const TripOfferList = list(TripOffer);
export type TripOfferList = z.infer<typeof TripOfferList>;
