import type { VehicleType } from '@uitgo/contracts';
import { common, driver } from '@uitgo/grpc';
import { isAppError, type GrpcClient, type RequestContext } from '@uitgo/kit';
import type { LatLng } from '../domain/geo.js';
import type { DriverDirectory, DriverVehicle, NearbyDriver, OfferTerms } from '../ports/driverDirectory.js';
import { asTripService } from './asTripService.js';

const { VehicleType: PV } = common;
const TO_PROTO: Record<VehicleType, common.VehicleType> = { bike: PV.VEHICLE_TYPE_BIKE, car4: PV.VEHICLE_TYPE_CAR4, car7: PV.VEHICLE_TYPE_CAR7 };
const FROM_PROTO = new Map(Object.entries(TO_PROTO).map(([k, v]) => [v, k as VehicleType]));

const TRACK_PAGE = 1_000;
const TRACK_MAX_PAGES = 50;

/** The driver service over gRPC. */
export class GrpcDriverDirectory implements DriverDirectory {
  constructor(private readonly client: GrpcClient<typeof driver.DriverServiceDefinition>) {}

  async nearby(ctx: RequestContext, query: { center: LatLng; radiusM: number; vehicleType: VehicleType | null; limit: number }): Promise<NearbyDriver[]> {
    const reply = await this.client.searchNearbyDrivers(
      { center: query.center, radiusM: query.radiusM, limit: query.limit, vehicleType: query.vehicleType ? TO_PROTO[query.vehicleType] : PV.VEHICLE_TYPE_UNSPECIFIED },
      asTripService(ctx),
    );
    return reply.drivers.map((d) => ({ driverId: d.driverId, distanceM: d.distanceM }));
  }

  async reserve(ctx: RequestContext, terms: OfferTerms): Promise<{ reservationId: string } | 'busy'> {
    try {
      const reply = await this.client.reserveDriver(
        {
          driverId: terms.driverId,
          tripId: terms.tripId,
          ttlSeconds: Math.min(120, Math.ceil(terms.ttlMs / 1000)),
          pickup: terms.pickup,
          dropoff: terms.dropoff,
          fare: { amount: terms.fare.amount, currency: terms.fare.currency },
        },
        asTripService(ctx),
      );
      return { reservationId: reply.reservationId };
    } catch (err) {
      if (isAppError(err) && (err.code === 'DRIVER_BUSY' || err.code === 'DRIVER_NOT_FOUND')) return 'busy';
      throw err;
    }
  }

  async release(ctx: RequestContext, driverId: string, tripId: string): Promise<void> {
    await this.client.releaseDriver({ driverId, tripId, reservationId: '' }, asTripService(ctx));
  }

  async setTripStatus(ctx: RequestContext, driverId: string, tripId: string, status: 'on_trip' | 'available'): Promise<void> {
    const proto = status === 'on_trip' ? driver.DriverStatus.DRIVER_STATUS_ON_TRIP : driver.DriverStatus.DRIVER_STATUS_AVAILABLE;
    await this.client.setDriverTripStatus({ driverId, tripId, status: proto }, asTripService(ctx));
  }

  async track(ctx: RequestContext, driverId: string, from: Date, to: Date): Promise<LatLng[]> {
    const points: LatLng[] = [];
    let pageToken = '';
    for (let page = 0; page < TRACK_MAX_PAGES; page++) {
      const reply = await this.client.getLocationTrack({ driverId, startTime: from, endTime: to, pageSize: TRACK_PAGE, pageToken }, asTripService(ctx));
      for (const p of reply.points) if (p.location) points.push({ lat: p.location.lat, lng: p.location.lng });
      if (!reply.nextPageToken) break;
      pageToken = reply.nextPageToken;
    }
    return points;
  }

  async vehicle(ctx: RequestContext, driverId: string): Promise<DriverVehicle | null> {
    try {
      const { profile } = await this.client.getDriverProfile({ driverId }, asTripService(ctx));
      const vehicleType = profile ? FROM_PROTO.get(profile.vehicleType) : undefined;
      if (!profile || !vehicleType) return null;
      return { vehicleType, plateNumber: profile.plateNumber ?? '', vehicleModel: profile.vehicleModel ?? '' };
    } catch (err) {
      if (isAppError(err) && err.code === 'DRIVER_NOT_FOUND') return null;
      throw err;
    }
  }
}
