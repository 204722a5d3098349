import type { RequestContext } from '@uitgo/kit';
import { ValidationFailed } from '../domain/errors.js';
import type { TripRecord } from '../domain/trip.js';
import { transition, type Actor } from '../domain/tripStateMachine.js';
import type { TripChange } from '../ports/tripRepository.js';
import { actorOf, tripEvent, type TripDeps } from './deps.js';
import { driverTasksOf, eventOf, runTransition } from './runTransition.js';

type Deps = Pick<TripDeps, 'trips' | 'readModel' | 'logger' | 'kick' | 'clock'>;

/**
 * Cancels (passenger, admin, the platform) or, for the assigned driver, hands the trip back to
 * dispatch. A live offer is withdrawn and its driver released in the same transaction.
 */
export async function cancelAs(deps: Deps, ctx: RequestContext, actor: Actor, tripId: string, reason: string | undefined, extra: Partial<TripChange> = {}): Promise<TripRecord> {
  return runTransition(deps, ctx, tripId, async (trip) => {
    const now = new Date(deps.clock());
    const step = transition(trip, { type: 'cancel', ...(reason ? { reason } : {}) }, actor, now);
    const change: TripChange & { trip: NonNullable<TripChange['trip']> } = {
      ...extra,
      trip: { next: step.next, expectedVersion: trip.version, dispatchDueAt: step.redispatch ? now : null, ...extra.trip },
      events: eventOf(step, ctx, actor),
      tasks: driverTasksOf(trip, step),
    };
    const offer = trip.status === 'REQUESTED' ? await deps.trips.pendingOffer(trip.id, ctx) : null;
    if (offer) {
      change.resolveOffer = { id: offer.id, to: 'withdrawn', at: now };
      change.events!.unshift(tripEvent('trip.v1.offer_expired', trip, { tripId: trip.id, driverId: offer.driverId, reason: 'withdrawn' }, ctx, now));
      change.tasks!.push({ kind: 'release', driverId: offer.driverId, tripId: trip.id });
    }
    return change;
  });
}

export function makeCancelTrip(deps: Deps) {
  return async (ctx: RequestContext, input: { tripId: string; reason?: string | undefined }): Promise<TripRecord> => {
    const actor = actorOf(ctx);
    const reason = input.reason?.trim();
    if (reason && reason.length > 500) throw new ValidationFailed([{ path: 'reason', message: 'must be at most 500 characters' }]);
    return cancelAs(deps, ctx, actor, input.tripId, reason || undefined);
  };
}
