import { z } from 'zod';
import { Id, LatLng, Money, Role, Timestamp, VehicleType } from './common.js';
import { DriverLocation } from './drivers.js';
import { CancelActor, Trip } from './trips.js';
import { VerificationDecision } from './users.js';

/**
 * Lifecycle events carry the whole trip as the API shows it, so consumers (the gateway's
 * live fan-out, read models) need no call back to the trip service.
 */
export const TripSnapshotPayload = z.object({ trip: Trip });
export type TripSnapshotPayload = z.infer<typeof TripSnapshotPayload>;

export const TripCanceledPayload = TripSnapshotPayload.extend({ canceledBy: CancelActor });

export const TripOfferedPayload = z.object({
  tripId: Id,
  passengerId: Id,
  driverId: Id,
  vehicleType: VehicleType,
  pickup: LatLng,
  dropoff: LatLng,
  fare: Money,
  expiresAt: Timestamp,
  attempt: z.number().int().positive().meta({ description: '1 for the first driver asked, 2 for the next…' }),
});

export const TripOfferExpiredPayload = z.object({
  tripId: Id,
  driverId: Id,
  reason: z.enum(['timeout', 'declined', 'withdrawn']).meta({ description: 'withdrawn: the trip was canceled meanwhile' }),
});

export const TripRatedPayload = z.object({
  tripId: Id,
  passengerId: Id,
  driverId: Id,
  stars: z.number().int().min(1).max(5),
  comment: z.string().nullable(),
  ratedAt: Timestamp,
});

export const DriverOnlinePayload = z.object({ driverId: Id, vehicleType: VehicleType, at: Timestamp });

export const DriverOfflinePayload = z.object({
  driverId: Id,
  at: Timestamp,
  reason: z.enum(['requested', 'stale_location', 'unverified']).meta({ description: 'requested: the driver went offline' }),
});

export const DriverProfileUpdatedPayload = z.object({
  driverId: Id,
  vehicleType: VehicleType.nullable(),
  plateNumber: z.string().nullable(),
  vehicleModel: z.string().nullable(),
  updatedAt: Timestamp,
});

export const DriverLocationRecordedPayload = z.object({
  driverId: Id,
  tripId: Id.nullable().meta({ description: 'The trip the driver is on, if any' }),
  points: z.array(DriverLocation).min(1),
});

export const DriverTripPositionPayload = z.object({
  driverId: Id,
  tripId: Id.meta({ description: 'The trip the driver is on' }),
  location: DriverLocation.meta({ description: 'The newest position of the batch it came from' }),
});

export const UserRegisteredPayload = z.object({
  userId: Id,
  email: z.string(),
  role: Role,
  fullName: z.string(),
  phone: z.string().nullable(),
  registeredAt: Timestamp,
});

/** A user changed their profile: the name and phone as they are now (the auth service keeps its copy for tokens). */
export const UserProfileUpdatedPayload = z.object({
  userId: Id,
  fullName: z.string(),
  phone: z.string().nullable(),
  updatedAt: Timestamp,
});

export const UserVerificationDecidedPayload = z.object({
  userId: Id,
  role: Role,
  decision: VerificationDecision,
  reason: z.string().nullable(),
  decidedBy: Id.meta({ description: 'The admin who decided' }),
  decidedAt: Timestamp,
});
