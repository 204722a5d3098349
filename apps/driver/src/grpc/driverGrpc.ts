import type { driver } from '@uitgo/grpc';
import { requestContextOf, serveBatch, type RequestContext } from '@uitgo/kit';
import type { CallContext } from 'nice-grpc-common';
import type { DriverUseCases } from '../useCases/index.js';
import {
  fixFromProto,
  fixToProto,
  nearbyToProto,
  offerFromProto,
  offerToProto,
  profileToProto,
  tripStatusFromProto,
  vehicleTypeFromProto,
} from './protoMapping.js';

/** The points of each message: the single one (if set) and the batch, in order. */
async function* fixesOf(requests: AsyncIterable<driver.StreamLocationsRequest>) {
  for await (const request of requests) {
    if (request.driverId || request.point) yield { driverId: request.driverId, fix: fixFromProto(request.point) };
    for (const item of request.points) yield { driverId: item.driverId, fix: fixFromProto(item.point) };
  }
}

const ctxOf = (context: CallContext) => requestContextOf(context);
/** A search that came without its query: validated (and refused) like an empty request. */
const emptySearch: driver.SearchNearbyDriversRequest = { center: undefined, radiusM: 0, limit: 0, vehicleType: 0 };

/** uitgo.driver.v1.DriverService: decode, call the use-case, encode. Decisions live in the use-cases. */
export function driverGrpc(useCases: DriverUseCases): driver.DriverServiceImplementation {
  const searchNearby = async (ctx: RequestContext, request: driver.SearchNearbyDriversRequest): Promise<driver.SearchNearbyDriversResponse> => {
    const found = await useCases.searchNearbyDrivers(ctx, {
      lat: request.center?.lat,
      lng: request.center?.lng,
      radiusM: request.radiusM,
      limit: request.limit,
      vehicleType: vehicleTypeFromProto(request.vehicleType),
    });
    return { drivers: found.map(nearbyToProto) };
  };
  return {
    async upsertDriverProfile(request, context) {
      const view = await useCases.upsertDriverProfile(ctxOf(context), {
        driverId: request.driverId,
        vehicleType: vehicleTypeFromProto(request.vehicleType) ?? null,
        plateNumber: request.plateNumber,
        vehicleModel: request.vehicleModel,
      });
      return { profile: profileToProto(view) };
    },
    async getDriverProfile(request, context) {
      return { profile: profileToProto(await useCases.getDriverProfile(ctxOf(context), { driverId: request.driverId })) };
    },
    async goOnline(request, context) {
      return { profile: profileToProto(await useCases.goOnline(ctxOf(context), { driverId: request.driverId })) };
    },
    async goOffline(request, context) {
      return { profile: profileToProto(await useCases.goOffline(ctxOf(context), { driverId: request.driverId })) };
    },
    async updateLocation(request, context) {
      return useCases.updateLocation(ctxOf(context), { driverId: request.driverId, fix: fixFromProto(request.point) ?? {} });
    },
    async recordLocations(request, context) {
      const report = await useCases.recordLocations(ctxOf(context), { driverId: request.driverId, fixes: request.points.map((p) => fixFromProto(p)!) });
      return { accepted: report.accepted, ignored: report.ignored, rejected: report.rejected };
    },
    async streamLocations(requests, context) {
      return useCases.streamLocations(ctxOf(context), fixesOf(requests));
    },
    async searchNearbyDrivers(request, context) {
      return searchNearby(ctxOf(context), request);
    },
    async batchSearchNearbyDrivers(request, context) {
      const outcomes = await serveBatch(ctxOf(context), request.searches, 'searches', (ctx, search) => searchNearby(ctx, search.query ?? emptySearch));
      return { results: outcomes.map((outcome) => ({ result: 'ok' in outcome ? { $case: 'found', value: outcome.ok } : { $case: 'error', value: outcome.error } })) };
    },
    async reserveDriver(request, context) {
      const reservation = await useCases.reserveDriver(ctxOf(context), {
        driverId: request.driverId,
        tripId: request.tripId,
        ttlSeconds: request.ttlSeconds,
        offer: offerFromProto(request),
      });
      return { reservationId: reservation.reservationId, expireTime: reservation.expiresAt };
    },
    async releaseDriver(request, context) {
      await useCases.releaseDriver(ctxOf(context), { driverId: request.driverId, reservationId: request.reservationId, tripId: request.tripId });
      return {};
    },
    async setDriverTripStatus(request, context) {
      const view = await useCases.setDriverTripStatus(ctxOf(context), { driverId: request.driverId, tripId: request.tripId, status: tripStatusFromProto(request.status) });
      return { profile: profileToProto(view) };
    },
    async listOffers(request, context) {
      return { offers: (await useCases.listOffers(ctxOf(context), { driverId: request.driverId })).map(offerToProto) };
    },
    async getLocationTrack(request, context) {
      const page = await useCases.getLocationTrack(ctxOf(context), {
        driverId: request.driverId,
        from: request.startTime,
        to: request.endTime,
        pageSize: request.pageSize,
        pageToken: request.pageToken,
      });
      return { points: page.points.map(fixToProto), nextPageToken: page.nextPageToken };
    },
  };
}
