import type { DriverDeps } from './deps.js';
import { makeGetDriverProfile } from './getDriverProfile.useCase.js';
import { makeGetLocationTrack } from './getLocationTrack.useCase.js';
import { makeGoOffline } from './goOffline.useCase.js';
import { makeGoOnline } from './goOnline.useCase.js';
import { makeIngestLocations } from './ingestLocations.js';
import { makeListOffers } from './listOffers.useCase.js';
import { makeRecordLocations, makeUpdateLocation } from './recordLocations.useCase.js';
import { makeReleaseDriver } from './releaseDriver.useCase.js';
import { makeReserveDriver } from './reserveDriver.useCase.js';
import { makeSearchNearbyDrivers } from './searchNearbyDrivers.useCase.js';
import { makeSetDriverTripStatus } from './setDriverTripStatus.useCase.js';
import { makeStreamLocations } from './streamLocations.useCase.js';
import { makeUpsertDriverProfile } from './upsertDriverProfile.useCase.js';

export type { DriverDeps } from './deps.js';

export function makeDriverUseCases(deps: DriverDeps) {
  const ingest = makeIngestLocations(deps);
  return {
    upsertDriverProfile: makeUpsertDriverProfile(deps),
    getDriverProfile: makeGetDriverProfile(deps),
    goOnline: makeGoOnline(deps),
    goOffline: makeGoOffline(deps),
    updateLocation: makeUpdateLocation(ingest),
    recordLocations: makeRecordLocations(ingest),
    streamLocations: makeStreamLocations(ingest, deps),
    searchNearbyDrivers: makeSearchNearbyDrivers(deps),
    reserveDriver: makeReserveDriver(deps),
    releaseDriver: makeReleaseDriver(deps),
    setDriverTripStatus: makeSetDriverTripStatus(deps),
    listOffers: makeListOffers(deps),
    getLocationTrack: makeGetLocationTrack(deps),
  };
}

export type DriverUseCases = ReturnType<typeof makeDriverUseCases>;
