import { randomUUID } from 'node:crypto';
import { TOPICS } from '@uitgo/contracts';
import { describeReal } from '@uitgo/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAccount, type Account } from '../support/accounts.js';
import { ApiClient, eventually, type Json } from '../support/apiClient.js';
import type { EventRecorder } from '../support/eventRecorder.js';
import { BOOTSTRAP_ADMIN, startEmbeddedTestPlatform, startRealTestPlatform, type TestPlatform } from '../support/platformHarness.js';
import {
  act,
  expectError,
  offersOf,
  offset,
  onlineDriver,
  privateTripEnv,
  requestTrip,
  rideFrom,
  waitForDriverStatus,
  waitForOffer,
  type Point,
} from '../support/tripActors.js';

/** Short enough to watch an offer lapse; dispatch gives up after five searches 150 ms apart. */
const dispatchSettings: NodeJS.ProcessEnv = {
  TRIP_OFFER_TTL_MS: '2000',
  TRIP_DISPATCH_MAX_ATTEMPTS: '5',
  TRIP_DISPATCH_RETRY_EMPTY_MS: '150',
  TRIP_DISPATCH_RADII_M: '1500',
  TRIP_DISPATCH_POLL_MS: '50',
};

/** Each test works in its own area, 11 km from the next, well beyond the search radius. */
let areas = 0;
const nextArea = (): Point => ({ lat: 12.1 + (areas += 0.1), lng: 108.9 });

