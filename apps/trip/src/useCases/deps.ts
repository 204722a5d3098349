import { makeEvent, type EventPayload, type EventType, type UitgoEvent } from '@uitgo/contracts';
import type { Logger, RequestContext } from '@uitgo/kit';
import type { ObjectStore } from '@uitgo/kit/objects';
import type { TripSettings } from '../config.js';
import { Unauthenticated } from '../domain/errors.js';
import { toTripView, type TripRecord } from '../domain/trip.js';
import type { Actor } from '../domain/tripStateMachine.js';
import type { TripMetrics } from '../metrics.js';
import type { DriverDirectory } from '../ports/driverDirectory.js';
import type { Router } from '../ports/router.js';
import type { TripReadModel } from '../ports/tripReadModel.js';
import type { TripRepository } from '../ports/tripRepository.js';
import type { UserDirectory } from '../ports/userDirectory.js';
import type { ReadModelFill } from '../readModel/readModelFill.js';
import type { SurgeZones } from './surgeZones.js';

/** Work to start once a transaction has committed (on this replica; the loops catch up otherwise). */
export interface AfterCommit {
  /** Runs a dispatch step for the trip now; `claimed`: the trip as committed, already claimed by this run. */
  dispatch(tripId: string, claimed?: { claim: string; trip: TripRecord }): void;
  tasks(): void;
}

/** Everything the trip use-cases may need; each takes only what it uses. */
export interface TripDeps {
  trips: TripRepository;
  drivers: DriverDirectory;
  users: UserDirectory;
  router: Router;
  surge: SurgeZones;
  readModel: TripReadModel;
  /** Refills the read model in the background when a read finds it not complete. */
  readModelFill: ReadModelFill;
  objects: ObjectStore;
  settings: TripSettings;
  metrics: TripMetrics;
  clock: () => number;
  kick: AfterCommit;
  logger: Logger;
}

type CallerActor = Exclude<Actor, { role: 'system' }>;

/** The caller the gateway (or a peer service) put in the call's metadata; UNAUTHENTICATED if none. */
export function actorOf(ctx: RequestContext): CallerActor {
  const caller = ctx.caller;
  if (!caller || caller.userId === '') throw new Unauthenticated();
  return { role: caller.role, userId: caller.userId };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids are UUIDs; anything else cannot name a stored row. */
export const isUuid = (value: string | undefined | null): value is string => typeof value === 'string' && UUID.test(value);

export function tripEvent<T extends EventType>(type: T, trip: TripRecord, payload: EventPayload<T>, ctx: { traceId?: string }, at: Date): UitgoEvent<T> {
  return { ...makeEvent(type, trip.id, payload, ctx.traceId), occurredAt: at.toISOString() };
}

/** The `trip.v1.*` lifecycle event of a trip as it now is. */
export function snapshotEvent(type: 'trip.v1.requested' | 'trip.v1.assigned' | 'trip.v1.arrived' | 'trip.v1.started' | 'trip.v1.completed', trip: TripRecord, ctx: { traceId?: string }): UitgoEvent {
  return tripEvent(type, trip, { trip: toTripView(trip) }, ctx, trip.updatedAt);
}

/** Write-through to the read model after a commit: the projector is the durable path, this one is fast. */
export async function refreshReadModel(deps: Pick<TripDeps, 'readModel' | 'logger'>, trip: TripRecord, ctx: RequestContext): Promise<void> {
  try {
    await deps.readModel.put(toTripView(trip));
  } catch (err) {
    deps.logger.warn({ err, tripId: trip.id, traceId: ctx.traceId }, 'read model write-through failed (the projector will catch up)');
  }
}
