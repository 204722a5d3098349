import type { Fare, TripStatus } from '@uitgo/contracts';
import { Forbidden, InvalidTransition } from './errors.js';
import type { TripRecord } from './trip.js';

/** Who acts, as the gateway (or the platform itself) says. */
export type Actor = { role: 'passenger' | 'driver' | 'admin' | 'service'; userId: string } | { role: 'system' };

/** How the actor relates to this trip; `offered_driver` needs a live offer, checked by the caller. */
export type Party = 'passenger' | 'assigned_driver' | 'offered_driver' | 'admin' | 'system';

export type TripAction =
  | { type: 'accept'; driverId: string }
  | { type: 'decline' }
  | { type: 'arrive' }
  | { type: 'start' }
  | { type: 'complete'; fare: Fare; distanceM: number }
  | { type: 'cancel'; reason?: string };

export type TripEventType = 'trip.v1.offer_expired' | 'trip.v1.assigned' | 'trip.v1.arrived' | 'trip.v1.started' | 'trip.v1.completed' | 'trip.v1.canceled' | 'trip.v1.requested';

export interface Transition {
  next: TripRecord;
  event: TripEventType;
  /** The driver whose availability must follow (back to available). */
  freeDriver: string | null;
  /** The trip goes back to dispatch (its driver gave it up). */
  redispatch: boolean;
}

interface Rule {
  from: readonly TripStatus[];
  to: TripStatus;
  event: TripEventType;
}

const ALIVE: readonly TripStatus[] = ['REQUESTED', 'DRIVER_ASSIGNED', 'ARRIVED', 'IN_TRIP'];

/** The lifecycle as data: for each action and party, the states it may start from and where it leads. */
const RULES: Record<TripAction['type'], Partial<Record<Party, Rule>>> = {
  accept: { offered_driver: { from: ['REQUESTED'], to: 'DRIVER_ASSIGNED', event: 'trip.v1.assigned' } },
  // The trip stays REQUESTED and goes to the next candidate.
  decline: { offered_driver: { from: ['REQUESTED'], to: 'REQUESTED', event: 'trip.v1.offer_expired' } },
  arrive: { assigned_driver: { from: ['DRIVER_ASSIGNED'], to: 'ARRIVED', event: 'trip.v1.arrived' } },
  start: { assigned_driver: { from: ['ARRIVED'], to: 'IN_TRIP', event: 'trip.v1.started' } },
  complete: { assigned_driver: { from: ['IN_TRIP'], to: 'COMPLETED', event: 'trip.v1.completed' } },
  cancel: {
    passenger: { from: ['REQUESTED', 'DRIVER_ASSIGNED', 'ARRIVED'], to: 'CANCELED', event: 'trip.v1.canceled' },
    // A driver who gives up an accepted trip sends it back to dispatch instead of canceling it.
    assigned_driver: { from: ['DRIVER_ASSIGNED', 'ARRIVED'], to: 'REQUESTED', event: 'trip.v1.requested' },
    admin: { from: ALIVE, to: 'CANCELED', event: 'trip.v1.canceled' },
    system: { from: ['REQUESTED'], to: 'CANCELED', event: 'trip.v1.canceled' },
  },
};

/** The parties the actor is to this trip, strongest first. */
export function partiesOf(trip: Pick<TripRecord, 'passengerId' | 'driverId'>, actor: Actor, offeredDriverId?: string | null): Party[] {
  if (actor.role === 'system') return ['system'];
  const parties: Party[] = [];
  if (actor.role === 'admin') parties.push('admin');
  if (actor.role === 'passenger' && actor.userId === trip.passengerId) parties.push('passenger');
  if (actor.role === 'driver' && trip.driverId !== null && actor.userId === trip.driverId) parties.push('assigned_driver');
  if (actor.role === 'driver' && offeredDriverId && actor.userId === offeredDriverId) parties.push('offered_driver');
  return parties;
}

/** Whether the actor may see the trip at all: its passenger, its driver, an admin. */
export function mayView(trip: Pick<TripRecord, 'passengerId' | 'driverId'>, actor: Actor, offeredDriverId?: string | null): boolean {
  return actor.role === 'service' || partiesOf(trip, actor, offeredDriverId).length > 0;
}

const ACTION_NAMES: Record<TripAction['type'], string> = { accept: 'be accepted', decline: 'be declined', arrive: 'arrive', start: 'start', complete: 'complete', cancel: 'be canceled' };

/**
 * When a change made at `now` is dated: at least 1 ms after the state it replaces, so `updatedAt`
 * grows with every change even when two fall in the same millisecond or the replica's clock is
 * behind the one that wrote the trip (the read model keeps a state only if it is strictly newer).
 */
export function changeTime(trip: Pick<TripRecord, 'updatedAt'>, now: Date): Date {
  return now.getTime() > trip.updatedAt.getTime() ? now : new Date(trip.updatedAt.getTime() + 1);
}

/**
 * Applies an action at `now` (dated by `changeTime`): FORBIDDEN if the actor has no part in it,
 * INVALID_TRIP_TRANSITION if the trip's state does not allow it. Pure: the caller persists `next`
 * and writes `event`.
 */
export function transition(trip: TripRecord, action: TripAction, actor: Actor, now: Date, offeredDriverId?: string | null): Transition {
  const rules = RULES[action.type];
  const parties = partiesOf(trip, actor, offeredDriverId).filter((p) => rules[p]);
  if (parties.length === 0) throw new Forbidden(`You may not ${action.type} this trip`);
  const rule = parties.map((p) => rules[p]!).find((r) => r.from.includes(trip.status));
  if (!rule) throw new InvalidTransition(trip.status, ACTION_NAMES[action.type]);
  const party = parties.find((p) => rules[p] === rule)!;
  const at = changeTime(trip, now);
  const base = { ...trip, status: rule.to, updatedAt: at };
  switch (action.type) {
    case 'accept':
      return { next: { ...base, driverId: action.driverId, assignedAt: at }, event: rule.event, freeDriver: null, redispatch: false };
    case 'decline':
      return { next: trip, event: rule.event, freeDriver: null, redispatch: true };
    case 'arrive':
      return { next: { ...base, arrivedAt: at }, event: rule.event, freeDriver: null, redispatch: false };
    case 'start':
      return { next: { ...base, startedAt: at }, event: rule.event, freeDriver: null, redispatch: false };
    case 'complete':
      return { next: { ...base, completedAt: at, fare: action.fare, distanceM: action.distanceM }, event: rule.event, freeDriver: trip.driverId, redispatch: false };
    case 'cancel':
      if (rule.to === 'REQUESTED') {
        // A new dispatch round: the search starts over (attempts, radius, time), however long the driver had the trip.
        const round = { dispatchStartedAt: at, dispatchAttemptsBeforeRound: trip.dispatchAttempts };
        return { next: { ...base, driverId: null, assignedAt: null, arrivedAt: null, ...round }, event: rule.event, freeDriver: trip.driverId, redispatch: true };
      }
      return {
        next: { ...base, canceledAt: at, cancelReason: action.reason ?? null, canceledBy: party === 'assigned_driver' ? 'driver' : (party as 'passenger' | 'admin' | 'system') },
        event: rule.event,
        freeDriver: trip.driverId,
        redispatch: false,
      };
  }
}
