import type { TripLiveHub } from '../live/tripLiveHub.js';
import { makeAcceptTrip } from './acceptTrip.useCase.js';
import { makeCancelTrip } from './cancelTrip.useCase.js';
import { makeCompleteTrip } from './completeTrip.useCase.js';
import { makeCreateTrip } from './createTrip.useCase.js';
import { makeDeclineTrip } from './declineTrip.useCase.js';
import type { TripDeps } from './deps.js';
import { makeArriveTrip, makeStartTrip } from './driveTrip.useCase.js';
import { makeGetReceipt } from './getReceipt.useCase.js';
import { makeGetTrip } from './getTrip.useCase.js';
import { makeListTrips } from './listTrips.useCase.js';
import { makeQuoteTrip } from './quoteTrip.useCase.js';
import { makeRateTrip } from './rateTrip.useCase.js';
import { makeListDriverOffers, makeWatchDriverOffers, makeWatchTrip } from './watch.useCase.js';

export type { TripDeps } from './deps.js';

export function makeTripUseCases(deps: TripDeps, hub: TripLiveHub) {
  return {
    quoteTrip: makeQuoteTrip(deps),
    createTrip: makeCreateTrip(deps),
    getTrip: makeGetTrip(deps),
    listTrips: makeListTrips(deps),
    acceptTrip: makeAcceptTrip(deps),
    declineTrip: makeDeclineTrip(deps),
    arriveTrip: makeArriveTrip(deps),
    startTrip: makeStartTrip(deps),
    completeTrip: makeCompleteTrip(deps),
    cancelTrip: makeCancelTrip(deps),
    getReceipt: makeGetReceipt(deps),
    rateTrip: makeRateTrip(deps),
    watchTrip: makeWatchTrip(deps, hub),
    watchDriverOffers: makeWatchDriverOffers(deps, hub),
    listDriverOffers: makeListDriverOffers(deps),
  };
}

export type TripUseCases = ReturnType<typeof makeTripUseCases>;
