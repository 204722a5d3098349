import type { RequestContext } from '@uitgo/kit';
import { randomUUID } from 'node:crypto';
import { assertIsDispatcher } from '../domain/accessPolicy.js';
import { DriverBusy, DriverNotFound, ValidationFailed } from '../domain/errors.js';
import type { OfferDetails, Reservation, ReserveOutcome } from '../ports/geoIndex.js';
import { callerOf, isUuid, syncLiveState, type DriverDeps } from './deps.js';

export interface ReserveInput {
  driverId: string;
  tripId: string;
  ttlSeconds: number;
  offer: OfferDetails | undefined;
}

/** Holds an available driver for one trip's offer (SET NX PX in the index); the hold lapses by itself. */
export function makeReserveDriver({ drivers, geoIndex }: Pick<DriverDeps, 'drivers' | 'geoIndex'>) {
  return async (ctx: RequestContext, input: ReserveInput): Promise<Reservation> => {
    assertIsDispatcher(callerOf(ctx));
    const fields: { path: string; message: string }[] = [];
    if (!input.tripId) fields.push({ path: 'tripId', message: 'is required' });
    if (!(Number.isInteger(input.ttlSeconds) && input.ttlSeconds >= 1 && input.ttlSeconds <= 120)) fields.push({ path: 'ttlSeconds', message: 'must be 1 to 120' });
    if (!input.offer) fields.push({ path: 'offer', message: 'pickup, dropoff and fare are required' });
    if (fields.length > 0) throw new ValidationFailed(fields);
    if (!isUuid(input.driverId)) throw new DriverNotFound(input.driverId);
    const request = { driverId: input.driverId, tripId: input.tripId, reservationId: randomUUID(), ttlMs: input.ttlSeconds * 1000, offer: input.offer! };
    let outcome = await geoIndex.reserve(request, ctx);
    if (outcome.kind === 'unknown') {
      const record = await drivers.find(input.driverId, ctx);
      if (!record) throw new DriverNotFound(input.driverId);
      await syncLiveState(geoIndex, record, ctx);
      outcome = await geoIndex.reserve(request, ctx);
    }
    return reservationOf(outcome, input.driverId);
  };
}

function reservationOf(outcome: ReserveOutcome, driverId: string): Reservation {
  switch (outcome.kind) {
    case 'reserved':
    case 'existing':
      return outcome.reservation;
    case 'held':
      throw new DriverBusy('The driver is holding an offer for another trip');
    case 'unavailable':
      throw new DriverBusy(outcome.availability === 'offline' ? 'The driver is offline' : outcome.availability === 'on_trip' ? 'The driver is on a trip' : 'The driver is going offline or starting a trip');
    case 'unknown':
      throw new DriverNotFound(driverId);
  }
}
