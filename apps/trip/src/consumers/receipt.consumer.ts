import { TOPICS } from '@uitgo/contracts';
import type { SubscribeOptions } from '@uitgo/kit/events';
import type { TripDeps } from '../useCases/deps.js';
import { ensureReceipt } from '../useCases/getReceipt.useCase.js';

type Deps = Pick<TripDeps, 'trips' | 'drivers' | 'users' | 'objects' | 'settings' | 'logger' | 'metrics' | 'clock'>;

/** On `trip.v1.completed`, renders and stores the receipt; a redelivery finds it stored and does nothing. */
export function receiptConsumer(deps: Deps): SubscribeOptions {
  return {
    groupId: deps.settings.receiptGroup,
    topics: [TOPICS.trip],
    fromBeginning: deps.settings.fromBeginning,
    maxBatchSize: 20,
    async handle(events) {
      for (const event of events) {
        if (event.type !== 'trip.v1.completed') continue;
        const ctx = { traceId: event.traceId ?? event.id.replaceAll('-', '') };
        const trip = await deps.trips.find(event.key, ctx);
        if (trip?.status !== 'COMPLETED') continue;
        await ensureReceipt(deps, ctx, trip);
      }
    },
  };
}
