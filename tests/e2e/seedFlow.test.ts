import { randomUUID } from 'node:crypto';
import { ServerFrame, TOPICS } from '@uitgo/contracts';
import { closeRedis, openRedis, redisCommands, redisTargetOf } from '@uitgo/kit/kv';
import { loadServiceConfig } from '@uitgo/kit/runtime';
import { describeReal, pdfText } from '@uitgo/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, registerAccount, verifyDriver, type Account } from '../support/accounts.js';
import { ApiClient, eventually, type Json } from '../support/apiClient.js';
import type { EventRecorder } from '../support/eventRecorder.js';
import { LiveSocket } from '../support/liveSocket.js';
import { startEmbeddedTestPlatform, startRealTestPlatform, type TestPlatform } from '../support/platformHarness.js';
import { act, offset, privateTripEnv, requestTrip, uniquePlate, waitForDriverStatus, type Point } from '../support/tripActors.js';

const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

/** Great-circle metres, as the trip service measures a track. */
function haversineM(a: Point, b: Point): number {
  const rad = (deg: number) => (deg * Math.PI) / 180;
  const h = Math.sin(rad(b.lat - a.lat) / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lng - a.lng) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}
const pathLengthM = (points: Point[]) => points.slice(1).reduce((total, p, i) => total + haversineM(points[i]!, p), 0);

/** The points after `from`, one every `stepM` metres along each leg ([north, east] metres). */
function route(from: Point, legs: [north: number, east: number][], stepM = 200): Point[] {
  const points = [from];
  for (const [north, east] of legs) {
    const start = points.at(-1)!;
    const steps = Math.round(Math.hypot(north, east) / stepM);
    for (let i = 1; i <= steps; i++) points.push(offset(start, (north * i) / steps, (east * i) / steps));
  }
  return points.slice(1);
}

/**
 * Sends `points` as the driver app does, as `location` frames with a heading, a city speed and
 * strictly increasing recordedAt (the archive keeps one point per driver and millisecond);
 * `after` runs once each frame is sent, before the next.
 */
let lastRecordedMs = 0;
async function stream(socket: LiveSocket, from: Point, points: Point[], after?: (fix: Json) => Promise<void>): Promise<Json[]> {
  const sent: Json[] = [];
  let previous = from;
  for (const point of points) {
    lastRecordedMs = Math.max(Date.now(), lastRecordedMs + 1);
    const headingDeg = Math.round((Math.atan2(point.lng - previous.lng, point.lat - previous.lat) * 180) / Math.PI + 360) % 360;
    const fix = { type: 'location', ...point, headingDeg, speedKmh: 30, accuracyM: 5, recordedAt: new Date(lastRecordedMs).toISOString() };
    socket.send(fix);
    sent.push(fix);
    previous = point;
    await after?.(fix);
  }
  return sent;
}

/** Real mode: the trip as the trip service's Redis read model holds it (`<prefix>trip:{<id>}`, field `j`). */
async function readModelTrip(keyPrefix: string, tripId: string): Promise<Json | undefined> {
  const redis = await openRedis(redisTargetOf(loadServiceConfig('trip', process.env).infra));
  try {
    const json = await redisCommands(redis).hGet(`${keyPrefix}trip:{${tripId}}`, 'j');
    return json ? JSON.parse(json) : undefined;
  } finally {
    await closeRedis(redis);
  }
}

/**
 * The client's integration test plan (seed document §8) as one ordered scenario through the
 * gateway: register and log in a passenger; register a driver, verify them and set them online;
 * create a trip, assign the driver over the live socket, ride along a streamed track, complete;
 * then the receipt, the read model and the trip's events on the bus.
 */
