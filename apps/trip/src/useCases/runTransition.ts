import type { UitgoEvent } from '@uitgo/contracts';
import type { RequestContext } from '@uitgo/kit';
import { TripNotFound, Unavailable } from '../domain/errors.js';
import { toTripView, type TripRecord } from '../domain/trip.js';
import type { Actor, Transition } from '../domain/tripStateMachine.js';
import type { TripChange } from '../ports/tripRepository.js';
import { isUuid, refreshReadModel, snapshotEvent, tripEvent, type TripDeps } from './deps.js';

const MAX_ROUNDS = 8;

/** The lifecycle event a transition writes, with the whole trip in it. */
export function eventOf(transition: Transition, ctx: RequestContext, actor: Actor): UitgoEvent[] {
  const { next, event } = transition;
  if (event === 'trip.v1.canceled') {
    return [tripEvent('trip.v1.canceled', next, { trip: toTripView(next), canceledBy: next.canceledBy ?? (actor.role === 'system' ? 'system' : 'admin') }, ctx, next.updatedAt)];
  }
  if (event === 'trip.v1.offer_expired') return [];
  return [snapshotEvent(event, next, ctx)];
}

/** Driver-service calls a transition needs once it commits. */
export function driverTasksOf(before: TripRecord, transition: Transition): NonNullable<TripChange['tasks']> {
  if (transition.event === 'trip.v1.assigned') return [{ kind: 'on_trip', driverId: transition.next.driverId!, tripId: before.id }];
  if (transition.freeDriver) return [{ kind: 'available', driverId: transition.freeDriver, tripId: before.id }];
  return [];
}

/**
 * Reads the trip, lets `decide` work out the change, and writes it if nobody changed the trip
 * meanwhile (version check); on a conflict it starts over with the new state, which may now
 * refuse the change (INVALID_TRIP_TRANSITION, OFFER_NOT_ACTIVE…).
 */
export async function runTransition(
  deps: Pick<TripDeps, 'trips' | 'readModel' | 'logger' | 'kick'>,
  ctx: RequestContext,
  tripId: string,
  decide: (trip: TripRecord) => Promise<TripChange & { trip: NonNullable<TripChange['trip']> }>,
): Promise<TripRecord> {
  if (!isUuid(tripId)) throw new TripNotFound(tripId);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const current = await deps.trips.find(tripId, ctx);
    if (!current) throw new TripNotFound(tripId);
    const change = await decide(current);
    const outcome = await deps.trips.apply(change, ctx);
    if (!outcome.ok) continue;
    const stored = { ...change.trip.next, version: change.trip.expectedVersion + 1 };
    if (change.tasks?.length) deps.kick.tasks();
    if (change.trip.dispatchDueAt) deps.kick.dispatch(tripId);
    await refreshReadModel(deps, stored, ctx);
    return stored;
  }
  throw new Unavailable('The trip is changing too fast; try again');
}
