import type { CancelActor, Fare, Trip, TripStatus, VehicleType } from '@uitgo/contracts';
import { common, type driver, trip as proto } from '@uitgo/grpc';
import { toTripView, type TripRecord } from '../domain/trip.js';
import type { OfferUpdate } from '../live/tripLiveHub.js';
import type { QuoteRecord, RatingRecord } from '../ports/tripRepository.js';

const { VehicleType: PV } = common;
const { TripStatus: PS, CancelActor: PC, OfferEventType: PO } = proto;

const VEHICLES: Record<VehicleType, common.VehicleType> = { bike: PV.VEHICLE_TYPE_BIKE, car4: PV.VEHICLE_TYPE_CAR4, car7: PV.VEHICLE_TYPE_CAR7 };
const STATUSES: Record<TripStatus, proto.TripStatus> = {
  REQUESTED: PS.TRIP_STATUS_REQUESTED,
  DRIVER_ASSIGNED: PS.TRIP_STATUS_DRIVER_ASSIGNED,
  ARRIVED: PS.TRIP_STATUS_ARRIVED,
  IN_TRIP: PS.TRIP_STATUS_IN_TRIP,
  COMPLETED: PS.TRIP_STATUS_COMPLETED,
  CANCELED: PS.TRIP_STATUS_CANCELED,
};
const ACTORS: Record<CancelActor, proto.CancelActor> = {
  passenger: PC.CANCEL_ACTOR_PASSENGER,
  driver: PC.CANCEL_ACTOR_DRIVER,
  admin: PC.CANCEL_ACTOR_ADMIN,
  system: PC.CANCEL_ACTOR_SYSTEM,
};

const reverse = <K extends string, V>(map: Record<K, V>) => new Map((Object.entries(map) as [K, V][]).map(([k, v]) => [v, k]));
const VEHICLE_OF = reverse(VEHICLES);
const STATUS_OF = reverse(STATUSES);

export const vehicleTypeFromProto = (type: common.VehicleType): VehicleType | undefined => VEHICLE_OF.get(type);
export const statusFromProto = (status: proto.TripStatus): TripStatus | undefined => STATUS_OF.get(status);

const date = (iso: string | undefined) => (iso ? new Date(iso) : undefined);
const fareToProto = (fare: Fare): proto.Fare => ({ amount: fare.amount, currency: fare.currency, breakdown: fare.breakdown });

export function tripToProto(input: Trip | TripRecord): proto.Trip {
  const trip = 'version' in input ? toTripView(input) : input;
  return {
    id: trip.id,
    passengerId: trip.passengerId,
    ...(trip.driverId ? { driverId: trip.driverId } : {}),
    status: STATUSES[trip.status],
    vehicleType: VEHICLES[trip.vehicleType],
    pickup: trip.pickup,
    dropoff: trip.dropoff,
    quote: { amount: trip.quote.amount, currency: trip.quote.currency, surgeMultiplier: trip.quote.surgeMultiplier },
    fare: trip.fare ? fareToProto(trip.fare) : undefined,
    distanceM: trip.distanceM,
    createTime: date(trip.createdAt),
    updateTime: date(trip.updatedAt),
    assignTime: date(trip.assignedAt),
    arriveTime: date(trip.arrivedAt),
    startTime: date(trip.startedAt),
    completeTime: date(trip.completedAt),
    cancelTime: date(trip.canceledAt),
    ...(trip.cancelReason ? { cancelReason: trip.cancelReason } : {}),
    canceledBy: trip.canceledBy ? ACTORS[trip.canceledBy] : PC.CANCEL_ACTOR_UNSPECIFIED,
  };
}

export function quoteToProto(quote: QuoteRecord): proto.QuoteTripResponse {
  return {
    quoteId: quote.id,
    fare: fareToProto(quote.fare),
    distanceM: quote.distanceM,
    durationS: quote.durationS,
    surgeMultiplier: quote.surgeMultiplier,
    expireTime: quote.expiresAt,
  };
}

export function ratingToProto(rating: RatingRecord): proto.Rating {
  return { ...rating, ...(rating.comment ? { comment: rating.comment } : { comment: undefined }), createTime: rating.createdAt };
}

export function offerToProto(offer: Extract<OfferUpdate, { type: 'offered' }>): driver.Offer {
  return { tripId: offer.tripId, reservationId: offer.reservationId ?? '', pickup: offer.pickup, dropoff: offer.dropoff, fare: offer.fare, expireTime: new Date(offer.expiresAt) };
}

export function offerUpdateToProto(update: OfferUpdate): proto.WatchDriverOffersResponse {
  if (update.type === 'offered') {
    return {
      type: PO.OFFER_EVENT_TYPE_OFFERED,
      driverId: update.driverId,
      offer: offerToProto(update),
    };
  }
  return {
    type: update.type === 'withdrawn' ? PO.OFFER_EVENT_TYPE_WITHDRAWN : PO.OFFER_EVENT_TYPE_EXPIRED,
    driverId: update.driverId,
    offer: { tripId: update.tripId, reservationId: '', pickup: undefined, dropoff: undefined, fare: undefined, expireTime: undefined },
  };
}
