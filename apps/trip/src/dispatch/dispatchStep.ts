import { randomUUID } from 'node:crypto';
import type { RequestContext } from '@uitgo/kit';
import { candidatesToTry, NO_DRIVER_AVAILABLE, nextDispatchStep } from '../domain/dispatchPolicy.js';
import { cellOf } from '../domain/geo.js';
import type { TripRecord } from '../domain/trip.js';
import { transition } from '../domain/tripStateMachine.js';
import type { OfferRecord } from '../ports/tripRepository.js';
import { refreshReadModel, tripEvent, type TripDeps } from '../useCases/deps.js';
import { eventOf } from '../useCases/runTransition.js';

type Deps = Pick<TripDeps, 'trips' | 'drivers' | 'readModel' | 'settings' | 'clock' | 'logger' | 'metrics' | 'kick'>;

/** The driver holds the offer a little longer than the trip waits, so an answer at the deadline still finds the hold. */
const HOLD_GRACE_MS = 5_000;
const MAX_ROUNDS = 4;
/** Zones of the no-driver metric: 0.1° cells (~11 km), few enough to label a series each. */
const ALERT_ZONE_CELLS_PER_DEGREE = 10;

/**
 * One dispatch step for a trip this run has claimed (`claim`): expire a lapsed offer, then
 * offer the trip to the next candidate, wait, or give up. Every write requires the claim and
 * the trip's version, so a step that lost its trip (lease over, trip changed) writes nothing.
 */
export async function dispatchStep(deps: Deps, tripId: string, claim: string, known?: TripRecord): Promise<void> {
  const ctx: RequestContext = { traceId: randomUUID().replaceAll('-', '') };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    // The trip as its creator committed it (first round only), or as stored now.
    let trip = round === 0 && known ? known : await deps.trips.find(tripId, ctx);
    if (!trip) return;
    const now = new Date(deps.clock());
    const current = trip;
    const hold = (dispatchDueAt: Date | null) => ({ next: current, expectedVersion: current.version, dispatchDueAt, requireClaim: claim });
    if (trip.status !== 'REQUESTED') {
      await deps.trips.apply({ trip: hold(null) }, ctx);
      return;
    }
    // Before its first attempt a trip has no offers at all.
    const pending = trip.dispatchAttempts === 0 ? null : await deps.trips.pendingOffer(tripId, ctx);
    if (pending && pending.expiresAt > now) {
      if ((await deps.trips.apply({ trip: hold(pending.expiresAt) }, ctx)).ok) return;
      continue;
    }
    if (pending) {
      const expired = await deps.trips.apply({
        resolveOffer: { id: pending.id, to: 'expired', at: now, expiredBy: now },
        trip: hold(now),
        events: [tripEvent('trip.v1.offer_expired', trip, { tripId, driverId: pending.driverId, reason: 'timeout' }, ctx, now)],
        tasks: [{ kind: 'release', driverId: pending.driverId, tripId }],
      }, ctx);
      if (!expired.ok) continue;
      deps.metrics.offers.labels('expired').inc();
      deps.kick.tasks();
      trip = { ...trip, version: trip.version + 1 };
    }
    const done = await offerOrGiveUp(deps, ctx, trip, claim, now);
    if (done) return;
  }
}

/** Returns false when the trip changed under it (the caller starts over). Limits count the trip's current dispatch round only. */
async function offerOrGiveUp(deps: Deps, ctx: RequestContext, trip: TripRecord, claim: string, now: Date): Promise<boolean> {
  const policy = deps.settings.dispatch;
  const decision = nextDispatchStep(policy, trip, now);
  const hold = (dispatchDueAt: Date | null, next: TripRecord = trip) => ({ next, expectedVersion: trip.version, dispatchDueAt, requireClaim: claim });
  if (decision.kind === 'give_up') {
    const step = transition(trip, { type: 'cancel', reason: NO_DRIVER_AVAILABLE }, { role: 'system' }, now);
    const outcome = await deps.trips.apply({ trip: hold(null, step.next), events: eventOf(step, ctx, { role: 'system' }) }, ctx);
    if (!outcome.ok) return false;
    deps.metrics.noDriver.labels(cellOf(trip.pickup, ALERT_ZONE_CELLS_PER_DEGREE)).inc();
    await refreshReadModel(deps, { ...step.next, version: trip.version + 1 }, ctx);
    return true;
  }
  const next = { ...trip, dispatchAttempts: decision.attempt };
  const asked = trip.dispatchAttempts === 0 ? new Set<string>() : await deps.trips.askedDrivers(trip.id, ctx);
  const found = await deps.drivers
    .nearby(ctx, { center: trip.pickup, radiusM: decision.radiusM, vehicleType: trip.vehicleType, limit: policy.candidates })
    .catch((err: unknown) => {
      deps.logger.warn({ err, tripId: trip.id }, 'nearby search failed; dispatch retries');
      return [];
    });
  for (const driverId of candidatesToTry(found.map((d) => d.driverId), asked)) {
    const expiresAt = new Date(now.getTime() + policy.offerTtlMs);
    const fare = { amount: trip.quote.amount, currency: 'VND' as const };
    const held = await deps.drivers
      .reserve(ctx, { driverId, tripId: trip.id, ttlMs: policy.offerTtlMs + HOLD_GRACE_MS, pickup: trip.pickup, dropoff: trip.dropoff, fare })
      .catch((err: unknown) => {
        deps.logger.warn({ err, tripId: trip.id, driverId }, 'reserving a driver failed');
        return 'busy' as const;
      });
    if (held === 'busy') continue;
    const offer: OfferRecord = { id: randomUUID(), tripId: trip.id, driverId, attempt: decision.attempt, reservationId: held.reservationId, status: 'pending', fareAmount: fare.amount, expiresAt, createdAt: now, resolvedAt: null };
    const offered = tripEvent(
      'trip.v1.offered',
      trip,
      { tripId: trip.id, passengerId: trip.passengerId, driverId, vehicleType: trip.vehicleType, pickup: trip.pickup, dropoff: trip.dropoff, fare, expiresAt: expiresAt.toISOString(), attempt: decision.attempt },
      ctx,
      now,
    );
    const outcome = await deps.trips.apply({ trip: hold(expiresAt, next), newOffer: offer, events: [offered] }, ctx).catch((err: unknown) => {
      deps.logger.error({ err, tripId: trip.id }, 'recording an offer failed');
      return { ok: false as const };
    });
    if (outcome.ok) {
      deps.metrics.offers.labels('offered').inc();
      return true;
    }
    await deps.drivers.release(ctx, driverId, trip.id).catch(() => undefined);
    return false;
  }
  // Nobody could be asked this time: count the attempt and look again later, further out.
  return (await deps.trips.apply({ trip: hold(new Date(now.getTime() + policy.retryAfterEmptyMs), next) }, ctx)).ok;
}
