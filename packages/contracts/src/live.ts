import { z } from 'zod';
import { Id, LatLng, Timestamp } from './common.js';
import { LocationPoint, TripOffer } from './drivers.js';
import { ErrorCodeSchema } from './errors.js';
import { Trip } from './trips.js';

/** `GET /api/v1/ws`: the token comes as `?access_token=` or as the first frame. */
export const LIVE_PATH = '/ws';

export const AuthFrame = z.strictObject({ type: z.literal('auth'), accessToken: z.string().min(1) });

/** Drivers may stream positions here instead of calling `PUT /drivers/me/location`. */
export const LocationFrame = LocationPoint.extend({ type: z.literal('location') });

export const PingFrame = z.strictObject({ type: z.literal('ping') });

export const ClientFrame = z.discriminatedUnion('type', [AuthFrame, LocationFrame, PingFrame]);
export type ClientFrame = z.infer<typeof ClientFrame>;

export const ReadyFrame = z
  .object({ type: z.literal('ready'), userId: Id, role: z.enum(['passenger', 'driver', 'admin']) })
  .meta({ description: 'Sent once the connection is authenticated' });

export const OfferFrame = z.object({ type: z.literal('offer'), offer: TripOffer });

export const OfferExpiredFrame = z.object({ type: z.literal('offer_expired'), tripId: Id });

export const TripUpdatedFrame = z.object({ type: z.literal('trip_updated'), trip: Trip });

export const DriverLocationFrame = z.object({
  type: z.literal('driver_location'),
  tripId: Id,
  driverId: Id,
  location: LatLng,
  headingDeg: z.number().optional(),
  speedKmh: z.number().optional(),
  recordedAt: Timestamp,
});

export const PongFrame = z.object({ type: z.literal('pong') });

/**
 * A rejected client frame, or something the client should know went wrong (its current state
 * could not be loaded on connect); fatal ones (bad token) are followed by a close.
 */
export const ErrorFrame = z.object({
  type: z.literal('error'),
  code: ErrorCodeSchema,
  message: z.string(),
  traceId: z.string().optional(),
});

export const ServerFrame = z.discriminatedUnion('type', [
  ReadyFrame,
  OfferFrame,
  OfferExpiredFrame,
  TripUpdatedFrame,
  DriverLocationFrame,
  PongFrame,
  ErrorFrame,
]);
export type ServerFrame = z.infer<typeof ServerFrame>;
export type ServerFrameType = ServerFrame['type'];
