import type { RequestContext } from '@uitgo/kit';
import { Forbidden } from '../domain/errors.js';
import { finalFare } from '../domain/finalFare.js';
import type { LatLng } from '../domain/geo.js';
import type { TripRecord } from '../domain/trip.js';
import { transition } from '../domain/tripStateMachine.js';
import { actorOf, type TripDeps } from './deps.js';
import { driverTasksOf, eventOf, runTransition } from './runTransition.js';

/** The assigned driver ends the ride: priced from their archived track and the real duration, and freed. */
export function makeCompleteTrip(deps: Pick<TripDeps, 'trips' | 'readModel' | 'logger' | 'kick' | 'clock' | 'drivers' | 'settings'>) {
  async function trackOf(ctx: RequestContext, trip: TripRecord, until: Date): Promise<LatLng[]> {
    if (!trip.driverId || !trip.startedAt) return [];
    try {
      return await deps.drivers.track(ctx, trip.driverId, trip.startedAt, new Date(until.getTime() + 1));
    } catch (err) {
      deps.logger.warn({ err, tripId: trip.id, traceId: ctx.traceId }, 'driver track unavailable: billing the quoted distance');
      return [];
    }
  }

  return async (ctx: RequestContext, input: { tripId: string; driverId: string }): Promise<TripRecord> => {
    const actor = actorOf(ctx);
    if (input.driverId && input.driverId !== actor.userId) throw new Forbidden('Drivers act only for themselves');
    return runTransition(deps, ctx, input.tripId, async (trip) => {
      const now = new Date(deps.clock());
      // Checked before asking for the track, so a wrong caller or state costs no call.
      transition(trip, { type: 'complete', fare: { amount: 0, currency: 'VND', breakdown: [] }, distanceM: 0 }, actor, now);
      const priced = finalFare(deps.settings.fareTable, {
        vehicleType: trip.vehicleType,
        quotedDistanceM: trip.distanceM,
        surgeMultiplier: trip.quote.surgeMultiplier,
        track: await trackOf(ctx, trip, now),
        startedAt: trip.startedAt ?? now,
        completedAt: now,
        minTrackShare: deps.settings.trackMinShare,
      });
      const step = transition(trip, { type: 'complete', fare: priced.fare, distanceM: priced.distanceM }, actor, now);
      return { trip: { next: step.next, expectedVersion: trip.version }, events: eventOf(step, ctx, actor), tasks: driverTasksOf(trip, step) };
    });
  };
}
