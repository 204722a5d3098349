import { randomUUID } from 'node:crypto';
import { TOPICS } from '@uitgo/contracts';
import type { DeliveredEvent } from '@uitgo/kit/events';
import type { TripRecord } from '../domain/trip.js';
import { transition, type TripAction } from '../domain/tripStateMachine.js';
import { snapshotEvent } from '../useCases/deps.js';
import { aTripRecord } from './tripRecords.js';

/**
 * One ride's states as the state machine makes them, each dated 1 s after the one before:
 * requested, assigned, handed back by the driver (REQUESTED again, no driver), reassigned,
 * arrived, started, completed.
 */
export function aRide(start = Date.now()) {
  const passengerId = randomUUID();
  const driverId = randomUUID();
  const asDriver = { role: 'driver' as const, userId: driverId };
  const requested = aTripRecord({ id: randomUUID(), passengerId, createdAt: new Date(start) });
  const then = (trip: TripRecord, action: TripAction) => transition(trip, action, asDriver, new Date(trip.updatedAt.getTime() + 1_000), driverId).next;
  const assigned = then(requested, { type: 'accept', driverId });
  const handedBack = then(assigned, { type: 'cancel' });
  const reassigned = then(handedBack, { type: 'accept', driverId });
  const arrived = then(reassigned, { type: 'arrive' });
  const started = then(arrived, { type: 'start' });
  const completed = then(started, { type: 'complete', fare: { amount: 64_000, currency: 'VND', breakdown: [{ code: 'base', label: 'Base fare', amount: 64_000 }] }, distanceM: 5_200 });
  return { id: requested.id, passengerId, driverId, requested, assigned, handedBack, reassigned, arrived, started, completed };
}

type SnapshotType = Parameters<typeof snapshotEvent>[0];

let offset = 0;

/** A lifecycle event as the bus hands it to a consumer: the envelope the outbox writes, at its position in the topic. */
export function delivered(type: SnapshotType, trip: TripRecord): DeliveredEvent {
  return { ...snapshotEvent(type, trip, { traceId: randomUUID().replaceAll('-', '') }), topic: TOPICS.trip, partition: 0, offset: String(offset++) };
}

/** A handler's control as a running subscription gives it; holds are never needed by these handlers. */
export const running = { signal: new AbortController().signal, hold: () => () => undefined };
