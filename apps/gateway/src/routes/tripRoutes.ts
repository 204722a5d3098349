import { routes, type LatLng, type VehicleType } from '@uitgo/contracts';
import { common, type trip as proto } from '@uitgo/grpc';
import type { GatewayClients } from '../clients.js';
import type { RouteRegistrar } from '../http/registerRoute.js';
import { protoVehicleType } from '../mappers/driverMappers.js';
import { protoRole } from '../mappers/protoValues.js';
import { protoTripStatus, toQuote, toRating, toReceipt, toTrip, toTripPage } from '../mappers/tripMappers.js';
import { TripReads } from './tripReads.js';

const toProtoRoute = (route: { pickup: LatLng; dropoff: LatLng; vehicleType: VehicleType }): proto.TripRoute => ({
  pickup: { lat: route.pickup.lat, lng: route.pickup.lng },
  dropoff: { lat: route.dropoff.lat, lng: route.dropoff.lng },
  vehicleType: protoVehicleType(route.vehicleType),
});

/**
 * The trip routes of API.md: each is one call to uitgo.trip.v1.TripService, which decides access
 * from the caller in metadata (concurrent `GET /trips/{id}` share a BatchGetTrips call).
 */
export function registerTripRoutes(route: RouteRegistrar, { trip }: GatewayClients): void {
  route(routes.quoteTrip, async ({ caller, body, context }) =>
    toQuote(await trip.quoteTrip({ passengerId: caller.userId, route: toProtoRoute(body) }, { context })),
  );

  route(routes.createTrip, async ({ caller, body, request, context }) =>
    toTrip(
      (
        await trip.createTrip({
          passengerId: caller.userId,
          // Required by the route: the framework has already refused a request without it.
          idempotencyKey: String(request.headers['idempotency-key']),
          source: 'quoteId' in body ? { $case: 'quoteId', value: body.quoteId } : { $case: 'route', value: toProtoRoute(body) },
        }, { context })
      ).trip,
    ),
  );

  const reads = new TripReads(trip);
  route(routes.getTrip, async ({ params, context }) => toTrip(await reads.get(params.id, context)));

  route(routes.listTrips, async ({ caller, query, context }) =>
    toTripPage(
      await trip.listTrips({
        // Passengers and drivers list their own trips; admins (and services) all of them.
        ...(caller.role === 'passenger' ? { passengerId: caller.userId } : {}),
        ...(caller.role === 'driver' ? { driverId: caller.userId } : {}),
        status: protoTripStatus(query.status),
        pageSize: query.limit,
        pageToken: query.cursor ?? '',
      }, { context }),
    ),
  );

  route(routes.acceptTrip, async ({ caller, params, context }) =>
    toTrip((await trip.acceptTrip({ tripId: params.id, driverId: caller.userId }, { context })).trip),
  );
  route(routes.declineTrip, async ({ caller, params, context }) =>
    toTrip((await trip.declineTrip({ tripId: params.id, driverId: caller.userId }, { context })).trip),
  );
  route(routes.arriveTrip, async ({ caller, params, context }) =>
    toTrip((await trip.arriveTrip({ tripId: params.id, driverId: caller.userId }, { context })).trip),
  );
  route(routes.startTrip, async ({ caller, params, context }) =>
    toTrip((await trip.startTrip({ tripId: params.id, driverId: caller.userId }, { context })).trip),
  );
  route(routes.completeTrip, async ({ caller, params, context }) =>
    toTrip((await trip.completeTrip({ tripId: params.id, driverId: caller.userId }, { context })).trip),
  );

  route(routes.cancelTrip, async ({ caller, params, body, context }) =>
    toTrip(
      (
        await trip.cancelTrip({
          tripId: params.id,
          ...(body?.reason !== undefined ? { reason: body.reason } : {}),
          actor: { userId: caller.userId, role: caller.role === 'service' ? common.Role.ROLE_UNSPECIFIED : protoRole(caller.role) },
        }, { context })
      ).trip,
    ),
  );

  route(routes.getReceipt, async ({ params, context }) => toReceipt(await trip.getReceipt({ tripId: params.id }, { context })));

  route(routes.rateTrip, async ({ caller, params, body, context }) =>
    toRating(
      (
        await trip.rateTrip({
          tripId: params.id,
          passengerId: caller.userId,
          stars: body.stars,
          ...(body.comment !== undefined ? { comment: body.comment } : {}),
        }, { context })
      ).rating,
    ),
  );
}
