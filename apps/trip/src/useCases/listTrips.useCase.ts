import type { Trip, TripStatus } from '@uitgo/contracts';
import type { RequestContext } from '@uitgo/kit';
import { Forbidden, ValidationFailed } from '../domain/errors.js';
import { toTripView } from '../domain/trip.js';
import type { TripListOwner } from '../ports/tripReadModel.js';
import { actorOf, isUuid, type TripDeps } from './deps.js';

export interface ListTripsInput {
  passengerId?: string | undefined;
  driverId?: string | undefined;
  status?: TripStatus | undefined;
  /** 0 means 20. */
  pageSize: number;
  pageToken: string;
}

type Position = { createdAt: string; id: string };

const encodeToken = (p: Position) => Buffer.from(`${Date.parse(p.createdAt)}.${p.id}`).toString('base64url');

function decodeToken(token: string): Position | undefined {
  if (!token) return undefined;
  const [ms, id] = Buffer.from(token, 'base64url').toString().split('.');
  const time = Number(ms);
  // A Date holds at most ±8.64e15 ms; a larger (forged) time would throw in toISOString.
  if (!Number.isSafeInteger(time) || Math.abs(time) > 8.64e15 || !isUuid(id)) throw new ValidationFailed([{ path: 'pageToken', message: 'is not a token this service issued' }]);
  return { createdAt: new Date(time).toISOString(), id };
}

/** Whose trips: non-admins list their own (a passenger's or a driver's); admins anyone's or all. */
function ownerFor(actor: ReturnType<typeof actorOf>, input: ListTripsInput): TripListOwner {
  if (input.passengerId && input.driverId) throw new ValidationFailed([{ path: 'driverId', message: 'filter on a passenger or a driver, not both' }]);
  const owner: TripListOwner = input.passengerId
    ? { kind: 'passenger', id: input.passengerId }
    : input.driverId
      ? { kind: 'driver', id: input.driverId }
      : actor.role === 'passenger' || actor.role === 'driver'
        ? { kind: actor.role, id: actor.userId }
        : { kind: 'all' };
  if (actor.role === 'admin' || actor.role === 'service') return owner;
  if (owner.kind === actor.role && owner.id === actor.userId) return owner;
  throw new Forbidden('You may only list your own trips');
}

/**
 * Newest first with a keyset cursor, from the read model once it is complete (with a status,
 * from that status's list). An incomplete read model starts a background fill and, like a page
 * it cannot answer (empty or with lost entries), is served by PostgreSQL, which repairs the
 * entries it returns.
 */
export function makeListTrips(deps: Pick<TripDeps, 'trips' | 'readModel' | 'readModelFill' | 'metrics' | 'logger'>) {
  return async (ctx: RequestContext, input: ListTripsInput): Promise<{ items: Trip[]; nextPageToken: string }> => {
    const actor = actorOf(ctx);
    const limit = input.pageSize || 20;
    if (!(Number.isInteger(limit) && limit >= 1 && limit <= 100)) throw new ValidationFailed([{ path: 'pageSize', message: 'must be 1 to 100' }]);
    const owner = ownerFor(actor, input);
    const after = decodeToken(input.pageToken);
    // null: the read model is unreachable, and a fill could not reach it either.
    const complete = await deps.readModel.isComplete().catch(() => null);
    if (complete === false) deps.readModelFill.start('incomplete');
    if (complete) {
      const page = await deps.readModel.list({ ...owner, status: input.status }, limit, after).catch(() => null);
      if (page && page.items.length > 0 && !page.incomplete) return { items: page.items, nextPageToken: page.next ? encodeToken(page.next) : '' };
      deps.metrics.readModelMisses.inc();
    }
    const rows = await deps.trips.list({
      ...(owner.kind === 'passenger' ? { passengerId: owner.id } : owner.kind === 'driver' ? { driverId: owner.id } : {}),
      ...(input.status ? { status: input.status } : {}),
      limit: limit + 1,
      ...(after ? { after: { createdAt: new Date(after.createdAt), id: after.id } } : {}),
    }, ctx);
    const items = rows.slice(0, limit).map(toTripView);
    await Promise.all(items.map((trip) => deps.readModel.put(trip))).catch((err: unknown) => deps.logger.warn({ err, traceId: ctx.traceId }, 'read model repair failed'));
    const last = items.at(-1);
    return { items, nextPageToken: rows.length > limit && last ? encodeToken(last) : '' };
  };
}
