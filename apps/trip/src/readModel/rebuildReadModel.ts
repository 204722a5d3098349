import { toTripView } from '../domain/trip.js';
import type { TripReadModel } from '../ports/tripReadModel.js';
import type { TripRepository } from '../ports/tripRepository.js';

export interface RebuildOptions {
  /** Writes over what the read model holds instead of forgetting it first (a fill while serving). */
  keep?: boolean;
  batchSize?: number;
  /** Stops between batches, before the read model is marked complete. */
  signal?: AbortSignal;
  /** Runs just before marking the read model complete; throwing leaves it incomplete. */
  beforeComplete?: () => Promise<void>;
}

/**
 * Rebuilds the read model from trips-db: forgets it (unless `keep`), writes every trip, then
 * marks it complete so lists are served from it. Writes the projector makes meanwhile are
 * kept when newer (writes compare updatedAt).
 */
export async function rebuildReadModel(deps: { trips: Pick<TripRepository, 'scan'>; readModel: TripReadModel }, options: RebuildOptions = {}): Promise<number> {
  const batchSize = options.batchSize ?? 500;
  if (!options.keep) await deps.readModel.clear();
  let after: string | null = null;
  let total = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const page = await deps.trips.scan(after, batchSize);
    await Promise.all(page.map((trip) => deps.readModel.put(toTripView(trip))));
    total += page.length;
    if (page.length < batchSize) {
      options.signal?.throwIfAborted();
      await options.beforeComplete?.();
      await deps.readModel.markComplete();
      return total;
    }
    after = page.at(-1)!.id;
  }
}
