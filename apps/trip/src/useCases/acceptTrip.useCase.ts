import type { RequestContext } from '@uitgo/kit';
import { Forbidden, OfferNotActive, OfferNotFound } from '../domain/errors.js';
import type { TripRecord } from '../domain/trip.js';
import { transition } from '../domain/tripStateMachine.js';
import { actorOf, type TripDeps } from './deps.js';
import { driverTasksOf, eventOf, runTransition } from './runTransition.js';

/** The offered driver takes the trip: the offer is consumed and the trip is theirs, in one transaction. */
export function makeAcceptTrip(deps: Pick<TripDeps, 'trips' | 'readModel' | 'logger' | 'kick' | 'clock' | 'metrics'>) {
  return async (ctx: RequestContext, input: { tripId: string; driverId: string }): Promise<TripRecord> => {
    const actor = actorOf(ctx);
    const driverId = input.driverId || actor.userId;
    if (actor.role !== 'driver' || actor.userId !== driverId) throw new Forbidden('Only the offered driver may accept');
    const accepted = await runTransition(deps, ctx, input.tripId, async (trip) => {
      const offer = await deps.trips.findOffer(trip.id, driverId, ctx);
      if (!offer) throw new OfferNotFound();
      const now = new Date(deps.clock());
      if (offer.status !== 'pending' || offer.expiresAt <= now) throw new OfferNotActive();
      const step = transition(trip, { type: 'accept', driverId }, actor, now, offer.driverId);
      return {
        resolveOffer: { id: offer.id, to: 'accepted', at: now, live: now },
        trip: { next: step.next, expectedVersion: trip.version, dispatchDueAt: null },
        events: eventOf(step, ctx, actor),
        tasks: driverTasksOf(trip, step),
      };
    });
    deps.metrics.offers.labels('accepted').inc();
    return accepted;
  };
}
