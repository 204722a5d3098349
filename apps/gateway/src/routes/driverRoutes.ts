import { driverAdminRoutes, routes } from '@uitgo/contracts';
import type { GatewayClients } from '../clients.js';
import type { RouteRegistrar } from '../http/registerRoute.js';
import { protoVehicleType, toDriverProfile, toDriverTrack, toNearbyDriver, toProtoPoint, toTripOffer } from '../mappers/driverMappers.js';

/** The driver routes of API.md and the admin track route: each is one call to uitgo.driver.v1.DriverService. */
export function registerDriverRoutes(route: RouteRegistrar, { driver }: GatewayClients): void {
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

  route(routes.updateMyLocation, async ({ caller, body, context }) => {
    await driver.updateLocation({ driverId: caller.userId, point: toProtoPoint(body) }, { context });
    return undefined;
  });

  route(routes.recordMyLocations, async ({ caller, body, context }) => {
    const report = await driver.recordLocations({ driverId: caller.userId, points: body.points.map(toProtoPoint) }, { context });
    return { accepted: report.accepted };
  });

  route(routes.findNearbyDrivers, async ({ query, context }) => {
    const found = await driver.searchNearbyDrivers({
      center: { lat: query.lat, lng: query.lng },
      radiusM: query.radiusM,
      limit: query.limit,
      vehicleType: protoVehicleType(query.vehicleType),
    }, { context });
    return { items: found.drivers.map(toNearbyDriver) };
  });

  route(routes.listMyOffers, async ({ caller, context }) => ({
    items: (await driver.listOffers({ driverId: caller.userId }, { context })).offers.map(toTripOffer),
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
