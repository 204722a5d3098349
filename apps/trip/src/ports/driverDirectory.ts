import type { Fare, VehicleType } from '@uitgo/contracts';
import type { RequestContext } from '@uitgo/kit';
import type { LatLng } from '../domain/geo.js';

export interface NearbyDriver {
  driverId: string;
  distanceM: number;
}

export interface OfferTerms {
  driverId: string;
  tripId: string;
  ttlMs: number;
  pickup: LatLng;
  dropoff: LatLng;
  fare: Pick<Fare, 'amount' | 'currency'>;
}

export interface DriverVehicle {
  vehicleType: VehicleType;
  plateNumber: string;
  vehicleModel: string;
}

/** What the trip service needs from the driver service; every call is made as the trip service. */
export interface DriverDirectory {
  nearby(ctx: RequestContext, query: { center: LatLng; radiusM: number; vehicleType: VehicleType | null; limit: number }): Promise<NearbyDriver[]>;
  /** Holds the driver for the trip's offer; `busy` when they are offline, on a trip or held for another trip. */
  reserve(ctx: RequestContext, terms: OfferTerms): Promise<{ reservationId: string } | 'busy'>;
  release(ctx: RequestContext, driverId: string, tripId: string): Promise<void>;
  setTripStatus(ctx: RequestContext, driverId: string, tripId: string, status: 'on_trip' | 'available'): Promise<void>;
  /** Recorded positions in [from, to), oldest first. */
  track(ctx: RequestContext, driverId: string, from: Date, to: Date): Promise<LatLng[]>;
  vehicle(ctx: RequestContext, driverId: string): Promise<DriverVehicle | null>;
}
