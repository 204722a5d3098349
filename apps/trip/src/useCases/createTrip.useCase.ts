import { createHash, randomUUID } from 'node:crypto';
import type { RequestContext } from '@uitgo/kit';
import { Forbidden, IdempotencyKeyReused, QuoteExpired, QuoteNotFound, ValidationFailed } from '../domain/errors.js';
import { cellOf } from '../domain/geo.js';
import { newTripRecord } from '../domain/trip.js';
import type { NewTripOutcome } from '../ports/tripRepository.js';
import { actorOf, isUuid, refreshReadModel, snapshotEvent, type TripDeps } from './deps.js';
import { priceRoute, validRoute, type PricedRoute, type RouteInput } from './pricing.js';

export type TripSource = { quoteId: string } | { route: RouteInput };

export interface CreateTripInput {
  passengerId: string;
  idempotencyKey: string;
  source: TripSource | undefined;
}

const hashOf = (source: TripSource) => createHash('sha256').update(JSON.stringify(source)).digest('base64url');

/** The price a trip is booked at: the passenger's unexpired quote, or the route priced now. */
async function bookedPrice(deps: Pick<TripDeps, 'router' | 'surge' | 'trips' | 'settings' | 'clock'>, ctx: RequestContext, passengerId: string, source: TripSource) {
  if ('route' in source) return { priced: await priceRoute(deps, ctx, source.route), quoteId: null };
  const quote = isUuid(source.quoteId) ? await deps.trips.findQuote(source.quoteId, ctx) : null;
  if (!quote || quote.passengerId !== passengerId) throw new QuoteNotFound();
  if (quote.expiresAt.getTime() <= deps.clock()) throw new QuoteExpired();
  validRoute(deps, quote);
  const priced: PricedRoute = { ...quote, cell: cellOf(quote.pickup, deps.settings.surge.cellsPerDegree) };
  return { priced, quoteId: quote.id };
}

/**
 * Requests a ride and hands it to dispatch. The (passenger, idempotency key) pair is unique in
 * trips-db, so a repeat, even a racing one, gets the first trip back.
 */
export function makeCreateTrip(deps: TripDeps) {
  return async (ctx: RequestContext, input: CreateTripInput): Promise<NewTripOutcome> => {
    const actor = actorOf(ctx);
    const passengerId = input.passengerId || actor.userId;
    if (!(actor.role === 'passenger' && actor.userId === passengerId)) throw new Forbidden('Only passengers request trips, for themselves');
    const key = input.idempotencyKey?.trim();
    if (!key || key.length > 255) throw new ValidationFailed([{ path: 'idempotencyKey', message: 'is required (1 to 255 characters)' }]);
    if (!input.source) throw new ValidationFailed([{ path: 'source', message: 'a quote id or a route is required' }]);
    const requestHash = hashOf(input.source);
    // A repeat is answered before pricing: its quote may have expired since.
    const earlier = await deps.trips.findByIdempotencyKey(passengerId, key, ctx);
    if (earlier) {
      if (earlier.requestHash !== requestHash) throw new IdempotencyKeyReused();
      return { trip: earlier.trip, replayed: true };
    }
    const { priced, quoteId } = await bookedPrice(deps, ctx, passengerId, input.source);
    const now = new Date(deps.clock());
    const trip = newTripRecord(
      {
        id: randomUUID(),
        passengerId,
        vehicleType: priced.vehicleType,
        pickup: priced.pickup,
        dropoff: priced.dropoff,
        quoteId,
        quote: { amount: priced.fare.amount, surgeMultiplier: priced.surgeMultiplier, breakdown: priced.fare.breakdown },
        distanceM: priced.distanceM,
        durationS: priced.durationS,
      },
      now,
    );
    // This replica dispatches the new trip at once, so it is created already claimed by that run;
    // should the run die, the lease ends and any replica's dispatcher takes the trip.
    const claim = randomUUID();
    const dispatch = { claim, leaseUntil: new Date(now.getTime() + deps.settings.dispatch.leaseMs) };
    const outcome = await deps.trips.create(trip, { key, requestHash, cell: priced.cell }, snapshotEvent('trip.v1.requested', trip, ctx), dispatch, ctx);
    if (!outcome.replayed) {
      deps.metrics.tripsCreated.inc();
      deps.kick.dispatch(trip.id, { claim, trip });
      await refreshReadModel(deps, trip, ctx);
    }
    return outcome;
  };
}
