import { randomUUID } from 'node:crypto';
import { ServerFrame } from '@uitgo/contracts';
import { describeReal } from '@uitgo/kit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerAccount, type Account } from '../support/accounts.js';
import { ApiClient, eventually, type Json } from '../support/apiClient.js';
import { LiveSocket } from '../support/liveSocket.js';
import { BOOTSTRAP_ADMIN, startEmbeddedTestPlatform, startRealTestPlatform, type TestPlatform } from '../support/platformHarness.js';
import { fixAt, offset, onlineDriver as anOnlineDriver, rideFrom, type Point } from '../support/tripActors.js';

const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
const OFFER_TTL_MS = 6_000;

/**
 * Live updates (API.md "Live updates") through two gateway replicas in front of the same
 * services and bus: each side of a trip may be connected to either, and reconnect to the other.
 */
function liveSuite(start: (env: NodeJS.ProcessEnv) => Promise<TestPlatform>) {
  let platform: TestPlatform;
  /** Gateway replicas A and B. */
  let urlA: string;
  let urlB: string;
  let api: ApiClient;
  let apiB: ApiClient;
  let admin: string;
  const sockets: LiveSocket[] = [];

  const connect = async (url: string, account: Account) => {
    const socket = await LiveSocket.open(url, account.token);
    sockets.push(socket);
    await socket.next('ready');
    return socket;
  };
  const tripUpdate = (socket: LiveSocket, tripId: string, status: string) =>
    socket.waitFor((f) => f.type === 'trip_updated' && f.trip.id === tripId && f.trip.status === status, `trip_updated ${status}`, 20_000);
  const offerOf = (socket: LiveSocket, tripId: string) => socket.waitFor((f) => f.type === 'offer' && f.offer.tripId === tripId, 'the offer', 20_000);

  /** A verified driver with a car, online at `at`. */
  const onlineDriver = (at: Point) => anOnlineDriver(api, admin, at);
  const requestTrip = async (client: ApiClient, passenger: Account, pickup: Point): Promise<string> => {
    const res = await client.post('/trips', rideFrom(pickup), { token: passenger.token, headers: { 'idempotency-key': randomUUID() } });
    expect(res.status, res.text).toBe(201);
    return res.body.id;
  };
  const act = async (client: ApiClient, account: Account, tripId: string, action: string, body?: Json) => {
    const res = await client.post(`/trips/${tripId}/${action}`, body, { token: account.token });
    expect(res.status, `${action}: ${res.text}`).toBe(200);
    return res.body as Json;
  };

  beforeAll(async () => {
    platform = await start({
      TRIP_OFFER_TTL_MS: String(OFFER_TTL_MS),
      // Real mode shares Redis and Kafka with other runs: a private driver index, read model and consumer groups.
      DRIVER_GEO_KEY_PREFIX: `e2e-live-drivers:${randomUUID()}:`,
      DRIVER_ARCHIVER_GROUP: `e2e-live-archiver-${randomUUID()}`,
      DRIVER_FRESHNESS_MS: '600000',
      TRIP_READ_MODEL_KEY_PREFIX: `e2e-live-rm:${randomUUID()}:`,
      TRIP_READ_MODEL_GROUP: `e2e-live-read-model-${randomUUID()}`,
      TRIP_RECEIPT_GROUP: `e2e-live-receipts-${randomUUID()}`,
    });
    urlA = platform.url;
    urlB = await platform.addGateway();
    api = new ApiClient(urlA);
    apiB = new ApiClient(urlB);
    const login = await api.post('/auth/login', BOOTSTRAP_ADMIN);
    expect(login.status, login.text).toBe(200);
    admin = login.body.accessToken;
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await platform?.stop();
  });
  afterEach(() => {
    // Every frame any client received is one of API.md's.
    for (const socket of sockets) for (const frame of socket.frames) expect(ServerFrame.safeParse(frame).error).toBeUndefined();
  });

  it('a ride followed live from two replicas: the offer, every step on both sides, the driver position, and the state again after reconnecting', async () => {
    const pickup = { lat: 10.87, lng: 106.8 };
    const driver = await onlineDriver(offset(pickup, 300));
    const passenger = await registerAccount(apiB, 'passenger');
    const d = await connect(urlA, driver);
    const p = await connect(urlB, passenger);

    const tripId = await requestTrip(apiB, passenger, pickup);
    expect((await tripUpdate(p, tripId, 'REQUESTED')).trip).toMatchObject({ id: tripId, passengerId: passenger.id, driverId: null });
    const offer = await offerOf(d, tripId);
    expect(offer).toEqual({ type: 'offer', offer: { tripId, pickup, dropoff: rideFrom(pickup).dropoff, fare: { amount: expect.any(Number), currency: 'VND' }, expiresAt: ISO } });

    await act(api, driver, tripId, 'accept');
    for (const socket of [p, d]) expect((await tripUpdate(socket, tripId, 'DRIVER_ASSIGNED')).trip).toMatchObject({ driverId: driver.id, assignedAt: ISO });

    const coming = fixAt(offset(pickup, 150));
    d.send({ type: 'location', ...coming });
    expect(await p.waitFor((f) => f.type === 'driver_location' && f.location.lat === coming.lat, 'the driver position', 20_000)).toEqual({
      type: 'driver_location',
      tripId,
      driverId: driver.id,
      location: { lat: coming.lat, lng: coming.lng },
      headingDeg: 90,
      speedKmh: 25,
      recordedAt: coming.recordedAt,
    });

    await act(apiB, driver, tripId, 'arrive');
    for (const socket of [p, d]) await tripUpdate(socket, tripId, 'ARRIVED');

    // Both reconnect, each to the other replica: the current trip comes at once, before anything else.
    p.close();
    d.close();
    const p2 = await connect(urlA, passenger);
    const d2 = await connect(urlB, driver);
    for (const socket of [p2, d2]) {
      expect((await tripUpdate(socket, tripId, 'ARRIVED')).trip).toMatchObject({ id: tripId, status: 'ARRIVED', arrivedAt: ISO });
      expect(socket.frames.slice(0, 2).map((f) => f.type)).toEqual(['ready', 'trip_updated']);
    }

    await act(api, driver, tripId, 'start');
    for (const socket of [p2, d2]) await tripUpdate(socket, tripId, 'IN_TRIP');
    const driving = fixAt(offset(pickup, -500, 300));
    d2.send({ type: 'location', ...driving });
    expect(await p2.waitFor((f) => f.type === 'driver_location' && f.location.lat === driving.lat, 'the driver position in the ride', 20_000)).toMatchObject({ tripId, driverId: driver.id });

    await act(apiB, driver, tripId, 'complete');
    for (const socket of [p2, d2]) expect((await tripUpdate(socket, tripId, 'COMPLETED')).trip).toMatchObject({ fare: { amount: expect.any(Number), currency: 'VND' } });
    expect(d2.frames.filter((f) => f.type === 'driver_location')).toEqual([]);
  });

  it('a logout at one replica ends the session at the other too', async () => {
    const passenger = await registerAccount(api, 'passenger', 'logout-elsewhere');
    expect((await apiB.get('/auth/me', { token: passenger.token })).status).toBe(200);
    const out = await api.post('/auth/logout', undefined, { token: passenger.token });
    expect(out.status, out.text).toBe(204);
    expect((await api.get('/auth/me', { token: passenger.token })).body.code).toBe('SESSION_REVOKED');
    // Revocations live in the store every replica reads: the other replica refuses the session at once.
    const elsewhere = await apiB.get('/auth/me', { token: passenger.token });
    expect([elsewhere.status, elsewhere.body.code]).toEqual([401, 'SESSION_REVOKED']);
  });

  it('a driver who connects while an offer is pending gets it at once; left to lapse, it ends with offer_expired', async () => {
    const pickup = { lat: 16.05, lng: 108.2 };
    const driver = await onlineDriver(offset(pickup, 200));
    const passenger = await registerAccount(api, 'passenger');
    const p = await connect(urlA, passenger);
    const tripId = await requestTrip(api, passenger, pickup);
    await eventually(async () => {
      const offers = await apiB.get('/drivers/me/offers', { token: driver.token });
      return offers.body?.items?.some((o: Json) => o.tripId === tripId) ? true : undefined;
    }, { what: 'the driver is offered the trip', timeoutMs: 20_000 });

    const d = await connect(urlB, driver);
    expect((await offerOf(d, tripId)).offer).toMatchObject({ tripId, pickup, expiresAt: ISO });
    expect(d.frames.slice(0, 2).map((f) => f.type)).toEqual(['ready', 'offer']);
    expect(await d.waitFor((f) => f.type === 'offer_expired', 'the offer to lapse', OFFER_TTL_MS + 20_000)).toEqual({ type: 'offer_expired', tripId });

    await act(api, passenger, tripId, 'cancel', { reason: 'no driver came' });
    expect((await tripUpdate(p, tripId, 'CANCELED')).trip).toMatchObject({ canceledBy: 'passenger', cancelReason: 'no driver came' });
  });

  it('a passenger who cancels withdraws the offer: the driver gets offer_expired', async () => {
    const pickup = { lat: 10.03, lng: 105.78 };
    const driver = await onlineDriver(offset(pickup, 200));
    const passenger = await registerAccount(api, 'passenger');
    const d = await connect(urlA, driver);
    const p = await connect(urlB, passenger);
    const tripId = await requestTrip(apiB, passenger, pickup);
    await offerOf(d, tripId);
    await act(apiB, passenger, tripId, 'cancel');
    expect(await d.waitFor((f) => f.type === 'offer_expired', 'the offer withdrawn', 20_000)).toEqual({ type: 'offer_expired', tripId });
    await tripUpdate(p, tripId, 'CANCELED');
  });
}

describe('live trip updates end to end (embedded platform, two gateway replicas)', () => liveSuite((env) => startEmbeddedTestPlatform(env)));

await describeReal('live trip updates end to end (real mode, two gateway replicas)', ['postgres', 'redis', 's3', 'kafka', 'dynamodb'], () =>
  // A private trips-db: a trip service of another suite running meanwhile would dispatch these trips too.
  liveSuite((env) => startRealTestPlatform(env, { ownDatabases: ['trip'] })),
);
