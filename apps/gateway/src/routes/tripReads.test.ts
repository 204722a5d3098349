import type { trip as proto } from '@uitgo/grpc';
import { AppError, encodeWireError, UnimplementedRpc, type RequestContext } from '@uitgo/kit';
import { describe, expect, it } from 'vitest';
import type { TripClient } from '../clients.js';
import { TripReads } from './tripReads.js';

type Lookup = { tripId: string; caller: string; traceId: string };

/** A trip service that lets a trip be read by its passenger only, and records the calls it gets. */
function fakeTripService(options: { failBatch?: Error; dropLast?: boolean } = {}) {
  const calls: { method: 'getTrip' | 'batchGetTrips'; lookups: Lookup[]; caller: RequestContext['caller'] }[] = [];
  const owners = new Map([
    ['t1', 'p1'],
    ['t2', 'p2'],
  ]);
  const read = (tripId: string, userId: string | undefined): proto.Trip => {
    const owner = owners.get(tripId);
    if (!owner) throw new AppError('TRIP_NOT_FOUND', `Trip ${tripId} does not exist`);
    if (owner !== userId) throw new AppError('FORBIDDEN', 'Not your trip');
    return { id: tripId, passengerId: owner } as proto.Trip;
  };
  const client = {
    async getTrip(request: { tripId: string }, { context }: { context: RequestContext }) {
      calls.push({ method: 'getTrip', lookups: [{ tripId: request.tripId, caller: JSON.stringify(context.caller), traceId: context.traceId }], caller: context.caller });
      return { trip: read(request.tripId, context.caller?.userId) };
    },
    async batchGetTrips(request: { lookups: Lookup[] }, { context }: { context: RequestContext }) {
      calls.push({ method: 'batchGetTrips', lookups: request.lookups, caller: context.caller });
      if (options.failBatch) throw options.failBatch;
      const results = request.lookups.map((lookup): proto.TripLookupResult => {
        try {
          return { result: { $case: 'trip', value: read(lookup.tripId, (JSON.parse(lookup.caller) as { userId: string }).userId) } };
        } catch (err) {
          return { result: { $case: 'error', value: encodeWireError(err as AppError) } };
        }
      });
      return { results: options.dropLast ? results.slice(0, -1) : results };
    },
  };
  return { client: client as unknown as TripClient, calls };
}

const asPassenger = (userId: string, extra: Partial<RequestContext> = {}): RequestContext => ({ traceId: `trace-${userId}`, caller: { userId, role: 'passenger' }, ...extra });

describe('TripReads', () => {
  it('sends reads that arrive together as one batch, each answered for its own caller', async () => {
    const { client, calls } = fakeTripService();
    const reads = new TripReads(client);
    const outcomes = await Promise.allSettled([reads.get('t1', asPassenger('p1')), reads.get('t1', asPassenger('p2')), reads.get('t2', asPassenger('p2')), reads.get('t9', asPassenger('p1'))]);

    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'batchGetTrips', caller: { userId: 'gateway', role: 'service' } });
    expect(calls[0]!.lookups.map((l) => [l.tripId, JSON.parse(l.caller).userId, l.traceId])).toEqual([
      ['t1', 'p1', 'trace-p1'],
      ['t1', 'p2', 'trace-p2'],
      ['t2', 'p2', 'trace-p2'],
      ['t9', 'p1', 'trace-p1'],
    ]);
    expect(outcomes[0]).toEqual({ status: 'fulfilled', value: { id: 't1', passengerId: 'p1' } });
    expect(outcomes[1]).toMatchObject({ status: 'rejected', reason: { code: 'FORBIDDEN', httpStatus: 403 } });
    expect(outcomes[2]).toEqual({ status: 'fulfilled', value: { id: 't2', passengerId: 'p2' } });
    expect(outcomes[3]).toMatchObject({ status: 'rejected', reason: { code: 'TRIP_NOT_FOUND', httpStatus: 404 } });
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(AppError);
  });

  it('keeps a lone read and a traced read as plain GetTrip calls', async () => {
    const { client, calls } = fakeTripService();
    const reads = new TripReads(client);
    await expect(reads.get('t1', asPassenger('p1'))).resolves.toMatchObject({ id: 't1' });
    await Promise.all([reads.get('t1', asPassenger('p1', { sampled: true, spanId: '00f067aa0ba902b7' })), reads.get('t2', asPassenger('p2', { sampled: true, spanId: '00f067aa0ba902b8' }))]);
    expect(calls.map((c) => c.method)).toEqual(['getTrip', 'getTrip', 'getTrip']);
    expect(calls[0]!.caller).toEqual({ userId: 'p1', role: 'passenger' });
  });

  it('splits a burst into batches of at most maxBatch', async () => {
    const { client, calls } = fakeTripService();
    const reads = new TripReads(client, 3);
    await Promise.all(Array.from({ length: 7 }, () => reads.get('t1', asPassenger('p1'))));
    expect(calls.map((c) => [c.method, c.lookups.length])).toEqual([
      ['batchGetTrips', 3],
      ['batchGetTrips', 3],
      ['getTrip', 1],
    ]);
  });

  it('fails every read of a batch whose call fails, and a read the answer left out', async () => {
    const down = new AppError('UNAVAILABLE', 'trip service is unavailable');
    const failing = new TripReads(fakeTripService({ failBatch: down }).client);
    const both = await Promise.allSettled([failing.get('t1', asPassenger('p1')), failing.get('t2', asPassenger('p2'))]);
    expect(both.map((o) => (o.status === 'rejected' ? o.reason : o.value))).toEqual([down, down]);

    const short = new TripReads(fakeTripService({ dropLast: true }).client);
    const [first, last] = await Promise.allSettled([short.get('t1', asPassenger('p1')), short.get('t2', asPassenger('p2'))]);
    expect(first.status).toBe('fulfilled');
    expect(last).toMatchObject({ status: 'rejected', reason: { code: 'INTERNAL' } });
  });

  it('falls back to single reads when the trip service has no BatchGetTrips yet (a rolling deploy)', async () => {
    const { client, calls } = fakeTripService({ failBatch: new UnimplementedRpc('/uitgo.trip.v1.TripService/BatchGetTrips') });
    const reads = new TripReads(client);
    const first = await Promise.allSettled([reads.get('t1', asPassenger('p1')), reads.get('t1', asPassenger('p2')), reads.get('t2', asPassenger('p2'))]);
    expect(first.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(first[1]).toMatchObject({ reason: { code: 'FORBIDDEN' } });
    // For a while after, reads that arrive together are not batched at all.
    await Promise.all([reads.get('t1', asPassenger('p1')), reads.get('t2', asPassenger('p2'))]);
    expect(calls.map((c) => c.method)).toEqual(['batchGetTrips', 'getTrip', 'getTrip', 'getTrip', 'getTrip', 'getTrip']);
  });
});