function seedFlowSuite(start: (env: NodeJS.ProcessEnv) => Promise<TestPlatform>) {
  const env = privateTripEnv('seed-flow');
  let platform: TestPlatform;
  let api: ApiClient;
  let bus: EventRecorder;
  const sockets: LiveSocket[] = [];

  const login = async (email: string, password: string) => {
    const res = await api.post('/auth/login', { email, password });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ user: { email }, accessToken: expect.any(String), refreshToken: expect.any(String), tokenType: 'Bearer' });
    return res.body as Json;
  };
  /** Registers, then logs in: the login's token is the one used from then on. */
  const signUp = async (role: 'passenger' | 'driver'): Promise<Account> => {
    const registered = await registerAccount(api, role);
    const session = await login(registered.email, PASSWORD);
    expect(session.user).toMatchObject({ id: registered.id, role });
    return { ...registered, token: session.accessToken };
  };
  const connect = async (account: Account) => {
    const socket = await LiveSocket.open(platform.url, account.token);
    sockets.push(socket);
    await socket.next('ready');
    return socket;
  };
  const tripUpdate = (socket: LiveSocket, tripId: string, status: string) =>
    socket.waitFor((f) => f.type === 'trip_updated' && f.trip.id === tripId && f.trip.status === status, `trip_updated ${status}`, 20_000);
  const positionAt = (socket: LiveSocket, fix: Json) =>
    socket.waitFor((f) => f.type === 'driver_location' && f.recordedAt === fix.recordedAt, `driver_location of ${fix.recordedAt}`, 20_000);

  beforeAll(async () => {
    platform = await start({ ...env, TRIP_OFFER_TTL_MS: '60000' });
    api = new ApiClient(platform.url);
    bus = await platform.recordEvents([TOPICS.trip]);
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await platform?.stop();
  });

  it('register and log in; a verified driver online and streaming; quote, request, offer over the socket, ride, complete on the track; receipt, read model, events', async () => {
    const pickup = { lat: 10.87, lng: 106.8 };
    const ride = { pickup, dropoff: offset(pickup, 2_000), vehicleType: 'car4' };

    // 1. The passenger registers, then logs in.
    const passenger = await signUp('passenger');
    expect((await api.get('/auth/me', { token: passenger.token })).body).toMatchObject({ id: passenger.id, role: 'passenger' });

    // 2. The driver registers, logs in, registers a car (not enough to go online), sends their documents, is verified by the admin, goes online.
    const driver = await signUp('driver');
    const admin = (await login(platform.admin.email, platform.admin.password)).accessToken as string;
    const plateNumber = uniquePlate();
    const car = await api.put('/drivers/me', { vehicleType: 'car4', plateNumber, vehicleModel: 'Toyota Vios' }, { token: driver.token });
    expect(car.status, car.text).toBe(200);
    const tooSoon = await api.post('/drivers/me/online', undefined, { token: driver.token });
    expect([tooSoon.status, tooSoon.body?.code], tooSoon.text).toEqual([409, 'DRIVER_NOT_VERIFIED']);
    await verifyDriver(api, driver, admin);
    const documents = await api.get('/users/me/documents', { token: driver.token });
    expect(documents.body.items.map((d: Json) => `${d.kind} ${d.status}`).sort()).toEqual(['driver_license uploaded', 'national_id uploaded']);
    expect((await api.get('/users/me', { token: driver.token })).body.verificationStatus).toBe('verified');
    const online = await api.post('/drivers/me/online', undefined, { token: driver.token });
    expect(online.status, online.text).toBe(200);
    expect(online.body).toMatchObject({ vehicleType: 'car4', status: 'available' });

    // 3. The driver streams positions over the socket, closing in on the pickup; nearby search sees the last one.
    const d = await connect(driver);
    const p = await connect(passenger);
    const approachStart = offset(pickup, -1_400);
    const approach = await stream(d, approachStart, route(approachStart, [[800, 0]]));
    const last = approach.at(-1)!;
    await eventually(async () => {
      const res = await api.get(`/drivers/nearby?lat=${pickup.lat}&lng=${pickup.lng}&radiusM=3000&vehicleType=car4`, { token: passenger.token });
      const found = res.body?.items?.find((n: Json) => n.driverId === driver.id);
      return found?.location.lat === last.lat && found.location.lng === last.lng ? found : undefined;
    }, { what: 'the driver at their last streamed position', timeoutMs: 15_000 });

    // 4. The passenger quotes and requests the trip with the quote and an Idempotency-Key.
    const quote = await api.post('/trips/quote', ride, { token: passenger.token });
    expect(quote.status, quote.text).toBe(200);
    expect(quote.body).toMatchObject({ quoteId: expect.any(String), fare: { amount: expect.any(Number), currency: 'VND' }, distanceM: expect.any(Number) });
    const key = randomUUID();
    const created = await requestTrip(api, passenger, { quoteId: quote.body.quoteId }, key);
    expect(created.status, created.text).toBe(201);
    const tripId: string = created.body.id;
    expect(created.body).toMatchObject({ passengerId: passenger.id, driverId: null, status: 'REQUESTED', distanceM: quote.body.distanceM, quote: { amount: quote.body.fare.amount } });
    const replayed = await requestTrip(api, passenger, { quoteId: quote.body.quoteId }, key);
    expect([replayed.status, replayed.body.id]).toEqual([201, tripId]);

    // 5. The offer reaches the driver over the socket (no polling); accepted, both sides learn it; the passenger follows the driver.
    const offer = await d.waitFor((f) => f.type === 'offer' && f.offer.tripId === tripId, 'the offer frame', 20_000);
    expect(offer.offer).toMatchObject({ tripId, pickup, dropoff: ride.dropoff, fare: { amount: quote.body.fare.amount, currency: 'VND' }, expiresAt: ISO });
    expect(await act(api, driver, tripId, 'accept')).toMatchObject({ status: 'DRIVER_ASSIGNED', driverId: driver.id });
    for (const socket of [p, d]) expect((await tripUpdate(socket, tripId, 'DRIVER_ASSIGNED')).trip).toMatchObject({ driverId: driver.id, assignedAt: ISO });
    await waitForDriverStatus(api, driver, 'on_trip');
    // One fix at a time, as a phone sends them: each reaches the passenger (a burst would be thinned to its newest).
    const followed = await stream(d, last, route(last, [[600, 0]]), async (fix) => {
      expect(await positionAt(p, fix)).toEqual({ type: 'driver_location', tripId, driverId: driver.id, location: { lat: fix.lat, lng: fix.lng }, headingDeg: 0, speedKmh: 30, recordedAt: fix.recordedAt });
    });
    expect(followed.length).toBe(3);

    // 6. Arrive, start, drive a detour of about 4 km (the straight line is 2 km), complete: billed on the archived track.
    await act(api, driver, tripId, 'arrive');
    const started = await act(api, driver, tripId, 'start');
    expect(started).toMatchObject({ status: 'IN_TRIP', startedAt: ISO, distanceM: quote.body.distanceM });
    const path = [pickup, ...route(pickup, [[0, 1_000], [2_000, 0], [0, -1_000]])];
    const driven = await stream(d, pickup, path);
    expect(await positionAt(p, driven.at(-1)!)).toMatchObject({ tripId, location: { lat: path.at(-1)!.lat, lng: path.at(-1)!.lng } });
    const trackM = pathLengthM(path);
    // The track and the quote must disagree, or billing on one could not be told from the other.
    expect(Math.abs(trackM - quote.body.distanceM)).toBeGreaterThan(1_000);
    const window = `from=${encodeURIComponent(driven[0]!.recordedAt)}&to=${encodeURIComponent(new Date(lastRecordedMs + 1).toISOString())}&limit=100`;
    const archived = await eventually(async () => {
      const res = await api.get(`/drivers/${driver.id}/track?${window}`, { token: admin });
      expect(res.status, res.text).toBe(200);
      return res.body.items.length >= path.length ? (res.body.items as Json[]) : undefined;
    }, { what: 'the ride archived', timeoutMs: 15_000 });
    expect(archived.map((a) => ({ lat: a.lat, lng: a.lng }))).toEqual(path);
    const completed = await act(api, driver, tripId, 'complete');
    expect(completed).toMatchObject({ status: 'COMPLETED', completedAt: ISO, fare: { amount: expect.any(Number), currency: 'VND' } });
    expect(Math.abs(completed.distanceM - trackM)).toBeLessThan(trackM * 0.01);
    const distanceLine = completed.fare.breakdown.find((line: Json) => line.code === 'distance');
    expect(distanceLine?.label).toBe(`Distance ${(trackM / 1000).toFixed(1)} km`);
    expect(quote.body.fare.breakdown.find((line: Json) => line.code === 'distance')?.label).not.toBe(distanceLine?.label);
    for (const socket of [p, d]) expect((await tripUpdate(socket, tripId, 'COMPLETED')).trip).toMatchObject({ fare: completed.fare, distanceM: completed.distanceM });

    // 7. The receipt: a presigned URL to a PDF naming the driver (the trip service asks the user service) and their car.
    const receipt = await eventually(async () => {
      const res = await api.get(`/trips/${tripId}/receipt`, { token: passenger.token });
      return res.status === 503 ? undefined : res;
    }, { what: 'the receipt rendered', timeoutMs: 20_000 });
    expect([receipt.status, receipt.body], receipt.text).toEqual([200, { url: expect.any(String), expiresAt: ISO }]);
    const file = await fetch(receipt.body.url);
    const pdf = Buffer.from(await file.arrayBuffer());
    expect([file.status, pdf.subarray(0, 5).toString()]).toEqual([200, '%PDF-']);
    const text = pdfText(pdf);
    const row = (label: string) => text[text.indexOf(label) + 1];
    expect([row('Trip'), row('Driver'), row('Vehicle')]).toEqual([tripId, 'E2E driver', `Car, 4 seats - Toyota Vios (${plateNumber})`]);

    // 8. Reads say COMPLETED; in real mode the Redis read model (this run's prefix) holds it first, so GetTrip answers from it, not trips-db.
    const finished = { id: tripId, status: 'COMPLETED', driverId: driver.id, distanceM: completed.distanceM, fare: completed.fare, completedAt: completed.completedAt };
    if (platform.mode === 'real') {
      const held = await eventually(async () => {
        const trip = await readModelTrip(env.TRIP_READ_MODEL_KEY_PREFIX!, tripId);
        return trip?.status === 'COMPLETED' ? trip : undefined;
      }, { what: 'the read model holds the completed trip' });
      expect(held).toMatchObject(finished);
    }
    for (const who of [passenger, driver]) {
      const read = await api.get(`/trips/${tripId}`, { token: who.token });
      expect(read.status, read.text).toBe(200);
      expect(read.body).toMatchObject(finished);
    }
    await waitForDriverStatus(api, driver, 'available');

    // 9. The trip's events on the bus, in order, keyed by the trip.
    const expected = ['requested', 'offered', 'assigned', 'arrived', 'started', 'completed'].map((type) => `trip.v1.${type}`);
    await eventually(async () => (bus.typesOf(tripId).length >= expected.length ? true : undefined), { what: 'the trip events on the bus', timeoutMs: 15_000 }).catch(
      () => undefined,
    );
    expect(bus.typesOf(tripId)).toEqual(expected);
    for (const event of bus.of(tripId)) expect([event.topic, event.key]).toEqual([TOPICS.trip, tripId]);
    expect(bus.of(tripId).at(-1)!.payload).toMatchObject({ trip: finished });

    // Every frame either side received is one of API.md's, and none was an error.
    for (const socket of sockets) {
      for (const frame of socket.frames) expect(ServerFrame.safeParse(frame).error).toBeUndefined();
      expect(socket.frames.filter((f) => f.type === 'error')).toEqual([]);
    }
  });
}

describe('client integration flow end to end (embedded platform)', () => seedFlowSuite((env) => startEmbeddedTestPlatform(env, { cheapPasswords: true })));

await describeReal('client integration flow end to end (real mode, services in-process)', ['postgres', 'redis', 's3', 'kafka', 'dynamodb'], () =>
  // A private trips-db: a trip service of another suite running meanwhile would dispatch this trip too.
  seedFlowSuite((env) => startRealTestPlatform(env, { cheapPasswords: true, ownDatabases: ['trip'] })),
);
