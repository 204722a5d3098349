import { common, driver, trip } from '@uitgo/grpc';
import { AppError, createGrpcServer, createLogger, createMetrics, requestContextOf, serveBatch, type RequestContext } from '@uitgo/kit';
import type { CallContext, Server } from 'nice-grpc';
import { protoTrip, tripView } from './tripFixtures.js';

export interface StreamedPoint {
  driverId: string;
  point: driver.LocationPoint | undefined;
  /** Which StreamLocations call carried it (1 for the first). */
  stream: number;
}

/**
 * A test double of uitgo.driver.v1.DriverService behind the kit's real gRPC server: a little
 * state (profiles, who is verified), canned answers for search, offers and tracks, and a record
 * of what the gateway sent and as whom.
 */
export class FakeDriverService {
  readonly calls: { method: string; request: unknown; context: RequestContext }[] = [];
  readonly profiles = new Map<string, driver.DriverProfile>();
  readonly verified = new Set<string>();
  readonly streamed: StreamedPoint[] = [];
  readonly streamCallers: RequestContext[] = [];
  nearby: driver.NearbyDriver[] = [];
  offers: driver.Offer[] = [];
  /** Served by TripService.ListTrips (newest first), filtered on the request's passenger or driver. */
  trips: trip.Trip[] = [];
  /** When set, the trip service's calls fail with it. */
  tripFailure: AppError | undefined;
  /** With tripFailure: how many calls fail before it clears (absent: until the test clears it). */
  tripFailuresLeft: number | undefined;
  track: driver.GetLocationTrackResponse = { points: [], nextPageToken: '' };
  /** When set, the current stream fails after receiving this many more points (once). */
  failStreamAfter: number | undefined;
  /** While set, each streamed point waits for it: lets a test hold the stream back. */
  streamGate: Promise<void> | undefined;
  /** While set, each ListTrips call waits for it: lets a test hold the trip service back. */
  tripGate: Promise<void> | undefined;
  /** ListTrips calls being answered now, and the most there have been at once. */
  tripListsRunning = 0;
  tripListsPeak = 0;
  private streams = 0;

  /** Throws tripFailure, if set, counting it down. */
  failTripCall(): void {
    const failure = this.tripFailure;
    if (!failure) return;
    if (this.tripFailuresLeft !== undefined && --this.tripFailuresLeft <= 0) [this.tripFailure, this.tripFailuresLeft] = [undefined, undefined];
    throw failure;
  }

  private constructor(
    private readonly server: Server,
    readonly address: string,
  ) {}

  static async start(): Promise<FakeDriverService> {
    const { server } = createGrpcServer({ logger: createLogger({ service: 'fake-driver', level: 'silent' }), metrics: createMetrics('fake', { defaults: false }) });
    const ref: { current?: FakeDriverService } = {};
    server.add(driver.DriverServiceDefinition, implementation(() => ref.current!));
    // The gateway's trip client shares this channel in gateway tests: answer offers and trip lists from here too.
    server.add(trip.TripServiceDefinition, tripImplementation(() => ref.current!));
    const port = await server.listen('127.0.0.1:0');
    ref.current = new FakeDriverService(server, `127.0.0.1:${port}`);
    return ref.current;
  }

  stop(): Promise<void> {
    return this.server.shutdown();
  }

  /** Forgets what was streamed, and numbers the next stream 1 again. */
  resetStreams(): void {
    this.streamed.length = 0;
    this.streamCallers.length = 0;
    this.streams = 0;
    this.failStreamAfter = undefined;
  }

  lastCall(method: string) {
    return this.calls.filter((c) => c.method === method).at(-1);
  }

  record(method: string, request: unknown, callContext: CallContext): RequestContext {
    const context = requestContextOf(callContext);
    this.calls.push({ method, request, context });
    return context;
  }

  profile(driverId: string): driver.DriverProfile {
    const profile = this.profiles.get(driverId);
    if (!profile) throw new AppError('DRIVER_NOT_FOUND', 'Driver not found');
    return profile;
  }

  async *receive(requests: AsyncIterable<driver.StreamLocationsRequest>, callContext: CallContext) {
    const stream = ++this.streams;
    this.streamCallers.push(requestContextOf(callContext));
    for await (const request of requests) {
      const items = [...(request.driverId || request.point ? [{ driverId: request.driverId, point: request.point }] : []), ...request.points];
      for (const item of items) {
        if (this.streamGate) await this.streamGate;
        this.streamed.push({ ...item, stream });
        if (this.failStreamAfter !== undefined && --this.failStreamAfter <= 0) {
          this.failStreamAfter = undefined;
          throw new AppError('UNAVAILABLE', 'stream broke');
        }
        yield item;
      }
    }
  }
}

