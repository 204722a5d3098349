import { randomUUID } from 'node:crypto';
import type { Trip, TripStatus } from '@uitgo/contracts';
import { trip as proto } from '@uitgo/grpc';
import { protoVehicleType } from '../mappers/driverMappers.js';
import { protoTripStatus } from '../mappers/tripMappers.js';

/** A trip as the API (and the trip events) show it; `at` is its `updatedAt` in ms. */
export function tripView(status: TripStatus, at: number, overrides: Partial<Trip> = {}): Trip {
  return {
    id: randomUUID(),
    passengerId: randomUUID(),
    driverId: status === 'REQUESTED' ? null : randomUUID(),
    status,
    vehicleType: 'car4',
    pickup: { lat: 10.87, lng: 106.8 },
    dropoff: { lat: 10.77, lng: 106.7 },
    quote: { amount: 120_000, currency: 'VND', surgeMultiplier: 1 },
    fare: null,
    distanceM: 15_000,
    createdAt: new Date(at - 60_000).toISOString(),
    updatedAt: new Date(at).toISOString(),
    ...overrides,
  };
}

/** The next state of a trip, `ms` later. */
export const advance = (trip: Trip, status: TripStatus, ms = 1_000, overrides: Partial<Trip> = {}): Trip => ({
  ...trip,
  status,
  updatedAt: new Date(Date.parse(trip.updatedAt) + ms).toISOString(),
  ...overrides,
});

/** The same trip as TripService answers it (what the gateway maps back with `toTrip`). */
export function protoTrip(trip: Trip): proto.Trip {
  return {
    id: trip.id,
    passengerId: trip.passengerId,
    ...(trip.driverId ? { driverId: trip.driverId } : {}),
    status: protoTripStatus(trip.status),
    vehicleType: protoVehicleType(trip.vehicleType),
    pickup: trip.pickup,
    dropoff: trip.dropoff,
    quote: trip.quote,
    fare: undefined,
    distanceM: trip.distanceM,
    createTime: new Date(trip.createdAt),
    updateTime: new Date(trip.updatedAt),
    assignTime: undefined,
    arriveTime: undefined,
    startTime: undefined,
    completeTime: undefined,
    cancelTime: undefined,
    canceledBy: proto.CancelActor.CANCEL_ACTOR_UNSPECIFIED,
  };
}
