import { randomUUID } from 'node:crypto';
import { describeReal } from '@uitgo/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAccount, type Account } from '../support/accounts.js';
import { ApiClient, eventually, type Json } from '../support/apiClient.js';
import { describeOverHttp, gatewayGrpcCalls, startEmbeddedTestPlatform, startRealTestPlatform, type TestPlatform } from '../support/platformHarness.js';
import { expectError, offset, onlineDriver as anOnlineDriver, type Point } from '../support/tripActors.js';

const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

/** The trip routes through the real gateway and services: quote, request, dispatch, the ride, receipt and rating. */
function tripsSuite(start: (env: NodeJS.ProcessEnv) => Promise<TestPlatform>) {
  let platform: TestPlatform;
  let api: ApiClient;
  let admin: string;

  /** A verified driver with a car, online at `at`. */
  const onlineDriver = (at: Point) => anOnlineDriver(api, admin, at);
  const requestTrip = (passenger: Account, body: Json, key: string = randomUUID()) =>
    api.post('/trips', body, { token: passenger.token, headers: { 'idempotency-key': key } });
  const act = async (driver: Account, tripId: string, action: string) => {
    const res = await api.post(`/trips/${tripId}/${action}`, undefined, { token: driver.token });
    expect(res.status, `${action}: ${res.text}`).toBe(200);
    return res.body as Json;
  };

  beforeAll(async () => {
    platform = await start({
      TRIP_OFFER_TTL_MS: '60000',
      // Real mode shares Redis and Kafka with other runs: a private driver index, read model and consumer groups.
      DRIVER_GEO_KEY_PREFIX: `e2e-trips-drivers:${randomUUID()}:`,
      DRIVER_ARCHIVER_GROUP: `e2e-trips-archiver-${randomUUID()}`,
      TRIP_READ_MODEL_KEY_PREFIX: `e2e-trips-rm:${randomUUID()}:`,
      TRIP_READ_MODEL_GROUP: `e2e-trips-read-model-${randomUUID()}`,
      TRIP_RECEIPT_GROUP: `e2e-trips-receipts-${randomUUID()}`,
    });
    api = new ApiClient(platform.url);
    const login = await api.post('/auth/login', platform.admin);
    expect(login.status, login.text).toBe(200);
    admin = login.body.accessToken;
  });
  afterAll(() => platform?.stop());

  it('a passenger quotes and requests a ride; a nearby driver accepts, drives and completes it; receipt and rating follow', async () => {
    const pickup = { lat: 10.87, lng: 106.8 };
    const dropoff = { lat: 10.77, lng: 106.7 };
    const driver = await onlineDriver(offset(pickup, 300));
    const passenger = await registerAccount(api, 'passenger');
    const stranger = await registerAccount(api, 'passenger', 'stranger');

    const quote = await api.post('/trips/quote', { pickup, dropoff, vehicleType: 'car4' }, { token: passenger.token });
    expect(quote.status, quote.text).toBe(200);
    expect(quote.body).toMatchObject({ quoteId: expect.any(String), fare: { amount: expect.any(Number), currency: 'VND' }, expiresAt: ISO });
    expect(quote.body.distanceM).toBeGreaterThan(0);

    const created = await requestTrip(passenger, { quoteId: quote.body.quoteId });
    expect(created.status, created.text).toBe(201);
    const tripId: string = created.body.id;
    expect(created.body).toMatchObject({
      passengerId: passenger.id,
      driverId: null,
      status: 'REQUESTED',
      vehicleType: 'car4',
      pickup,
      dropoff,
      quote: { amount: quote.body.fare.amount, currency: 'VND', surgeMultiplier: quote.body.surgeMultiplier },
      fare: null,
      createdAt: ISO,
      updatedAt: ISO,
    });

    const stranger403 = await api.get(`/trips/${tripId}`, { token: stranger.token });
    expect([stranger403.status, stranger403.body?.code]).toEqual([403, 'FORBIDDEN']);

    await eventually(async () => {
      const offers = await api.get('/drivers/me/offers', { token: driver.token });
      return offers.body?.items?.some((o: Json) => o.tripId === tripId) ? true : undefined;
    }, { what: 'the driver is offered the trip', timeoutMs: 20_000 });

    const accepted = await act(driver, tripId, 'accept');
    expect(accepted).toMatchObject({ status: 'DRIVER_ASSIGNED', driverId: driver.id, assignedAt: ISO });

    const tooEarly = await api.post(`/trips/${tripId}/start`, undefined, { token: driver.token });
    expect([tooEarly.status, tooEarly.body?.code]).toEqual([409, 'INVALID_TRIP_TRANSITION']);

    expect(await act(driver, tripId, 'arrive')).toMatchObject({ status: 'ARRIVED', arrivedAt: ISO });
    expect(await act(driver, tripId, 'start')).toMatchObject({ status: 'IN_TRIP', startedAt: ISO });
    expect(await act(driver, tripId, 'complete')).toMatchObject({ status: 'COMPLETED', completedAt: ISO });

    const done = await api.get(`/trips/${tripId}`, { token: passenger.token });
    expect(done.status, done.text).toBe(200);
    expect(done.body).toMatchObject({ id: tripId, status: 'COMPLETED', driverId: driver.id, fare: { amount: expect.any(Number), currency: 'VND' } });
    expect(done.body.fare.breakdown.length).toBeGreaterThan(0);
    expect((await api.get(`/trips/${tripId}`, { token: driver.token })).body.status).toBe('COMPLETED');

    const cancelLate = await api.post(`/trips/${tripId}/cancel`, { reason: 'too late' }, { token: passenger.token });
    expect([cancelLate.status, cancelLate.body?.code]).toEqual([409, 'INVALID_TRIP_TRANSITION']);

    const mine = await api.get('/trips?status=COMPLETED&limit=10', { token: passenger.token });
    expect(mine.status, mine.text).toBe(200);
    expect(mine.body.items.map((t: Json) => t.id)).toContain(tripId);
    const driven = await api.get('/trips', { token: driver.token });
    expect(driven.status, driven.text).toBe(200);
    expect(driven.body.items.map((t: Json) => t.id)).toContain(tripId);
    expect((await api.get('/trips?limit=100', { token: stranger.token })).body).toEqual({ items: [], nextCursor: null });
    const all = await api.get('/trips?limit=100', { token: admin });
    expect(all.status, all.text).toBe(200);

    const receipt = await eventually(async () => {
      const res = await api.get(`/trips/${tripId}/receipt`, { token: passenger.token });
      if (res.status === 503) return undefined;
      expect(res.status, res.text).toBe(200);
      return res.body as Json;
    }, { what: 'the receipt is rendered', timeoutMs: 20_000 });
    expect(receipt).toEqual({ url: expect.any(String), expiresAt: ISO });
    const pdf = await fetch(receipt.url);
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 4).toString()).toBe('%PDF');

    const rated = await api.post(`/trips/${tripId}/rating`, { stars: 5, comment: 'Smooth ride' }, { token: passenger.token });
    expect(rated.status, rated.text).toBe(201);
    expect(rated.body).toEqual({ tripId, stars: 5, comment: 'Smooth ride', createdAt: ISO });
  });

  it('the same Idempotency-Key returns the same trip; a second active trip is refused; the passenger may cancel', async () => {
    // Far from any driver of this suite: the trip stays REQUESTED.
    const pickup = { lat: 21.03, lng: 105.85 };
    const dropoff = { lat: 21.0, lng: 105.8 };
    const passenger = await registerAccount(api, 'passenger');
    const key = randomUUID();
    const body = { pickup, dropoff, vehicleType: 'bike' };

    const first = await requestTrip(passenger, body, key);
    expect(first.status, first.text).toBe(201);
    const again = await requestTrip(passenger, body, key);
    expect(again.status, again.text).toBe(201);
    expect(again.body.id).toBe(first.body.id);

    const second = await requestTrip(passenger, body);
    expect([second.status, second.body?.code]).toEqual([409, 'ACTIVE_TRIP_EXISTS']);

    const noKey = await api.post('/trips', body, { token: passenger.token });
    expect(noKey.status).toBe(400);

    const canceled = await api.post(`/trips/${first.body.id}/cancel`, { reason: 'changed my mind' }, { token: passenger.token });
    expect(canceled.status, canceled.text).toBe(200);
    expect(canceled.body).toMatchObject({ status: 'CANCELED', canceledAt: ISO, cancelReason: 'changed my mind', canceledBy: 'passenger' });

    const unknown = await api.get(`/trips/${randomUUID()}`, { token: passenger.token });
    expect([unknown.status, unknown.body?.code]).toEqual([404, 'TRIP_NOT_FOUND']);
  });

  it('a quote books one trip: other keys get 409 QUOTE_ALREADY_USED, racing or after a cancel; the winning key still replays', async () => {
    // Far from any driver of this suite: the trip stays REQUESTED.
    const pickup = { lat: 21.01, lng: 105.83 };
    const passenger = await registerAccount(api, 'passenger');
    const quote = await api.post('/trips/quote', { pickup, dropoff: offset(pickup, 4_000), vehicleType: 'bike' }, { token: passenger.token });
    expect(quote.status, quote.text).toBe(200);
    const body = { quoteId: quote.body.quoteId };

    const keys = Array.from({ length: 5 }, () => randomUUID());
    const racing = await Promise.all(keys.map((key) => requestTrip(passenger, body, key)));
    expect(racing.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    for (const refused of racing.filter((r) => r.status !== 201)) expectError(refused, 409, 'QUOTE_ALREADY_USED');
    const winner = racing.findIndex((r) => r.status === 201);
    const tripId: string = racing[winner]!.body.id;

    const canceled = await api.post(`/trips/${tripId}/cancel`, { reason: 'rebooking at the old price' }, { token: passenger.token });
    expect(canceled.status, canceled.text).toBe(200);
    const rebooked = await requestTrip(passenger, body);
    expectError(rebooked, 409, 'QUOTE_ALREADY_USED');
    expect(rebooked.body.message).toMatch(/new one/);

    const replay = await requestTrip(passenger, body, keys[winner]);
    expect([replay.status, replay.body.id]).toEqual([201, tripId]);
  });

  it('reads sent together (coalesced by the gateway) are each answered for their own caller', async () => {
    const pickup = { lat: 21.05, lng: 105.82 };
    const [alice, bob] = await Promise.all([registerAccount(api, 'passenger'), registerAccount(api, 'passenger')]);
    const [aliceTrip, bobTrip] = await Promise.all(
      [alice, bob].map(async (passenger) => {
        const res = await requestTrip(passenger, { pickup, dropoff: offset(pickup, 4_000), vehicleType: 'bike' });
        expect(res.status, res.text).toBe(201);
        return res.body.id as string;
      }),
    );
    const batchCalls = () => gatewayGrpcCalls(platform, 'BatchGetTrips');
    const before = await batchCalls();
    const reads = await Promise.all(
      Array.from({ length: 6 }, () => [
        api.get(`/trips/${aliceTrip}`, { token: alice.token }),
        api.get(`/trips/${bobTrip}`, { token: alice.token }),
        api.get(`/trips/${bobTrip}`, { token: bob.token }),
        api.get(`/trips/${randomUUID()}`, { token: bob.token }),
        api.get(`/trips/${aliceTrip}`, { token: admin }),
      ]).flat(),
    );
    const seen = reads.map((r) => (r.status === 200 ? `200 ${r.body.passengerId === alice.id ? 'alice' : 'bob'}` : `${r.status} ${r.body?.code}`));
    expect(seen).toEqual(Array.from({ length: 6 }, () => ['200 alice', '403 FORBIDDEN', '200 bob', '404 TRIP_NOT_FOUND', '200 alice']).flat());
    if (platform.mode !== 'remote') expect(await batchCalls()).toBeGreaterThan(before);
    // Each refusal carries its own request's trace id, not the shared call's.
    const refusals = reads.filter((r) => r.status !== 200);
    expect(new Set(refusals.map((r) => r.body.traceId)).size).toBe(refusals.length);
    expect(refusals.every((r) => r.headers.get('x-trace-id') === r.body.traceId)).toBe(true);
    await Promise.all([api.post(`/trips/${aliceTrip}/cancel`, {}, { token: alice.token }), api.post(`/trips/${bobTrip}/cancel`, {}, { token: bob.token })]);
  });
}

await describeOverHttp('trips end to end', tripsSuite, async () => {
  describe('trips end to end (embedded platform)', () => tripsSuite((env) => startEmbeddedTestPlatform(env)));

  await describeReal('trips end to end (real mode, services in-process)', ['postgres', 'redis', 's3', 'kafka', 'dynamodb'], () =>
    tripsSuite((env) => startRealTestPlatform(env)),
  );
});
