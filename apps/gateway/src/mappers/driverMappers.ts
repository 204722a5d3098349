import type { DriverLocation, DriverProfile, DriverStatus, DriverTrack, LocationPoint, NearbyDriver, TripOffer, VehicleType } from '@uitgo/contracts';
import { common, driver } from '@uitgo/grpc';
import { isoOf, required } from './protoValues.js';

const VT = common.VehicleType;
const VEHICLE_TYPES = new Map<common.VehicleType, VehicleType>([
  [VT.VEHICLE_TYPE_BIKE, 'bike'],
  [VT.VEHICLE_TYPE_CAR4, 'car4'],
  [VT.VEHICLE_TYPE_CAR7, 'car7'],
]);
const VEHICLE_TYPE_VALUES = new Map([...VEHICLE_TYPES].map(([k, v]) => [v, k]));

/** `null` for VEHICLE_TYPE_UNSPECIFIED (no vehicle registered yet). */
export const vehicleTypeOf = (type: common.VehicleType): VehicleType | null => VEHICLE_TYPES.get(type) ?? null;
export const protoVehicleType = (type: VehicleType | undefined): common.VehicleType =>
  type ? VEHICLE_TYPE_VALUES.get(type)! : VT.VEHICLE_TYPE_UNSPECIFIED;

const DS = driver.DriverStatus;
const STATUSES = new Map<driver.DriverStatus, DriverStatus>([
  [DS.DRIVER_STATUS_OFFLINE, 'offline'],
  [DS.DRIVER_STATUS_AVAILABLE, 'available'],
  [DS.DRIVER_STATUS_ON_TRIP, 'on_trip'],
]);
const statusOf = (status: driver.DriverStatus): DriverStatus => {
  const found = STATUSES.get(status);
  if (!found) throw new Error(`the service answered with an unknown driver status ${status}`);
  return found;
};

/** A client's fix as the proto carries it; `recordedAt` keeps its instant whatever offset it was sent with. */
export const toProtoPoint = (point: LocationPoint): driver.LocationPoint => ({
  location: { lat: point.lat, lng: point.lng },
  headingDeg: point.headingDeg,
  speedKmh: point.speedKmh,
  accuracyM: point.accuracyM,
  recordedTime: new Date(point.recordedAt),
});

export const toDriverLocation = (point: driver.LocationPoint): DriverLocation => {
  const location = required(point.location, 'the position');
  return {
    lat: location.lat,
    lng: location.lng,
    ...(point.headingDeg !== undefined ? { headingDeg: point.headingDeg } : {}),
    ...(point.speedKmh !== undefined ? { speedKmh: point.speedKmh } : {}),
    ...(point.accuracyM !== undefined ? { accuracyM: point.accuracyM } : {}),
    recordedAt: isoOf(point.recordedTime, 'the position time'),
  };
};

export const toDriverProfile = (profile: driver.DriverProfile | undefined): DriverProfile => {
  const p = required(profile, 'the driver profile');
  return {
    id: p.driverId,
    vehicleType: vehicleTypeOf(p.vehicleType),
    plateNumber: p.plateNumber ?? null,
    vehicleModel: p.vehicleModel ?? null,
    status: statusOf(p.status),
    lastLocation: p.lastLocation ? toDriverLocation(p.lastLocation) : null,
  };
};

export const toNearbyDriver = (found: driver.NearbyDriver): NearbyDriver => {
  const location = required(found.location, 'the driver position');
  return {
    driverId: found.driverId,
    vehicleType: required(vehicleTypeOf(found.vehicleType) ?? undefined, 'the vehicle type'),
    location: { lat: location.lat, lng: location.lng },
    distanceM: found.distanceM,
    updatedAt: isoOf(found.updateTime, 'the position time'),
  };
};

export const toTripOffer = (offer: driver.Offer): TripOffer => {
  const fare = required(offer.fare, 'the fare');
  const pickup = required(offer.pickup, 'the pickup');
  const dropoff = required(offer.dropoff, 'the dropoff');
  return {
    tripId: offer.tripId,
    pickup: { lat: pickup.lat, lng: pickup.lng },
    dropoff: { lat: dropoff.lat, lng: dropoff.lng },
    fare: { amount: fare.amount, currency: 'VND' },
    expiresAt: isoOf(offer.expireTime, 'the offer expiry'),
  };
};

export const toDriverTrack = (answer: driver.GetLocationTrackResponse): DriverTrack => ({
  items: answer.points.map(toDriverLocation),
  nextCursor: answer.nextPageToken || null,
});
