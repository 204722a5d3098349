import type { trip } from '@uitgo/grpc';
import { requestContextOf, serveBatch } from '@uitgo/kit';
import type { CallContext } from 'nice-grpc-common';
import type { TripUseCases } from '../useCases/index.js';
import { offerToProto, offerUpdateToProto, quoteToProto, ratingToProto, statusFromProto, tripToProto, vehicleTypeFromProto } from './protoMapping.js';

const ctxOf = (context: CallContext) => requestContextOf(context);

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
      const outcomes = await serveBatch(ctxOf(context), request.lookups, 'lookups', async (ctx, lookup) => tripToProto(await useCases.getTrip(ctx, { tripId: lookup.tripId })));
      return { results: outcomes.map((outcome) => ({ result: 'ok' in outcome ? { $case: 'trip', value: outcome.ok } : { $case: 'error', value: outcome.error } })) };
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
