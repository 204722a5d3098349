import type { RequestContext } from '@uitgo/kit';
import { Forbidden, OfferNotActive, OfferNotFound } from '../domain/errors.js';
import type { TripRecord } from '../domain/trip.js';
import { transition } from '../domain/tripStateMachine.js';
import { actorOf, tripEvent, type TripDeps } from './deps.js';
import { runTransition } from './runTransition.js';

/** The offered driver says no: their hold is released and dispatch moves to the next candidate at once. */
export function makeDeclineTrip(deps: Pick<TripDeps, 'trips' | 'readModel' | 'logger' | 'kick' | 'clock' | 'metrics'>) {
  return async (ctx: RequestContext, input: { tripId: string; driverId: string }): Promise<TripRecord> => {
    const actor = actorOf(ctx);
    const driverId = input.driverId || actor.userId;
    if (actor.role !== 'driver' || actor.userId !== driverId) throw new Forbidden('Only the offered driver may decline');
    const declined = await runTransition(deps, ctx, input.tripId, async (trip) => {
      const offer = await deps.trips.findOffer(trip.id, driverId, ctx);
      if (!offer) throw new OfferNotFound();
      const now = new Date(deps.clock());
      if (offer.status !== 'pending' || offer.expiresAt <= now) throw new OfferNotActive();
      const step = transition(trip, { type: 'decline' }, actor, now, offer.driverId);
      return {
        resolveOffer: { id: offer.id, to: 'declined', at: now, live: now },
        trip: { next: step.next, expectedVersion: trip.version, dispatchDueAt: now },
        events: [tripEvent('trip.v1.offer_expired', trip, { tripId: trip.id, driverId, reason: 'declined' }, ctx, now)],
        tasks: [{ kind: 'release', driverId, tripId: trip.id }],
      };
    });
    deps.metrics.offers.labels('declined').inc();
    return declined;
  };
}
