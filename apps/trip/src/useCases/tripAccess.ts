import type { Trip } from '@uitgo/contracts';
import type { RequestContext } from '@uitgo/kit';
import { Forbidden, TripNotFound } from '../domain/errors.js';
import { toTripView } from '../domain/trip.js';
import { mayView } from '../domain/tripStateMachine.js';
import { actorOf, isUuid, type TripDeps } from './deps.js';

/**
 * A trip as the read model has it; on a miss, from PostgreSQL, repairing the read model.
 * Its passenger, its driver, a driver it is offered to, admins and services may read it.
 */
export async function readTrip(deps: Pick<TripDeps, 'trips' | 'readModel' | 'metrics' | 'logger'>, ctx: RequestContext, tripId: string): Promise<Trip> {
  const actor = actorOf(ctx);
  if (!isUuid(tripId)) throw new TripNotFound(tripId);
  let trip = await deps.readModel.get(tripId).catch((err: unknown) => {
    deps.logger.warn({ err, tripId, traceId: ctx.traceId }, 'read model unavailable: reading trips-db');
    return null;
  });
  if (!trip) {
    deps.metrics.readModelMisses.inc();
    const stored = await deps.trips.find(tripId, ctx);
    if (!stored) throw new TripNotFound(tripId);
    trip = toTripView(stored);
    await deps.readModel.put(trip).catch((err: unknown) => deps.logger.warn({ err, tripId, traceId: ctx.traceId }, 'read model repair failed'));
  }
  if (mayView(trip, actor)) return trip;
  // A driver may look at a trip while it is offered to them.
  if (actor.role === 'driver') {
    const offer = await deps.trips.findOffer(tripId, actor.userId, ctx);
    if (offer?.status === 'pending') return trip;
  }
  throw new Forbidden('You may only see your own trips');
}
