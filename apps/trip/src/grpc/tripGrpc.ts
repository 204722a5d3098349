import type { trip } from '@uitgo/grpc';
import { acceptTraceId, AppError, encodeWireError, parseCaller, requestContextOf, type RequestContext } from '@uitgo/kit';
import { Forbidden, ValidationFailed } from '../domain/errors.js';
import type { CallContext } from 'nice-grpc-common';
import type { TripUseCases } from '../useCases/index.js';
import { offerToProto, offerUpdateToProto, quoteToProto, ratingToProto, statusFromProto, tripToProto, vehicleTypeFromProto } from './protoMapping.js';

const ctxOf = (context: CallContext) => requestContextOf(context);
/** The most lookups one BatchGetTrips call may carry. */
export const MAX_TRIP_LOOKUPS = 256;

const routeOf = (route: trip.TripRoute | undefined) => ({ pickup: route?.pickup, dropoff: route?.dropoff, vehicleType: route ? vehicleTypeFromProto(route.vehicleType) : undefined });

/** uitgo.trip.v1.TripService: decode, call the use-case, encode. Decisions live in the use-cases. */
export function tripGrpc(useCases: TripUseCases): trip.TripServiceImplementation {
  const byDriver = (run: (ctx: ReturnType<typeof ctxOf>, input: { tripId: string; driverId: string }) => Promise<Parameters<typeof tripToProto>[0]>) =>
    async (request: { tripId: string; driverId: string }, context: CallContext) => ({ trip: tripToProto(await run(ctxOf(context), { tripId: request.tripId, driverId: request.driverId })) });
  return {
    async quoteTrip(request, context) {
      return quoteToProto(await useCases.quoteTrip(ctxOf(context), { passengerId: request.passengerId, route: routeOf(request.route) }));
    },
    async createTrip(request, context) {
      const source = request.source?.$case === 'quoteId' ? { quoteId: request.source.value } : request.source?.$case === 'route' ? { route: routeOf(request.source.value) } : undefined;
      const outcome = await useCases.createTrip(ctxOf(context), { passengerId: request.passengerId, idempotencyKey: request.idempotencyKey, source });
      return { trip: tripToProto(outcome.trip), replayed: outcome.replayed };
    },
    async getTrip(request, context) {
      return { trip: tripToProto(await useCases.getTrip(ctxOf(context), { tripId: request.tripId })) };
    },
    async batchGetTrips(request, context) {
      if (ctxOf(context).caller?.role !== 'service') throw new Forbidden('Only a service batches trip reads');
      if (request.lookups.length > MAX_TRIP_LOOKUPS) throw new ValidationFailed([{ path: 'lookups', message: `at most ${MAX_TRIP_LOOKUPS}` }]);
      const results = await Promise.all(
        request.lookups.map(async (lookup): Promise<trip.TripLookupResult> => {
          const caller = parseCaller(lookup.caller);
          const ctx: RequestContext = { traceId: acceptTraceId(lookup.traceId), ...(caller && { caller }) };
          try {
            return { result: { $case: 'trip', value: tripToProto(await useCases.getTrip(ctx, { tripId: lookup.tripId })) } };
          } catch (err) {
            // A refusal belongs to its own request; anything else is a fault of the whole call.
            if (err instanceof AppError) return { result: { $case: 'error', value: encodeWireError(err) } };
            throw err;
          }
        }),
      );
      return { results };
    },
    async listTrips(request, context) {
      const page = await useCases.listTrips(ctxOf(context), {
        passengerId: request.passengerId,
        driverId: request.driverId,
        status: statusFromProto(request.status),
        pageSize: request.pageSize,
        pageToken: request.pageToken,
      });
      return { trips: page.items.map(tripToProto), nextPageToken: page.nextPageToken };
    },
    acceptTrip: byDriver(useCases.acceptTrip),
    declineTrip: byDriver(useCases.declineTrip),
    arriveTrip: byDriver(useCases.arriveTrip),
    startTrip: byDriver(useCases.startTrip),
    completeTrip: byDriver(useCases.completeTrip),
    async cancelTrip(request, context) {
      return { trip: tripToProto(await useCases.cancelTrip(ctxOf(context), { tripId: request.tripId, reason: request.reason })) };
    },
    async getReceipt(request, context) {
      const receipt = await useCases.getReceipt(ctxOf(context), { tripId: request.tripId });
      return { url: receipt.url, expireTime: receipt.expiresAt };
    },
    async rateTrip(request, context) {
      const rating = await useCases.rateTrip(ctxOf(context), { tripId: request.tripId, passengerId: request.passengerId, stars: request.stars, comment: request.comment });
      return { rating: ratingToProto(rating) };
    },
    async *watchTrip(request, context) {
      for await (const update of useCases.watchTrip(ctxOf(context), { tripId: request.tripId }, context.signal)) yield { trip: tripToProto(update) };
    },
    async listDriverOffers(request, context) {
      return { offers: (await useCases.listDriverOffers(ctxOf(context), { driverId: request.driverId })).map(offerToProto) };
    },
    async *watchDriverOffers(request, context) {
      for await (const update of useCases.watchDriverOffers(ctxOf(context), { driverId: request.driverId }, context.signal)) yield offerUpdateToProto(update);
    },
  };
}
