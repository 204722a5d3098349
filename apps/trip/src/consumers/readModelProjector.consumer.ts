import { TOPICS, type Trip } from '@uitgo/contracts';
import type { SubscribeOptions } from '@uitgo/kit/events';
import type { TripMetrics } from '../metrics.js';
import type { TripReadModel } from '../ports/tripReadModel.js';

/**
 * Projects `uitgo.trip.v1` into the read model. Lifecycle events carry the whole trip; the
 * read model keeps a trip only if it is newer (by updatedAt) than what it holds, so
 * redeliveries and events older than a repair are ignored.
 */
export function readModelProjector(deps: { readModel: TripReadModel; metrics: TripMetrics; groupId: string; fromBeginning: boolean; clock: () => number }): SubscribeOptions {
  return {
    groupId: deps.groupId,
    topics: [TOPICS.trip],
    fromBeginning: deps.fromBeginning,
    maxBatchSize: 200,
    async handle(events) {
      const newest = new Map<string, Trip>();
      for (const event of events) {
        const trip = (event.payload as { trip?: Trip } | null)?.trip;
        if (!trip?.id || !trip.updatedAt) continue;
        const seen = newest.get(trip.id);
        if (!seen || Date.parse(seen.updatedAt) < Date.parse(trip.updatedAt)) newest.set(trip.id, trip);
      }
      await Promise.all([...newest.values()].map((trip) => deps.readModel.put(trip)));
      const last = events.at(-1);
      if (last) {
        const lagS = Math.max(0, (deps.clock() - Date.parse(last.occurredAt)) / 1000);
        deps.metrics.projectionLag.set(lagS);
        deps.metrics.projectionLagSeconds.observe(lagS);
      }
    },
  };
}
