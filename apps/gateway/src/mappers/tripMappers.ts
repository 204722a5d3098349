import type { CancelActor, Fare, Quote, Rating, Receipt, Trip, TripPage, TripStatus } from '@uitgo/contracts';
import { trip as proto } from '@uitgo/grpc';
import { vehicleTypeOf } from './driverMappers.js';
import { isoOf, required } from './protoValues.js';

const PS = proto.TripStatus;
const STATUSES = new Map<proto.TripStatus, TripStatus>([
  [PS.TRIP_STATUS_REQUESTED, 'REQUESTED'],
  [PS.TRIP_STATUS_DRIVER_ASSIGNED, 'DRIVER_ASSIGNED'],
  [PS.TRIP_STATUS_ARRIVED, 'ARRIVED'],
  [PS.TRIP_STATUS_IN_TRIP, 'IN_TRIP'],
  [PS.TRIP_STATUS_COMPLETED, 'COMPLETED'],
  [PS.TRIP_STATUS_CANCELED, 'CANCELED'],
]);
const STATUS_VALUES = new Map([...STATUSES].map(([k, v]) => [v, k]));

const PC = proto.CancelActor;
const ACTORS = new Map<proto.CancelActor, CancelActor>([
  [PC.CANCEL_ACTOR_PASSENGER, 'passenger'],
  [PC.CANCEL_ACTOR_DRIVER, 'driver'],
  [PC.CANCEL_ACTOR_ADMIN, 'admin'],
  [PC.CANCEL_ACTOR_SYSTEM, 'system'],
]);

/** TRIP_STATUS_UNSPECIFIED (no filter) when the query has no status. */
export const protoTripStatus = (status: TripStatus | undefined): proto.TripStatus =>
  status ? STATUS_VALUES.get(status)! : PS.TRIP_STATUS_UNSPECIFIED;

function tripStatusOf(status: proto.TripStatus): TripStatus {
  const found = STATUSES.get(status);
  if (!found) throw new Error(`the service answered with an unknown trip status ${status}`);
  return found;
}

/** Only VND is offered; anything else is a bug in the trip service. */
function currencyOf(currency: string): 'VND' {
  if (currency !== 'VND') throw new Error(`the service answered with an unknown currency ${currency}`);
  return currency;
}

const latLngOf = (point: { lat: number; lng: number } | undefined, what: string) => {
  const p = required(point, what);
  return { lat: p.lat, lng: p.lng };
};

const optionalIso = <K extends string>(key: K, date: Date | undefined): { [P in K]?: string } =>
  (date ? { [key]: date.toISOString() } : {}) as { [P in K]?: string };

export const toFare = (fare: proto.Fare): Fare => ({
  amount: fare.amount,
  currency: currencyOf(fare.currency),
  breakdown: fare.breakdown.map((line) => ({ code: line.code, label: line.label, amount: line.amount })),
});

export const toTrip = (trip: proto.Trip | undefined): Trip => {
  const t = required(trip, 'the trip');
  const quote = required(t.quote, 'the quoted price');
  const canceledBy = ACTORS.get(t.canceledBy);
  return {
    id: t.id,
    passengerId: t.passengerId,
    driverId: t.driverId || null,
    status: tripStatusOf(t.status),
    vehicleType: required(vehicleTypeOf(t.vehicleType) ?? undefined, 'the vehicle type'),
    pickup: latLngOf(t.pickup, 'the pickup'),
    dropoff: latLngOf(t.dropoff, 'the dropoff'),
    quote: { amount: quote.amount, currency: currencyOf(quote.currency), surgeMultiplier: quote.surgeMultiplier },
    fare: t.fare ? toFare(t.fare) : null,
    distanceM: t.distanceM,
    createdAt: isoOf(t.createTime, 'the trip creation time'),
    updatedAt: isoOf(t.updateTime, 'the trip update time'),
    ...optionalIso('assignedAt', t.assignTime),
    ...optionalIso('arrivedAt', t.arriveTime),
    ...optionalIso('startedAt', t.startTime),
    ...optionalIso('completedAt', t.completeTime),
    ...optionalIso('canceledAt', t.cancelTime),
    ...(t.cancelReason ? { cancelReason: t.cancelReason } : {}),
    ...(canceledBy ? { canceledBy } : {}),
  };
};

export const toTripPage = (answer: proto.ListTripsResponse): TripPage => ({
  items: answer.trips.map(toTrip),
  nextCursor: answer.nextPageToken || null,
});

export const toQuote = (answer: proto.QuoteTripResponse): Quote => ({
  quoteId: answer.quoteId,
  fare: toFare(required(answer.fare, 'the fare')),
  distanceM: answer.distanceM,
  durationS: answer.durationS,
  surgeMultiplier: answer.surgeMultiplier,
  expiresAt: isoOf(answer.expireTime, 'the quote expiry'),
});

export const toReceipt = (answer: proto.GetReceiptResponse): Receipt => ({
  url: answer.url,
  expiresAt: isoOf(answer.expireTime, 'the receipt link expiry'),
});

export const toRating = (rating: proto.Rating | undefined): Rating => {
  const r = required(rating, 'the rating');
  return { tripId: r.tripId, stars: r.stars, comment: r.comment ?? null, createdAt: isoOf(r.createTime, 'the rating time') };
};