/** Every path of a trip through the gateway: dispatch (decline, expiry, nobody), each cancel, refusals; events on the bus. */
function tripPathsSuite(start: (env: NodeJS.ProcessEnv) => Promise<TestPlatform>) {
  let platform: TestPlatform;
  let api: ApiClient;
  let admin: string;
  let bus: EventRecorder;

  beforeAll(async () => {
    platform = await start({ ...privateTripEnv('trip-paths'), ...dispatchSettings });
    api = new ApiClient(platform.url);
    bus = await platform.recordEvents([TOPICS.trip]);
    const login = await api.post('/auth/login', BOOTSTRAP_ADMIN);
    expect(login.status, login.text).toBe(200);
    admin = login.body.accessToken;
  });
  afterAll(() => platform?.stop());

  /** The types of the trip's events on the bus, once there are as many as expected. */
  const expectEvents = async (tripId: string, expected: string[]) => {
    await eventually(async () => (bus.typesOf(tripId).length >= expected.length ? true : undefined), {
      what: `${expected.join(', ')} on the bus`,
      timeoutMs: 15_000,
    }).catch(() => undefined);
    expect(bus.typesOf(tripId)).toEqual(expected.map((type) => `trip.v1.${type}`));
  };
  const expectKeyed = (tripId: string) => {
    for (const event of bus.of(tripId)) expect([event.topic, event.key]).toEqual([TOPICS.trip, tripId]);
  };
  const nearbyIds = async (passenger: Account, at: Point): Promise<string[]> => {
    const res = await api.get(`/drivers/nearby?lat=${at.lat}&lng=${at.lng}&radiusM=3000&limit=50`, { token: passenger.token });
    expect(res.status, res.text).toBe(200);
    return res.body.items.map((d: Json) => d.driverId);
  };
  /** A held driver drops out of nearby search; listed again, the hold is gone. */
  const waitUntilFree = (passenger: Account, at: Point, driver: Account) =>
    eventually(async () => ((await nearbyIds(passenger, at)).includes(driver.id) ? true : undefined), { what: `driver ${driver.id} free again` });

  it('puts requested, offered, assigned, arrived, started, completed and rated on the bus in order, keyed by the trip id', async () => {
    const here = nextArea();
    const driver = await onlineDriver(api, admin, offset(here, 300));
    const passenger = await registerAccount(api, 'passenger');
    const quote = await api.post('/trips/quote', rideFrom(here), { token: passenger.token });
    expect(quote.status, quote.text).toBe(200);
    const created = await requestTrip(api, passenger, { quoteId: quote.body.quoteId });
    expect(created.status, created.text).toBe(201);
    const tripId: string = created.body.id;

    const offer = await waitForOffer(api, driver, tripId);
    expect(offer).toMatchObject({ tripId, pickup: here, fare: { amount: quote.body.fare.amount, currency: 'VND' } });
    // A driver may look at a trip offered to them.
    expect((await api.get(`/trips/${tripId}`, { token: driver.token })).status).toBe(200);
    for (const action of ['accept', 'arrive', 'start', 'complete']) await act(api, driver, tripId, action);
    const rated = await api.post(`/trips/${tripId}/rating`, { stars: 4 }, { token: passenger.token });
    expect(rated.status, rated.text).toBe(201);
    await waitForDriverStatus(api, driver, 'available');

    await expectEvents(tripId, ['requested', 'offered', 'assigned', 'arrived', 'started', 'completed', 'rated']);
    expectKeyed(tripId);
    const [requested, offered, assigned, , , completed] = bus.of(tripId);
    expect(requested!.payload).toMatchObject({ trip: { id: tripId, status: 'REQUESTED', passengerId: passenger.id } });
    expect(offered!.payload).toMatchObject({ tripId, driverId: driver.id, attempt: 1 });
    expect(assigned!.payload).toMatchObject({ trip: { status: 'DRIVER_ASSIGNED', driverId: driver.id } });
    expect(completed!.payload).toMatchObject({ trip: { status: 'COMPLETED', fare: { currency: 'VND' } } });
  });

  it('offers the nearest driver first, the next one when it declines, and the next again when an offer lapses', async () => {
    const here = nextArea();
    const near = await onlineDriver(api, admin, offset(here, 200));
    const middle = await onlineDriver(api, admin, offset(here, 600));
    const far = await onlineDriver(api, admin, offset(here, 1_000));
    const passenger = await registerAccount(api, 'passenger');
    const created = await requestTrip(api, passenger, rideFrom(here));
    expect(created.status, created.text).toBe(201);
    const tripId: string = created.body.id;

    await waitForOffer(api, near, tripId);
    expect(await offersOf(api, middle)).toEqual([]);
    const declined = await act(api, near, tripId, 'decline');
    expect(declined).toMatchObject({ id: tripId, status: 'REQUESTED', driverId: null });
    expectError(await api.post(`/trips/${tripId}/accept`, undefined, { token: near.token }), 409, 'OFFER_NOT_ACTIVE');
    await waitForOffer(api, middle, tripId);
    await waitUntilFree(passenger, here, near);

    // The middle driver lets the offer lapse: dispatch moves on by itself.
    await waitForOffer(api, far, tripId, 20_000);
    expectError(await api.post(`/trips/${tripId}/accept`, undefined, { token: middle.token }), 409, 'OFFER_NOT_ACTIVE');
    expect(await offersOf(api, middle)).toEqual([]);
    await waitUntilFree(passenger, here, middle);
    expect(await act(api, far, tripId, 'accept')).toMatchObject({ status: 'DRIVER_ASSIGNED', driverId: far.id });

    await expectEvents(tripId, ['requested', 'offered', 'offer_expired', 'offered', 'offer_expired', 'offered', 'assigned']);
    const events = bus.of(tripId);
    expect(events.filter((e) => e.type === 'trip.v1.offered').map((e) => (e.payload as Json).driverId)).toEqual([near.id, middle.id, far.id]);
    expect(events.filter((e) => e.type === 'trip.v1.offer_expired').map((e) => (e.payload as Json).reason)).toEqual(['declined', 'timeout']);
    await act(api, admin, tripId, 'cancel');
  });

  it('cancels a trip nobody can take with NO_DRIVER_AVAILABLE, after which the passenger may ask again', async () => {
    const passenger = await registerAccount(api, 'passenger');
    const created = await requestTrip(api, passenger, rideFrom(nextArea()));
    expect(created.status, created.text).toBe(201);
    const tripId: string = created.body.id;
    const canceled = await eventually(async () => {
      const res = await api.get(`/trips/${tripId}`, { token: passenger.token });
      return res.body?.status === 'CANCELED' ? res.body : undefined;
    }, { what: 'dispatch gives up', timeoutMs: 15_000 });
    expect(canceled).toMatchObject({ status: 'CANCELED', cancelReason: 'NO_DRIVER_AVAILABLE', canceledBy: 'system', driverId: null });
    await expectEvents(tripId, ['requested', 'canceled']);
    expect(bus.of(tripId)[1]!.payload).toMatchObject({ canceledBy: 'system', trip: { cancelReason: 'NO_DRIVER_AVAILABLE' } });
    const again = await requestTrip(api, passenger, rideFrom(nextArea()));
    expect(again.status, again.text).toBe(201);
    await act(api, passenger, again.body.id, 'cancel');
  });

  it('lets the passenger cancel while the trip is offered: the offer is withdrawn and the driver freed', async () => {
    const here = nextArea();
    const driver = await onlineDriver(api, admin, offset(here, 300));
    const passenger = await registerAccount(api, 'passenger');
    const tripId: string = (await requestTrip(api, passenger, rideFrom(here))).body.id;
    await waitForOffer(api, driver, tripId);

    const canceled = await act(api, passenger, tripId, 'cancel', { reason: 'found a friend' });
    expect(canceled).toMatchObject({ status: 'CANCELED', canceledBy: 'passenger', cancelReason: 'found a friend', driverId: null });
    expect(await offersOf(api, driver)).toEqual([]);
    expectError(await api.post(`/trips/${tripId}/accept`, undefined, { token: driver.token }), 409, 'OFFER_NOT_ACTIVE');
    await waitUntilFree(passenger, here, driver);
    await expectEvents(tripId, ['requested', 'offered', 'offer_expired', 'canceled']);
    expect(bus.of(tripId)[2]!.payload).toMatchObject({ driverId: driver.id, reason: 'withdrawn' });
  });

  it('lets the passenger cancel once a driver is assigned and once the driver has arrived; the driver is available again', async () => {
    const here = nextArea();
    const driver = await onlineDriver(api, admin, offset(here, 300));
    const passenger = await registerAccount(api, 'passenger');

    const assigned: string = (await requestTrip(api, passenger, rideFrom(here))).body.id;
    await waitForOffer(api, driver, assigned);
    await act(api, driver, assigned, 'accept');
    await waitForDriverStatus(api, driver, 'on_trip');
    expect(await act(api, passenger, assigned, 'cancel')).toMatchObject({ status: 'CANCELED', canceledBy: 'passenger', canceledAt: expect.any(String) });
    await waitForDriverStatus(api, driver, 'available');
    await expectEvents(assigned, ['requested', 'offered', 'assigned', 'canceled']);

    const arrived: string = (await requestTrip(api, passenger, rideFrom(here))).body.id;
    await waitForOffer(api, driver, arrived);
    await act(api, driver, arrived, 'accept');
    await act(api, driver, arrived, 'arrive');
    await waitForDriverStatus(api, driver, 'on_trip');
    expect(await act(api, passenger, arrived, 'cancel', { reason: 'waited too long' })).toMatchObject({ status: 'CANCELED', cancelReason: 'waited too long' });
    await waitForDriverStatus(api, driver, 'available');
    await waitUntilFree(passenger, here, driver);
    await expectEvents(arrived, ['requested', 'offered', 'assigned', 'arrived', 'canceled']);
    expectError(await api.post(`/trips/${arrived}/start`, undefined, { token: driver.token }), 409, 'INVALID_TRIP_TRANSITION');
  });

  it('refuses the passenger a cancel once the ride has started; an admin may still cancel it', async () => {
    const here = nextArea();
    const driver = await onlineDriver(api, admin, offset(here, 300));
    const passenger = await registerAccount(api, 'passenger');
    const tripId: string = (await requestTrip(api, passenger, rideFrom(here))).body.id;
    await waitForOffer(api, driver, tripId);
    for (const action of ['accept', 'arrive', 'start']) await act(api, driver, tripId, action);

    expectError(await api.post(`/trips/${tripId}/cancel`, { reason: 'changed my mind' }, { token: passenger.token }), 409, 'INVALID_TRIP_TRANSITION');
    expectError(await api.post(`/trips/${tripId}/cancel`, undefined, { token: driver.token }), 409, 'INVALID_TRIP_TRANSITION');
    expect((await api.get(`/trips/${tripId}`, { token: passenger.token })).body.status).toBe('IN_TRIP');
    const byAdmin = await act(api, admin, tripId, 'cancel', { reason: 'incident reported' });
    expect(byAdmin).toMatchObject({ status: 'CANCELED', canceledBy: 'admin', cancelReason: 'incident reported', driverId: driver.id });
    await waitForDriverStatus(api, driver, 'available');
    await expectEvents(tripId, ['requested', 'offered', 'assigned', 'arrived', 'started', 'canceled']);
    expect(bus.of(tripId)[5]!.payload).toMatchObject({ canceledBy: 'admin' });
  });

  it('sends the trip back to dispatch when the assigned driver cancels, and offers it to another driver', async () => {
    const here = nextArea();
    const first = await onlineDriver(api, admin, offset(here, 200));
    const second = await onlineDriver(api, admin, offset(here, 700));
    const passenger = await registerAccount(api, 'passenger');
    const tripId: string = (await requestTrip(api, passenger, rideFrom(here))).body.id;
    await waitForOffer(api, first, tripId);
    await act(api, first, tripId, 'accept');
    await act(api, first, tripId, 'arrive');

    const back = await act(api, first, tripId, 'cancel', { reason: 'flat tyre' });
    expect(back).toMatchObject({ id: tripId, status: 'REQUESTED', driverId: null });
    expect(back.assignedAt).toBeUndefined();
    await waitForOffer(api, second, tripId);
    await waitForDriverStatus(api, first, 'available');
    expect(await offersOf(api, first)).toEqual([]);
    expect(await act(api, second, tripId, 'accept')).toMatchObject({ status: 'DRIVER_ASSIGNED', driverId: second.id });
    // The first driver has no part in the trip any more.
    expectError(await api.post(`/trips/${tripId}/arrive`, undefined, { token: first.token }), 403, 'FORBIDDEN');
    await expectEvents(tripId, ['requested', 'offered', 'assigned', 'arrived', 'requested', 'offered', 'assigned']);
    expect(bus.of(tripId).filter((e) => e.type === 'trip.v1.offered').map((e) => (e.payload as Json).driverId)).toEqual([first.id, second.id]);
    await act(api, passenger, tripId, 'cancel');
    await waitForDriverStatus(api, second, 'available');
  });

  it('refuses the wrong role, other passengers and drivers, and callers without a token', async () => {
    const here = nextArea();
    const driver = await onlineDriver(api, admin, offset(here, 300));
    const otherDriver = await registerAccount(api, 'driver');
    const passenger = await registerAccount(api, 'passenger');
    const stranger = await registerAccount(api, 'passenger', 'stranger');
    const tripId: string = (await requestTrip(api, passenger, rideFrom(here))).body.id;
    await waitForOffer(api, driver, tripId);
    const trip = `/trips/${tripId}`;

    expectError(await api.post('/trips/quote', rideFrom(here), { token: driver.token }), 403, 'FORBIDDEN');
    expectError(await requestTrip(api, driver, rideFrom(here)), 403, 'FORBIDDEN');
    expectError(await api.post(`${trip}/accept`, undefined, { token: passenger.token }), 403, 'FORBIDDEN');
    expectError(await api.post(`${trip}/rating`, { stars: 5 }, { token: driver.token }), 403, 'FORBIDDEN');
    expectError(await api.get(trip, { token: stranger.token }), 403, 'FORBIDDEN');
    expectError(await api.get(trip, { token: otherDriver.token }), 403, 'FORBIDDEN');
    expectError(await api.post(`${trip}/cancel`, undefined, { token: stranger.token }), 403, 'FORBIDDEN');
    expectError(await api.post(`${trip}/cancel`, undefined, { token: otherDriver.token }), 403, 'FORBIDDEN');
    expectError(await api.get(`${trip}/receipt`, { token: stranger.token }), 403, 'FORBIDDEN');
    expectError(await api.post(`${trip}/accept`, undefined, { token: otherDriver.token }), 404, 'OFFER_NOT_FOUND');
    expectError(await api.post(`${trip}/decline`, undefined, { token: otherDriver.token }), 404, 'OFFER_NOT_FOUND');
    // Offered is not assigned: only the accept or decline is the offered driver's.
    expectError(await api.post(`${trip}/arrive`, undefined, { token: driver.token }), 403, 'FORBIDDEN');
    expectError(await api.get(trip), 401, 'UNAUTHENTICATED');
    expectError(await api.post(`${trip}/cancel`, undefined, { token: 'not-a-token' }), 401, 'TOKEN_INVALID');
    expectError(await api.get(`/trips/${randomUUID()}`, { token: passenger.token }), 404, 'TRIP_NOT_FOUND');
    expectError(await api.post(`/trips/${randomUUID()}/accept`, undefined, { token: driver.token }), 404, 'TRIP_NOT_FOUND');
    expectError(await api.get(`${trip}/receipt`, { token: passenger.token }), 409, 'TRIP_NOT_COMPLETED');
    expectError(await requestTrip(api, passenger, rideFrom(here)), 409, 'ACTIVE_TRIP_EXISTS');

    // None of it changed the trip.
    expect((await api.get(trip, { token: passenger.token })).body).toMatchObject({ status: 'REQUESTED', driverId: null });
    await act(api, passenger, tripId, 'cancel');
  });

  it('answers malformed input with 400 VALIDATION_FAILED naming the fields', async () => {
    const passenger = await registerAccount(api, 'passenger');
    const here = nextArea();
    const asPassenger = { token: passenger.token };
    const key = { 'idempotency-key': randomUUID() };

    expectError(await api.post('/trips/quote', { pickup: here, dropoff: offset(here, 2_000) }, asPassenger), 400, 'VALIDATION_FAILED', ['body.vehicleType']);
    expectError(await api.post('/trips/quote', { ...rideFrom(here), pickup: { lat: 95, lng: 108.9 } }, asPassenger), 400, 'VALIDATION_FAILED', ['body.pickup.lat']);
    expectError(await api.post('/trips/quote', { ...rideFrom(here), vehicleType: 'rocket' }, asPassenger), 400, 'VALIDATION_FAILED', ['body.vehicleType']);
    expectError(await api.post('/trips/quote', { ...rideFrom(here), dropoff: here }, asPassenger), 400, 'VALIDATION_FAILED', ['dropoff']);
    expectError(await api.post('/trips/quote', { ...rideFrom(here), dropoff: offset(here, 500_000) }, asPassenger), 400, 'VALIDATION_FAILED', ['dropoff']);
    expectError(await api.post('/trips', rideFrom(here), asPassenger), 400, 'VALIDATION_FAILED', ['headers.idempotency-key']);
    expectError(await api.post('/trips', { quoteId: 'not-a-uuid' }, { ...asPassenger, headers: key }), 400, 'VALIDATION_FAILED');
    expectError(await api.post('/trips', undefined, { ...asPassenger, headers: key, raw: '{"pickup": ' }), 400, 'VALIDATION_FAILED');
    expectError(await api.get('/trips/not-a-uuid', asPassenger), 400, 'VALIDATION_FAILED', ['params.id']);
    expectError(await api.get('/trips?limit=1000', asPassenger), 400, 'VALIDATION_FAILED', ['querystring.limit']);
    expectError(await api.get('/trips?status=LOST', asPassenger), 400, 'VALIDATION_FAILED', ['querystring.status']);
    // A forged cursor whose time no Date can hold is refused, not a 500.
    const forged = Buffer.from(`9000000000000000.${randomUUID()}`).toString('base64url');
    expectError(await api.get(`/trips?cursor=${forged}`, asPassenger), 400, 'VALIDATION_FAILED');
    expectError(await api.post(`/trips/${randomUUID()}/cancel`, { reason: 'x'.repeat(501) }, asPassenger), 400, 'VALIDATION_FAILED', ['body.reason']);
    expectError(await api.post(`/trips/${randomUUID()}/rating`, { stars: 6 }, asPassenger), 400, 'VALIDATION_FAILED', ['body.stars']);
    expectError(await api.post(`/trips/${randomUUID()}/rating`, { stars: 5, tip: 1000 }, asPassenger), 400, 'VALIDATION_FAILED');
    expectError(await api.post('/trips', { quoteId: randomUUID() }, { ...asPassenger, headers: key }), 404, 'QUOTE_NOT_FOUND');
    // No trip came of any of it.
    expect((await api.get('/trips', asPassenger)).body).toEqual({ items: [], nextCursor: null });
  });
}

describe('trip paths end to end (embedded platform)', () => tripPathsSuite((env) => startEmbeddedTestPlatform(env, { cheapPasswords: true })));

await describeReal('trip paths end to end (real mode, services in-process)', ['postgres', 'redis', 's3', 'kafka', 'dynamodb'], () =>
  tripPathsSuite((env) => startRealTestPlatform(env, { cheapPasswords: true, ownDatabases: ['trip'] })),
);
