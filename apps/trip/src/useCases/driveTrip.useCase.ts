import type { RequestContext } from '@uitgo/kit';
import { Forbidden } from '../domain/errors.js';
import type { TripRecord } from '../domain/trip.js';
import { transition } from '../domain/tripStateMachine.js';
import { actorOf, type TripDeps } from './deps.js';
import { driverTasksOf, eventOf, runTransition } from './runTransition.js';

type Deps = Pick<TripDeps, 'trips' | 'readModel' | 'logger' | 'kick' | 'clock'>;

/** ArriveTrip and StartTrip: the assigned driver moves the trip one step. */
function makeDriverStep(deps: Deps, type: 'arrive' | 'start') {
  return async (ctx: RequestContext, input: { tripId: string; driverId: string }): Promise<TripRecord> => {
    const actor = actorOf(ctx);
    if (input.driverId && input.driverId !== actor.userId) throw new Forbidden('Drivers act only for themselves');
    return runTransition(deps, ctx, input.tripId, async (trip) => {
      const step = transition(trip, { type }, actor, new Date(deps.clock()));
      return { trip: { next: step.next, expectedVersion: trip.version }, events: eventOf(step, ctx, actor), tasks: driverTasksOf(trip, step) };
    });
  };
}

export const makeArriveTrip = (deps: Deps) => makeDriverStep(deps, 'arrive');
export const makeStartTrip = (deps: Deps) => makeDriverStep(deps, 'start');
