import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Timestamp } from './common.js';
import {
  DriverLocationRecordedPayload,
  DriverOfflinePayload,
  DriverOnlinePayload,
  DriverProfileUpdatedPayload,
  DriverTripPositionPayload,
  TripCanceledPayload,
  TripOfferExpiredPayload,
  TripOfferedPayload,
  TripRatedPayload,
  TripSnapshotPayload,
  UserRegisteredPayload,
  UserProfileUpdatedPayload,
  UserVerificationDecidedPayload,
} from './eventPayloads.js';

/**
 * Kafka topics; the envelope `key` (partition key) keeps one entity's events in order.
 * `driverLocation` carries every accepted point (for the archive); `driverTripPosition` only the
 * newest position of drivers on a trip (for live tracking), so the gateways, which every one
 * read it whole, never read the idle drivers' stream.
 */
export const TOPICS = {
  trip: 'uitgo.trip.v1',
  driver: 'uitgo.driver.v1',
  driverLocation: 'uitgo.driver-location.v1',
  driverTripPosition: 'uitgo.driver-trip-position.v1',
  identity: 'uitgo.identity.v1',
} as const;
export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/** What each topic's key is. */
export const TOPIC_KEYS: Readonly<Record<Topic, string>> = {
  'uitgo.trip.v1': 'trip id',
  'uitgo.driver.v1': 'driver id',
  'uitgo.driver-location.v1': 'driver id',
  'uitgo.driver-trip-position.v1': 'driver id',
  'uitgo.identity.v1': 'user id',
};

const entry = <P extends z.ZodType>(topic: Topic, payload: P) => ({ topic, payload });

export const EVENT_CATALOGUE = {
  'trip.v1.requested': entry(TOPICS.trip, TripSnapshotPayload),
  'trip.v1.offered': entry(TOPICS.trip, TripOfferedPayload),
  'trip.v1.offer_expired': entry(TOPICS.trip, TripOfferExpiredPayload),
  'trip.v1.assigned': entry(TOPICS.trip, TripSnapshotPayload),
  'trip.v1.arrived': entry(TOPICS.trip, TripSnapshotPayload),
  'trip.v1.started': entry(TOPICS.trip, TripSnapshotPayload),
  'trip.v1.completed': entry(TOPICS.trip, TripSnapshotPayload),
  'trip.v1.canceled': entry(TOPICS.trip, TripCanceledPayload),
  'trip.v1.rated': entry(TOPICS.trip, TripRatedPayload),
  'driver.v1.online': entry(TOPICS.driver, DriverOnlinePayload),
  'driver.v1.offline': entry(TOPICS.driver, DriverOfflinePayload),
  'driver.v1.profile_updated': entry(TOPICS.driver, DriverProfileUpdatedPayload),
  'driver.v1.location_recorded': entry(TOPICS.driverLocation, DriverLocationRecordedPayload),
  'driver.v1.trip_position': entry(TOPICS.driverTripPosition, DriverTripPositionPayload),
  'user.v1.registered': entry(TOPICS.identity, UserRegisteredPayload),
  'user.v1.verification_decided': entry(TOPICS.identity, UserVerificationDecidedPayload),
  'user.v1.profile_updated': entry(TOPICS.identity, UserProfileUpdatedPayload),
} as const;

export type EventType = keyof typeof EVENT_CATALOGUE;
export const EVENT_TYPES = Object.keys(EVENT_CATALOGUE) as [EventType, ...EventType[]];
export type EventPayload<T extends EventType> = z.infer<(typeof EVENT_CATALOGUE)[T]['payload']>;

/** An event whose payload type follows from its `type`; `UitgoEvent` alone is the union of all. */
export type UitgoEvent<T extends EventType = EventType> = {
  [K in T]: { id: string; type: K; key: string; occurredAt: string; traceId?: string; payload: EventPayload<K> };
}[T];

export const EventEnvelope = z.object({
  id: z.uuid().meta({ description: 'Unique per event; consumers remember it to apply each event once' }),
  type: z.enum(EVENT_TYPES),
  key: z.string().min(1),
  occurredAt: Timestamp,
  traceId: z.string().optional(),
  payload: z.unknown(),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.hasOwn(EVENT_CATALOGUE, value);
}

export function topicOf(type: EventType): Topic {
  return EVENT_CATALOGUE[type].topic;
}

export function payloadSchemaOf<T extends EventType>(type: T): (typeof EVENT_CATALOGUE)[T]['payload'] {
  return EVENT_CATALOGUE[type].payload;
}

export function eventTypesOf(topic: Topic): EventType[] {
  return EVENT_TYPES.filter((type) => topicOf(type) === topic);
}

/** Builds a new event; the payload is validated here so a bad one fails at the producer, not downstream. */
export function makeEvent<T extends EventType>(
  type: T,
  key: string,
  payload: EventPayload<T>,
  traceId?: string,
): UitgoEvent<T> {
  const event = {
    id: randomUUID(),
    type,
    key,
    occurredAt: new Date().toISOString(),
    ...(traceId === undefined ? {} : { traceId }),
    payload: payloadSchemaOf(type).parse(payload),
  };
  return event as UitgoEvent<T>;
}

/** Validates an event read from the bus: the envelope, then the payload its type calls for. */
export function parseEvent(raw: unknown): UitgoEvent {
  const envelope = EventEnvelope.parse(raw);
  const payload = payloadSchemaOf(envelope.type).parse(envelope.payload);
  return { ...envelope, payload } as UitgoEvent;
}

/** Handlers by event type; a delivered event of another type is passed over. */
export type EventHandlers<D> = { [T in EventType]?: (event: UitgoEvent<T>, delivered: D) => Promise<void> };

/**
 * A consumer's batch handler: parses each delivered event and runs its type's handler, in order.
 * A malformed event is reported and skipped: retrying cannot fix it, and throwing would block
 * its partition for good.
 */
export function handleEventsByType<D extends { offset?: unknown }>(handlers: EventHandlers<D>, onMalformed: (err: unknown, delivered: D) => void) {
  return async (events: readonly D[]): Promise<void> => {
    for (const delivered of events) {
      let event: UitgoEvent;
      try {
        event = parseEvent(delivered);
      } catch (err) {
        onMalformed(err, delivered);
        continue;
      }
      const handler = handlers[event.type] as ((event: UitgoEvent, delivered: D) => Promise<void>) | undefined;
      if (handler) await handler(event, delivered);
    }
  };
}
