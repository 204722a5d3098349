import type { RequestContext } from '@uitgo/kit';
import { AlreadyRated, Forbidden, TripNotCompleted, TripNotFound, ValidationFailed } from '../domain/errors.js';
import type { RatingRecord } from '../ports/tripRepository.js';
import { actorOf, isUuid, tripEvent, type TripDeps } from './deps.js';

/** The passenger rates a completed trip, once; `trip.v1.rated` goes out with it. */
export function makeRateTrip(deps: Pick<TripDeps, 'trips' | 'clock'>) {
  return async (ctx: RequestContext, input: { tripId: string; passengerId: string; stars: number; comment?: string | undefined }): Promise<RatingRecord> => {
    const actor = actorOf(ctx);
    const fields: { path: string; message: string }[] = [];
    if (!(Number.isInteger(input.stars) && input.stars >= 1 && input.stars <= 5)) fields.push({ path: 'stars', message: 'must be 1 to 5' });
    const comment = input.comment?.trim() || null;
    if (comment && comment.length > 1000) fields.push({ path: 'comment', message: 'must be at most 1000 characters' });
    if (fields.length > 0) throw new ValidationFailed(fields);
    const trip = isUuid(input.tripId) ? await deps.trips.find(input.tripId, ctx) : null;
    if (!trip) throw new TripNotFound(input.tripId);
    if (actor.role !== 'passenger' || actor.userId !== trip.passengerId || (input.passengerId && input.passengerId !== actor.userId)) {
      throw new Forbidden('Only the trip\'s passenger may rate it');
    }
    if (trip.status !== 'COMPLETED' || !trip.driverId) throw new TripNotCompleted();
    const now = new Date(deps.clock());
    const rating: RatingRecord = { tripId: trip.id, passengerId: trip.passengerId, driverId: trip.driverId, stars: input.stars, comment, createdAt: now };
    const event = tripEvent('trip.v1.rated', trip, { ...rating, ratedAt: now.toISOString() }, ctx, now);
    if (!(await deps.trips.saveRating(rating, event, ctx))) throw new AlreadyRated();
    return rating;
  };
}
