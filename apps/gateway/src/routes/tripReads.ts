import type { trip as proto } from '@uitgo/grpc';
import { AppError, decodeWireError, newTraceId, serializedCaller, type RequestContext } from '@uitgo/kit';
import type { TripClient } from '../clients.js';

const GATEWAY_CALLER = { userId: 'gateway', role: 'service' } as const;
/** INTERNAL: what a malformed per-lookup error stands for. */
const INTERNAL = 13;

interface Waiting {
  tripId: string;
  context: RequestContext;
  resolve: (trip: proto.Trip) => void;
  reject: (error: unknown) => void;
}

/**
 * `GET /trips/{id}` reads coalesced: the reads that arrive in one turn of the event loop go to
 * the trip service as one BatchGetTrips call (each decided for its own caller), so a gRPC call
 * is paid per batch instead of per request. A lone read, and a read whose trace is recorded
 * (so its trace shows its own hop), stays a plain GetTrip.
 */
export class TripReads {
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(
    private readonly client: TripClient,
    private readonly maxBatch = 128,
  ) {}

  get(tripId: string, context: RequestContext): Promise<proto.Trip> {
    if (context.sampled) return this.single(tripId, context);
    return new Promise<proto.Trip>((resolve, reject) => {
      this.waiting.push({ tripId, context, resolve, reject });
      if (this.waiting.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private async single(tripId: string, context: RequestContext): Promise<proto.Trip> {
    const { trip } = await this.client.getTrip({ tripId }, { context });
    if (!trip) throw new AppError('INTERNAL', 'The trip service answered without a trip');
    return trip;
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.waiting;
    if (batch.length === 0) return;
    this.waiting = [];
    if (batch.length === 1) {
      const [only] = batch as [Waiting];
      this.single(only.tripId, only.context).then(only.resolve, only.reject);
      return;
    }
    const lookups = batch.map(({ tripId, context }) => ({ tripId, caller: context.caller ? serializedCaller(context.caller) : '', traceId: context.traceId }));
    this.client.batchGetTrips({ lookups }, { context: { traceId: newTraceId(), caller: GATEWAY_CALLER } }).then(
      ({ results }) =>
        batch.forEach((waiting, i) => {
          const result = results[i]?.result;
          if (result?.$case === 'trip') waiting.resolve(result.value);
          else if (result?.$case === 'error') waiting.reject(decodeWireError(result.value, INTERNAL, 'Internal error'));
          else waiting.reject(new AppError('INTERNAL', 'The trip service answered fewer lookups than asked'));
        }),
      (error: unknown) => batch.forEach((waiting) => waiting.reject(error)),
    );
  }
}
