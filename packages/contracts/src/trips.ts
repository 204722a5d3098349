import { z } from 'zod';
import { Amount, Currency, Id, LatLng, LatLngInput, PageQuery, Timestamp, VehicleType, page, text } from './common.js';

export const TRIP_STATUSES = ['REQUESTED', 'DRIVER_ASSIGNED', 'ARRIVED', 'IN_TRIP', 'COMPLETED', 'CANCELED'] as const;
export const TripStatus = z.enum(TRIP_STATUSES);
export type TripStatus = z.infer<typeof TripStatus>;

export const FareLine = z.object({
  code: z.string().meta({ example: 'distance', description: 'Stable id of the line, e.g. base, distance, time, surge' }),
  label: z.string().meta({ example: 'Distance 5.2 km' }),
  amount: Amount,
});
export type FareLine = z.infer<typeof FareLine>;

export const Fare = z.object({
  amount: Amount.nonnegative(),
  currency: Currency,
  breakdown: z.array(FareLine).meta({ description: 'Lines summing to `amount`' }),
});
export type Fare = z.infer<typeof Fare>;

export const SurgeMultiplier = z.number().min(1).meta({ example: 1.2 });

export const QuoteBody = z.strictObject({ pickup: LatLngInput, dropoff: LatLngInput, vehicleType: VehicleType });
export type QuoteBody = z.infer<typeof QuoteBody>;

export const Quote = z.object({
  quoteId: Id,
  fare: Fare,
  distanceM: z.number().int().nonnegative(),
  durationS: z.number().int().nonnegative(),
  surgeMultiplier: SurgeMultiplier,
  expiresAt: Timestamp,
});
export type Quote = z.infer<typeof Quote>;

/** Either book a quote (its price holds until it expires) or ask for a ride priced now. */
export const CreateTripBody = z
  .union([z.strictObject({ quoteId: Id }), QuoteBody])
  .meta({ description: '`{quoteId}` or `{pickup, dropoff, vehicleType}`' });
export type CreateTripBody = z.infer<typeof CreateTripBody>;

export const CancelActor = z.enum(['passenger', 'driver', 'admin', 'system']);
export type CancelActor = z.infer<typeof CancelActor>;

export const Trip = z.object({
  id: Id,
  passengerId: Id,
  driverId: Id.nullable(),
  status: TripStatus,
  vehicleType: VehicleType,
  pickup: LatLng,
  dropoff: LatLng,
  quote: z.object({ amount: Amount.nonnegative(), currency: Currency, surgeMultiplier: SurgeMultiplier }),
  fare: Fare.nullable().meta({ description: 'The final fare; null until COMPLETED' }),
  distanceM: z.number().int().nonnegative(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  assignedAt: Timestamp.optional(),
  arrivedAt: Timestamp.optional(),
  startedAt: Timestamp.optional(),
  completedAt: Timestamp.optional(),
  canceledAt: Timestamp.optional(),
  cancelReason: z.string().optional(),
  canceledBy: CancelActor.optional(),
});
export type Trip = z.infer<typeof Trip>;

export const ListTripsQuery = PageQuery.extend({ status: TripStatus.optional() });
export type ListTripsQuery = z.infer<typeof ListTripsQuery>;

export const TripPage = page(Trip).meta({ description: 'Newest first' });
export type TripPage = z.infer<typeof TripPage>;

/** The body is optional so `POST …/cancel` works without one. */
export const CancelTripBody = z.strictObject({ reason: text({ max: 500, multiline: true }).optional() }).optional();
export type CancelTripBody = z.infer<typeof CancelTripBody>;

export const Receipt = z.object({
  url: z.url().meta({ description: 'Short-lived signed URL of the receipt document' }),
  expiresAt: Timestamp,
});
export type Receipt = z.infer<typeof Receipt>;

export const RatingBody = z.strictObject({
  stars: z.number().int().min(1).max(5),
  comment: text({ min: 0, max: 1000, multiline: true }).optional(),
});
export type RatingBody = z.infer<typeof RatingBody>;

export const Rating = z.object({
  tripId: Id,
  stars: z.number().int().min(1).max(5),
  comment: z.string().nullable(),
  createdAt: Timestamp,
});
export type Rating = z.infer<typeof Rating>;