function tripImplementation(fake: () => FakeDriverService): trip.TripServiceImplementation {
  const unused = async (): Promise<never> => {
    throw new AppError('INTERNAL', 'not used by these tests');
  };
  const others = Object.fromEntries(Object.keys(trip.TripServiceDefinition.methods).map((name) => [name, unused])) as unknown as trip.TripServiceImplementation;
  return {
    ...others,
    async listDriverOffers(request, context) {
      const f = fake();
      const caller = f.record('listDriverOffers', request, context).caller;
      f.failTripCall();
      if (caller?.userId !== request.driverId) throw new AppError('FORBIDDEN', 'not yours');
      return { offers: f.offers };
    },
    async createTrip(request, context) {
      const f = fake();
      f.record('createTrip', request, context);
      return { trip: protoTrip(tripView('REQUESTED', Date.now(), { passengerId: request.passengerId })) };
    },
    async listTrips(request, context) {
      const f = fake();
      const caller = f.record('listTrips', request, context).caller;
      f.tripListsPeak = Math.max(f.tripListsPeak, ++f.tripListsRunning);
      try {
        await f.tripGate;
      } finally {
        f.tripListsRunning--;
      }
      f.failTripCall();
      if (caller?.userId !== (request.passengerId ?? request.driverId)) throw new AppError('FORBIDDEN', 'not yours');
      const mine = f.trips.filter((t) => (request.passengerId ? t.passengerId === request.passengerId : t.driverId === request.driverId));
      return { trips: mine.slice(0, request.pageSize || 20), nextPageToken: '' };
    },
  };
}

function implementation(fake: () => FakeDriverService): driver.DriverServiceImplementation {
  const unused = async (): Promise<never> => {
    throw new AppError('INTERNAL', 'not used by the gateway');
  };
  const own = (f: FakeDriverService, context: RequestContext, driverId: string) => {
    if (context.caller?.userId !== driverId) throw new AppError('FORBIDDEN', 'not yours');
  };
  return {
    async upsertDriverProfile(request, context) {
      const f = fake();
      own(f, f.record('upsertDriverProfile', request, context), request.driverId);
      const previous = f.profiles.get(request.driverId);
      const profile: driver.DriverProfile = {
        driverId: request.driverId,
        vehicleType: request.vehicleType,
        plateNumber: request.plateNumber,
        vehicleModel: request.vehicleModel,
        status: previous?.status ?? driver.DriverStatus.DRIVER_STATUS_OFFLINE,
        lastLocation: previous?.lastLocation,
        updateTime: new Date(),
      };
      f.profiles.set(request.driverId, profile);
      return { profile };
    },
    async getDriverProfile(request, context) {
      const f = fake();
      f.record('getDriverProfile', request, context);
      return { profile: f.profile(request.driverId) };
    },
    async goOnline(request, context) {
      const f = fake();
      own(f, f.record('goOnline', request, context), request.driverId);
      const profile = f.profile(request.driverId);
      if (!f.verified.has(request.driverId)) throw new AppError('DRIVER_NOT_VERIFIED', 'The driver is not verified yet');
      profile.status = driver.DriverStatus.DRIVER_STATUS_AVAILABLE;
      return { profile };
    },
    async goOffline(request, context) {
      const f = fake();
      own(f, f.record('goOffline', request, context), request.driverId);
      const profile = f.profile(request.driverId);
      profile.status = driver.DriverStatus.DRIVER_STATUS_OFFLINE;
      return { profile };
    },
    async updateLocation(request, context) {
      const f = fake();
      own(f, f.record('updateLocation', request, context), request.driverId);
      f.profile(request.driverId).lastLocation = request.point;
      return { ignored: false };
    },
    async recordLocations(request, context) {
      const f = fake();
      own(f, f.record('recordLocations', request, context), request.driverId);
      const valid = request.points.filter((p) => (p.location?.lat ?? 0) !== 0);
      return {
        accepted: valid.length,
        ignored: 0,
        rejected: request.points.flatMap((p, index) => ((p.location?.lat ?? 0) === 0 ? [{ index, field: 'location.lat', message: 'null island' }] : [])),
      };
    },
    async streamLocations(requests, context) {
      const f = fake();
      let accepted = 0;
      for await (const _ of f.receive(requests, context)) accepted++;
      return { accepted, rejected: 0, ignored: 0 };
    },
    async searchNearbyDrivers(request, context) {
      const f = fake();
      if (f.record('searchNearbyDrivers', request, context).caller?.role === 'driver') throw new AppError('FORBIDDEN', 'drivers may not search');
      return { drivers: f.nearby };
    },
    async batchSearchNearbyDrivers(request, context) {
      const f = fake();
      f.record('batchSearchNearbyDrivers', request, context);
      const outcomes = await serveBatch(requestContextOf(context), request.searches, 'searches', async (ctx) => {
        if (ctx.caller?.role === 'driver') throw new AppError('FORBIDDEN', 'drivers may not search');
        return { drivers: f.nearby };
      });
      return { results: outcomes.map((outcome) => ({ result: 'ok' in outcome ? { $case: 'found' as const, value: outcome.ok } : { $case: 'error' as const, value: outcome.error } })) };
    },
    async listOffers(request, context) {
      const f = fake();
      own(f, f.record('listOffers', request, context), request.driverId);
      return { offers: f.offers };
    },
    async getLocationTrack(request, context) {
      const f = fake();
      if (f.record('getLocationTrack', request, context).caller?.role !== 'admin') throw new AppError('FORBIDDEN', 'admins only');
      return f.track;
    },
    reserveDriver: unused,
    releaseDriver: unused,
    setDriverTripStatus: unused,
  };
}

export const VEHICLE = common.VehicleType;
