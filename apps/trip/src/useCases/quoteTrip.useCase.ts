import { randomUUID } from 'node:crypto';
import type { RequestContext } from '@uitgo/kit';
import { Forbidden } from '../domain/errors.js';
import type { QuoteRecord } from '../ports/tripRepository.js';
import { actorOf, type TripDeps } from './deps.js';
import { priceRoute, type RouteInput } from './pricing.js';

/** Prices a route for a passenger and keeps the price bookable for the quote's lifetime. */
export function makeQuoteTrip(deps: Pick<TripDeps, 'router' | 'surge' | 'trips' | 'settings' | 'clock'>) {
  return async (ctx: RequestContext, input: { passengerId: string; route: RouteInput }): Promise<QuoteRecord> => {
    const actor = actorOf(ctx);
    const passengerId = input.passengerId || actor.userId;
    if (!(actor.role === 'passenger' && actor.userId === passengerId) && actor.role !== 'admin') throw new Forbidden('Only passengers ask for quotes');
    const priced = await priceRoute(deps, ctx, input.route);
    const now = deps.clock();
    const quote: QuoteRecord = {
      id: randomUUID(),
      passengerId,
      vehicleType: priced.vehicleType,
      pickup: priced.pickup,
      dropoff: priced.dropoff,
      distanceM: priced.distanceM,
      durationS: priced.durationS,
      surgeMultiplier: priced.surgeMultiplier,
      fare: priced.fare,
      expiresAt: new Date(now + deps.settings.quoteTtlMs),
      createdAt: new Date(now),
    };
    await deps.trips.saveQuote(quote, ctx);
    return quote;
  };
}
