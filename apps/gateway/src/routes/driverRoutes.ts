import { driverAdminRoutes, fixTimeProblem, routes, type FixWindow } from '@uitgo/contracts';
import type { driver as proto } from '@uitgo/grpc';
import { AppError, CallCoalescer } from '@uitgo/kit';
import type { GatewayClients } from '../clients.js';
import type { LocationSink } from '../live/locationStream.js';
import type { RouteRegistrar } from '../http/registerRoute.js';
import { protoVehicleType, toDriverProfile, toDriverTrack, toNearbyDriver, toProtoPoint, toTripOffer } from '../mappers/driverMappers.js';

/**
 * A fix outside the window is the caller's mistake: 400 naming recordedAt. Single fixes join the
 * shared StreamLocations stream, which answers no fix on its own, so the gateway checks the window
 * itself to tell the driver why.
 */
function assertFreshFix(recordedAt: string, window: FixWindow, now = Date.now()): void {
  const problem = fixTimeProblem(Date.parse(recordedAt), now, window);
  if (problem) {
    throw new AppError('VALIDATION_FAILED', `recordedAt ${problem}`, { fields: [{ path: 'body.recordedAt', message: problem }] });
  }
}

/**
 * The driver routes of API.md and the admin track route: each is one call to
 * uitgo.driver.v1.DriverService, except the offers (uitgo.trip.v1.TripService owns them) and
 * single location updates, which join the gateway's one long-lived StreamLocations stream (as
 * WebSocket frames do): a unary call per GPS fix would cap ingest at the gRPC round-trip rate.
 * Nearby searches arriving together share one BatchSearchNearbyDrivers call.
 */
export function registerDriverRoutes(route: RouteRegistrar, { driver, trip }: GatewayClients, locations: LocationSink, fixWindow: FixWindow): void {
  const nearby = new CallCoalescer<proto.SearchNearbyDriversRequest, proto.NearbyDriver[]>({
    single: async (query, context) => (await driver.searchNearbyDrivers(query, { context })).drivers,
    batch: async (items, context) => {
      const { results } = await driver.batchSearchNearbyDrivers({ searches: items }, { context });
      return results.map(({ result }) => (result?.$case === 'found' ? { ok: result.value.drivers } : result?.$case === 'error' ? { error: result.value } : undefined));
    },
  });

  route(routes.upsertMyVehicle, async ({ caller, body, context }) =>
    toDriverProfile(
      (
        await driver.upsertDriverProfile({
          driverId: caller.userId,
          vehicleType: protoVehicleType(body.vehicleType),
          plateNumber: body.plateNumber,
          vehicleModel: body.vehicleModel,
        }, { context })
      ).profile,
    ),
  );

  route(routes.getMyDriverProfile, async ({ caller, context }) =>
    toDriverProfile((await driver.getDriverProfile({ driverId: caller.userId }, { context })).profile),
  );

  route(routes.goOnline, async ({ caller, context }) => toDriverProfile((await driver.goOnline({ driverId: caller.userId }, { context })).profile));

  route(routes.goOffline, async ({ caller, context }) => toDriverProfile((await driver.goOffline({ driverId: caller.userId }, { context })).profile));

  route(routes.updateMyLocation, async ({ caller, body }) => {
    assertFreshFix(body.recordedAt, fixWindow);
    if (!locations.offer(caller.userId, toProtoPoint(body))) {
      throw new AppError('UNAVAILABLE', 'Location intake is saturated; send the next fix a little later');
    }
    return undefined;
  });

  route(routes.recordMyLocations, async ({ caller, body, context }) => {
    const report = await driver.recordLocations({ driverId: caller.userId, points: body.points.map(toProtoPoint) }, { context });
    return { accepted: report.accepted };
  });

  route(routes.findNearbyDrivers, async ({ query, context }) => {
    const found = await nearby.run({
      center: { lat: query.lat, lng: query.lng },
      radiusM: query.radiusM,
      limit: query.limit,
      vehicleType: protoVehicleType(query.vehicleType),
    }, context);
    return { items: found.map(toNearbyDriver) };
  });

  // The trip service is the authority on offers: the driver service's hold precedes the offer's commit.
  route(routes.listMyOffers, async ({ caller, context }) => ({
    items: (await trip.listDriverOffers({ driverId: caller.userId }, { context })).offers.map(toTripOffer),
  }));

  route(driverAdminRoutes.getDriverTrack, async ({ params, query, context }) =>
    toDriverTrack(
      await driver.getLocationTrack({
        driverId: params.id,
        startTime: new Date(query.from),
        endTime: new Date(query.to),
        pageSize: query.limit,
        pageToken: query.cursor ?? '',
      }, { context }),
    ),
  );
}
