import type { Trip } from '@uitgo/contracts';
import type { RequestContext } from '@uitgo/kit';
import { Forbidden } from '../domain/errors.js';
import { AsyncQueue } from '../live/asyncQueue.js';
import type { OfferUpdate, TripLiveHub } from '../live/tripLiveHub.js';
import { actorOf, type TripDeps } from './deps.js';
import { readTrip } from './tripAccess.js';

const isFinal = (trip: Trip) => trip.status === 'COMPLETED' || trip.status === 'CANCELED';

/** The trip now, then each newer state, until it ends or the watcher leaves. */
export function makeWatchTrip(deps: Pick<TripDeps, 'trips' | 'readModel' | 'metrics' | 'logger'>, hub: TripLiveHub) {
  return async function* watchTrip(ctx: RequestContext, input: { tripId: string }, signal: AbortSignal): AsyncGenerator<Trip> {
    const queue = new AsyncQueue<Trip>(signal);
    // Listen first so no change falls between the read and the subscription.
    const stop = hub.onTrip(input.tripId, (trip) => queue.push(trip));
    try {
      let current = await readTrip(deps, ctx, input.tripId);
      yield current;
      if (isFinal(current)) return;
      for await (const trip of queue) {
        if (Date.parse(trip.updatedAt) <= Date.parse(current.updatedAt)) continue;
        current = trip;
        yield trip;
        if (isFinal(trip)) return;
      }
    } finally {
      stop();
      queue.close();
    }
  };
}

/** The driver's live offers now, then each new offer, expiry and withdrawal, until the watcher leaves. */
export function makeWatchDriverOffers(deps: Pick<TripDeps, 'trips' | 'clock'>, hub: TripLiveHub) {
  return async function* watchDriverOffers(ctx: RequestContext, input: { driverId: string }, signal: AbortSignal): AsyncGenerator<OfferUpdate> {
    const actor = actorOf(ctx);
    const driverId = input.driverId || actor.userId;
    if (!(actor.role === 'service' || actor.role === 'admin' || (actor.role === 'driver' && actor.userId === driverId))) throw new Forbidden('You may only watch your own offers');
    const queue = new AsyncQueue<OfferUpdate>(signal);
    const stop = hub.onOffers(driverId, (update) => queue.push(update));
    try {
      const live = await deps.trips.pendingOffersOf(driverId);
      const seen = new Set<string>();
      for (const offer of live) {
        if (offer.expiresAt.getTime() <= deps.clock()) continue;
        const trip = await deps.trips.find(offer.tripId);
        if (!trip) continue;
        seen.add(offer.tripId);
        yield { type: 'offered', tripId: offer.tripId, driverId, pickup: trip.pickup, dropoff: trip.dropoff, fare: { amount: offer.fareAmount, currency: 'VND' }, expiresAt: offer.expiresAt.toISOString() };
      }
      for await (const update of queue) {
        if (update.type === 'offered' && seen.has(update.tripId)) continue;
        yield update;
      }
    } finally {
      stop();
      queue.close();
    }
  };
}
