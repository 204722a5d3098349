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

const mayWatchOffersOf = (ctx: RequestContext, requested: string): string => {
  const actor = actorOf(ctx);
  const driverId = requested || actor.userId;
  if (!(actor.role === 'service' || actor.role === 'admin' || (actor.role === 'driver' && actor.userId === driverId))) throw new Forbidden('You may only see your own offers');
  return driverId;
};

type LiveOffer = Extract<OfferUpdate, { type: 'offered' }>;

/** The offers a driver can accept now (pending, not expired), soonest expiry first: what AcceptTrip will find. */
async function liveOffersOf(deps: Pick<TripDeps, 'trips' | 'clock'>, driverId: string): Promise<LiveOffer[]> {
  const now = deps.clock();
  const pending = (await deps.trips.pendingOffersOf(driverId)).filter((offer) => offer.expiresAt.getTime() > now);
  const trips = await Promise.all(pending.map((offer) => deps.trips.find(offer.tripId)));
  return pending
    .flatMap((offer, i) => {
      const trip = trips[i];
      if (!trip) return [];
      const live: LiveOffer = { type: 'offered', tripId: offer.tripId, driverId, reservationId: offer.reservationId, pickup: trip.pickup, dropoff: trip.dropoff, fare: { amount: offer.fareAmount, currency: 'VND' }, expiresAt: offer.expiresAt.toISOString() };
      return [live];
    })
    .sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt));
}

/** The driver's live offers, from the trip database (not the driver service's holds, which precede the offer's commit). */
export function makeListDriverOffers(deps: Pick<TripDeps, 'trips' | 'clock'>) {
  return async (ctx: RequestContext, input: { driverId: string }): Promise<LiveOffer[]> => liveOffersOf(deps, mayWatchOffersOf(ctx, input.driverId));
}

/** The driver's live offers now, then each new offer, expiry and withdrawal, until the watcher leaves. */
export function makeWatchDriverOffers(deps: Pick<TripDeps, 'trips' | 'clock'>, hub: TripLiveHub) {
  return async function* watchDriverOffers(ctx: RequestContext, input: { driverId: string }, signal: AbortSignal): AsyncGenerator<OfferUpdate> {
    const driverId = mayWatchOffersOf(ctx, input.driverId);
    const queue = new AsyncQueue<OfferUpdate>(signal);
    const stop = hub.onOffers(driverId, (update) => queue.push(update));
    try {
      const seen = new Set<string>();
      for (const offer of await liveOffersOf(deps, driverId)) {
        seen.add(offer.tripId);
        yield offer;
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
