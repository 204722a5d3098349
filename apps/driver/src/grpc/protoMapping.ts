import { common, driver } from '@uitgo/grpc';
import type { ArchivedLocation } from '@uitgo/kit/archive';
import type { Availability, VehicleType } from '../domain/driverProfile.js';
import type { LocationFix, RawLocationFix } from '../domain/locationPoint.js';
import type { NearbyDriver, OfferDetails, Reservation } from '../ports/geoIndex.js';
import type { DriverView } from '../useCases/views.js';

const { VehicleType: PV } = common;
const { DriverStatus: PS } = driver;

const VEHICLE_TO_PROTO: Record<VehicleType, common.VehicleType> = { bike: PV.VEHICLE_TYPE_BIKE, car4: PV.VEHICLE_TYPE_CAR4, car7: PV.VEHICLE_TYPE_CAR7 };
const STATUS_TO_PROTO: Record<Availability, driver.DriverStatus> = {
  offline: PS.DRIVER_STATUS_OFFLINE,
  available: PS.DRIVER_STATUS_AVAILABLE,
  on_trip: PS.DRIVER_STATUS_ON_TRIP,
};

export const vehicleTypeToProto = (type: VehicleType): common.VehicleType => VEHICLE_TO_PROTO[type];

export function vehicleTypeFromProto(type: common.VehicleType): VehicleType | undefined {
  return (Object.keys(VEHICLE_TO_PROTO) as VehicleType[]).find((key) => VEHICLE_TO_PROTO[key] === type);
}

export function tripStatusFromProto(status: driver.DriverStatus): 'on_trip' | 'available' | null {
  if (status === PS.DRIVER_STATUS_ON_TRIP) return 'on_trip';
  if (status === PS.DRIVER_STATUS_AVAILABLE) return 'available';
  return null;
}

export function fixFromProto(point: driver.LocationPoint | undefined): RawLocationFix | undefined {
  if (!point) return undefined;
  return {
    lat: point.location?.lat,
    lng: point.location?.lng,
    recordedAt: point.recordedTime,
    headingDeg: point.headingDeg,
    speedKmh: point.speedKmh,
    accuracyM: point.accuracyM,
  };
}

export function fixToProto(fix: LocationFix | ArchivedLocation): driver.LocationPoint {
  return {
    location: { lat: fix.lat, lng: fix.lng },
    headingDeg: fix.headingDeg,
    speedKmh: fix.speedKmh,
    accuracyM: fix.accuracyM,
    recordedTime: fix.recordedAt,
  };
}

export function profileToProto({ record, lastLocation }: DriverView): driver.DriverProfile {
  return {
    driverId: record.id,
    vehicleType: vehicleTypeToProto(record.vehicleType),
    plateNumber: record.plateNumber,
    vehicleModel: record.vehicleModel,
    status: STATUS_TO_PROTO[record.availability],
    lastLocation: lastLocation ? fixToProto(lastLocation) : undefined,
    updateTime: record.updatedAt,
  };
}

export function nearbyToProto(found: NearbyDriver): driver.NearbyDriver {
  return {
    driverId: found.driverId,
    vehicleType: vehicleTypeToProto(found.vehicleType),
    location: { lat: found.lat, lng: found.lng },
    distanceM: found.distanceM,
    updateTime: found.updatedAt,
  };
}

export function offerFromProto(request: driver.ReserveDriverRequest): OfferDetails | undefined {
  if (!request.pickup || !request.dropoff || !request.fare) return undefined;
  return {
    pickup: { lat: request.pickup.lat, lng: request.pickup.lng },
    dropoff: { lat: request.dropoff.lat, lng: request.dropoff.lng },
    fare: { amount: request.fare.amount, currency: request.fare.currency || 'VND' },
  };
}

export function offerToProto(reservation: Reservation): driver.Offer {
  return {
    tripId: reservation.tripId,
    reservationId: reservation.reservationId,
    pickup: reservation.offer.pickup,
    dropoff: reservation.offer.dropoff,
    fare: reservation.offer.fare,
    expireTime: reservation.expiresAt,
  };
}
