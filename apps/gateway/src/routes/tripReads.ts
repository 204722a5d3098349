import type { trip as proto } from '@uitgo/grpc';
import { AppError, CallCoalescer, type RequestContext } from '@uitgo/kit';
import type { TripClient } from '../clients.js';

/**
 * `GET /trips/{id}` reads coalesced: the reads that arrive in one turn of the event loop go to
 * the trip service as one BatchGetTrips call (each decided for its own caller); a lone or
 * traced read stays a plain GetTrip.
 */
export class TripReads {
  private readonly calls: CallCoalescer<string, proto.Trip>;

  constructor(client: TripClient, maxBatch = 128) {
    this.calls = new CallCoalescer<string, proto.Trip>({
      maxBatch,
      single: async (tripId, context) => {
        const { trip } = await client.getTrip({ tripId }, { context });
        if (!trip) throw new AppError('INTERNAL', 'The trip service answered without a trip');
        return trip;
      },
      batch: async (items, context) => {
        const { results } = await client.batchGetTrips({ lookups: items.map(({ query, caller, traceId }) => ({ tripId: query, caller, traceId })) }, { context });
        return results.map(({ result }) => (result?.$case === 'trip' ? { ok: result.value } : result?.$case === 'error' ? { error: result.value } : undefined));
      },
    });
  }

  get(tripId: string, context: RequestContext): Promise<proto.Trip> {
    return this.calls.run(tripId, context);
  }
}
