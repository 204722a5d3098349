import type { CancelActor, Fare, FareLine, Trip, TripStatus, VehicleType } from '@uitgo/contracts';
import type { LatLng } from './geo.js';

/** A trip as the trip service stores it; `toTripView` is what the API and events show. */
export interface TripRecord {
  id: string;
  passengerId: string;
  driverId: string | null;
  status: TripStatus;
  vehicleType: VehicleType;
  pickup: LatLng;
  dropoff: LatLng;
  quoteId: string | null;
  quote: { amount: number; surgeMultiplier: number; breakdown: FareLine[] };
  fare: Fare | null;
  distanceM: number;
  durationS: number;
  createdAt: Date;
  updatedAt: Date;
  assignedAt: Date | null;
  arrivedAt: Date | null;
  startedAt: Date | null;
  completedAt: Date | null;
  canceledAt: Date | null;
  cancelReason: string | null;
  canceledBy: CancelActor | null;
  /** Grows with every write to the row: the optimistic-concurrency check. */
  version: number;
  /** Offers made so far (and searches that found nobody), over every dispatch round: numbers the offers. */
  dispatchAttempts: number;
  /**
   * When the current dispatch round began: the request, or the last time the assigned driver gave
   * the trip back. A round's limits (attempts, time) count from here.
   */
  dispatchStartedAt: Date;
  /** `dispatchAttempts` when the current round began: the round's attempts are the ones since. */
  dispatchAttemptsBeforeRound: number;
}

/** What a request fixes about a trip; everything else starts empty. */
export type TripRequest = Pick<TripRecord, 'id' | 'passengerId' | 'vehicleType' | 'pickup' | 'dropoff' | 'quoteId' | 'quote' | 'distanceM' | 'durationS'>;

/** A trip just requested: REQUESTED, no driver, version 1, its first dispatch round starting now. */
export function newTripRecord(request: TripRequest, now: Date): TripRecord {
  return {
    ...request,
    driverId: null,
    status: 'REQUESTED',
    fare: null,
    createdAt: now,
    updatedAt: now,
    assignedAt: null,
    arrivedAt: null,
    startedAt: null,
    completedAt: null,
    canceledAt: null,
    cancelReason: null,
    canceledBy: null,
    version: 1,
    dispatchAttempts: 0,
    dispatchStartedAt: now,
    dispatchAttemptsBeforeRound: 0,
  };
}

export const ACTIVE_STATUSES: readonly TripStatus[] = ['REQUESTED', 'DRIVER_ASSIGNED', 'ARRIVED', 'IN_TRIP'];
export const isActive = (status: TripStatus): boolean => ACTIVE_STATUSES.includes(status);
export const isTerminal = (status: TripStatus): boolean => status === 'COMPLETED' || status === 'CANCELED';

const iso = (d: Date | null) => (d ? { value: d.toISOString() } : undefined);

export function toTripView(trip: TripRecord): Trip {
  const optional = (key: keyof Trip, d: Date | null) => (iso(d) ? { [key]: iso(d)!.value } : {});
  return {
    id: trip.id,
    passengerId: trip.passengerId,
    driverId: trip.driverId,
    status: trip.status,
    vehicleType: trip.vehicleType,
    pickup: trip.pickup,
    dropoff: trip.dropoff,
    quote: { amount: trip.quote.amount, currency: 'VND', surgeMultiplier: trip.quote.surgeMultiplier },
    fare: trip.fare,
    distanceM: trip.distanceM,
    createdAt: trip.createdAt.toISOString(),
    updatedAt: trip.updatedAt.toISOString(),
    ...optional('assignedAt', trip.assignedAt),
    ...optional('arrivedAt', trip.arrivedAt),
    ...optional('startedAt', trip.startedAt),
    ...optional('completedAt', trip.completedAt),
    ...optional('canceledAt', trip.canceledAt),
    ...(trip.cancelReason ? { cancelReason: trip.cancelReason } : {}),
    ...(trip.canceledBy ? { canceledBy: trip.canceledBy } : {}),
  } as Trip;
}
