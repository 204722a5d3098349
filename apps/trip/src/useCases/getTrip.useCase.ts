import type { Trip } from '@uitgo/contracts';
import type { RequestContext } from '@uitgo/kit';
import type { TripDeps } from './deps.js';
import { readTrip } from './tripAccess.js';

/** One trip, from the read model (PostgreSQL on a miss). */
export function makeGetTrip(deps: Pick<TripDeps, 'trips' | 'readModel' | 'metrics' | 'logger'>) {
  return (ctx: RequestContext, input: { tripId: string }): Promise<Trip> => readTrip(deps, ctx, input.tripId);
}
