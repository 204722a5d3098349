import { randomUUID } from 'node:crypto';
import { makeEvent, TOPICS, type Trip } from '@uitgo/contracts';
import { AppError } from '@uitgo/kit';
import { MemoryEventBus } from '@uitgo/kit/events';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectLive, type LiveClient } from '../test/liveClient.js';
import { startTestGateway, type TestGateway } from '../test/testGateway.js';
import { advance, protoTrip, tripView } from '../test/tripFixtures.js';

const password = 'correct-Horse-42';
const PASSENGER = 1;
const DRIVER = 2;

const tripEvent = (type: 'trip.v1.requested' | 'trip.v1.assigned' | 'trip.v1.arrived' | 'trip.v1.started' | 'trip.v1.completed', trip: Trip) =>
  makeEvent(type, trip.id, { trip });
const fixAt = (lat: number, recordedAt: Date) => ({ lat, lng: 106.8, headingDeg: 90, speedKmh: 30, accuracyM: 5, recordedAt: recordedAt.toISOString() });

describe('TripLiveFanout: trip and trip position events pushed over the WebSocket of two gateway replicas', () => {
  const bus = new MemoryEventBus();
  let one: TestGateway;
  let two: TestGateway;
  const open: LiveClient[] = [];

  const signIn = async (role: 1 | 2) => {
    const account = one.fake.addAccount({ email: `${randomUUID()}@example.com`, password, role, fullName: 'Live' });
    return { id: account.id, token: (await one.fake.openSession(account)).accessToken };
  };
  const connect = async (gw: TestGateway, user: { token: string }) => {
    const client = await connectLive(gw.app, `?access_token=${user.token}`);
    open.push(client);
    await client.next('ready');
    return client;
  };
  /** Frames the server sent before answering this ping have all arrived once the pong has. */
  const settled = async (client: LiveClient) => {
    client.send({ type: 'ping' });
    await client.next('pong');
    return client.frames;
  };
  const publishTrip = (...events: ReturnType<typeof tripEvent>[]) => bus.publish(TOPICS.trip, events);
  const publishPosition = (driverId: string, location: ReturnType<typeof fixAt>, tripId: string = randomUUID()) =>
    bus.publish(TOPICS.driverTripPosition, [makeEvent('driver.v1.trip_position', driverId, { driverId, tripId, location })]);
  const framesOf = (client: LiveClient, type: string) => client.frames.filter((f) => f.type === type);

  beforeAll(async () => {
    one = await startTestGateway({}, undefined, { bus });
    two = await startTestGateway({}, one.fake, { bus });
  });
  beforeEach(() => {
    for (const gw of [one, two]) {
      gw.driver.trips = [];
      gw.driver.offers = [];
      gw.driver.tripFailure = undefined;
      gw.driver.tripFailuresLeft = undefined;
    }
  });
  afterAll(async () => {
    open.forEach((c) => c.ws.close());
    await two?.close();
    await one?.close();
    await bus.close();
  });

  it('offers and their end go to the driver only, on whichever replica it is connected to', async () => {
    const driver = await signIn(DRIVER);
    const passenger = await signIn(PASSENGER);
    const d = await connect(two, driver);
    const p = await connect(one, passenger);
    const tripId = randomUUID();
    const expiresAt = new Date(Date.now() + 15_000).toISOString();
    const offered = { tripId, passengerId: passenger.id, driverId: driver.id, vehicleType: 'car4' as const, pickup: { lat: 10.87, lng: 106.8 }, dropoff: { lat: 10.77, lng: 106.7 }, fare: { amount: 95_000, currency: 'VND' as const }, expiresAt, attempt: 1 };
    await bus.publish(TOPICS.trip, [makeEvent('trip.v1.offered', tripId, offered)]);
    expect(await d.next('offer')).toEqual({ type: 'offer', offer: { tripId, pickup: offered.pickup, dropoff: offered.dropoff, fare: offered.fare, expiresAt } });

    // An offer that lapsed before it was read is not pushed.
    const stale = { ...offered, tripId: randomUUID(), expiresAt: new Date(Date.now() - 1).toISOString() };
    await bus.publish(TOPICS.trip, [makeEvent('trip.v1.offered', stale.tripId, stale)]);
    await bus.publish(TOPICS.trip, [makeEvent('trip.v1.offer_expired', tripId, { tripId, driverId: driver.id, reason: 'timeout' })]);
    expect(await d.next('offer_expired')).toEqual({ type: 'offer_expired', tripId });
    expect(framesOf(d, 'offer')).toHaveLength(1);
    expect((await settled(p)).map((f) => f.type)).toEqual(['ready', 'pong']);
  });

  it('a ride: both sides get trip_updated; the passenger gets the newest position of its driver while the driver comes and drives', async () => {
    const driver = await signIn(DRIVER);
    const passenger = await signIn(PASSENGER);
    const d = await connect(one, driver);
    const p = await connect(two, passenger);
    const requested = tripView('REQUESTED', Date.now(), { passengerId: passenger.id });
    await publishTrip(tripEvent('trip.v1.requested', requested));
    expect(await p.next('trip_updated')).toEqual({ type: 'trip_updated', trip: requested });

    const t0 = Date.now();
    await publishPosition(driver.id, fixAt(10.1, new Date(t0)));
    const assigned = advance(requested, 'DRIVER_ASSIGNED', 1_000, { driverId: driver.id, assignedAt: new Date().toISOString() });
    await publishTrip(tripEvent('trip.v1.assigned', assigned));
    expect((await p.next('trip_updated')).trip).toEqual(assigned);
    expect((await d.next('trip_updated')).trip).toEqual(assigned);

    await publishPosition(driver.id, fixAt(10.3, new Date(t0 + 2_000)), requested.id);
    expect(await p.next('driver_location')).toEqual({
      type: 'driver_location',
      tripId: requested.id,
      driverId: driver.id,
      location: { lat: 10.3, lng: 106.8 },
      headingDeg: 90,
      speedKmh: 30,
      recordedAt: new Date(t0 + 2_000).toISOString(),
    });
    // Older than what was forwarded, and another driver's: not sent.
    await publishPosition(driver.id, fixAt(10.25, new Date(t0 + 1_500)), requested.id);
    await publishPosition(randomUUID(), fixAt(10.4, new Date(t0 + 3_000)));
    // A redelivered older state is not pushed again.
    await publishTrip(tripEvent('trip.v1.requested', requested));
    const arrived = advance(assigned, 'ARRIVED');
    const started = advance(arrived, 'IN_TRIP');
    await publishTrip(tripEvent('trip.v1.arrived', arrived), tripEvent('trip.v1.started', started));
    await publishPosition(driver.id, fixAt(10.5, new Date(t0 + 4_000)), requested.id);
    const completed = advance(started, 'COMPLETED');
    await publishTrip(tripEvent('trip.v1.completed', completed));
    await publishPosition(driver.id, fixAt(10.6, new Date(t0 + 5_000)), requested.id);

    const trips = (client: LiveClient) => framesOf(client, 'trip_updated').map((f) => f.trip.status);
    expect((await settled(p)).filter((f) => f.type !== 'pong').map((f) => f.type === 'driver_location' ? f.location.lat : f.type)).toEqual(['ready', 'trip_updated', 'trip_updated', 10.3, 'trip_updated', 'trip_updated', 10.5, 'trip_updated']);
    expect(trips(p)).toEqual(['REQUESTED', 'DRIVER_ASSIGNED', 'ARRIVED', 'IN_TRIP', 'COMPLETED']);
    await settled(d);
    expect(trips(d)).toEqual(['DRIVER_ASSIGNED', 'ARRIVED', 'IN_TRIP', 'COMPLETED']);
    expect(framesOf(d, 'driver_location')).toHaveLength(0);

    const pushed = await two.metrics.registry.getSingleMetric('uitgo_gateway_live_frames_total')!.get();
    expect(pushed.values.find((v) => v.labels.type === 'driver_location')?.value).toBeGreaterThanOrEqual(2);
  });

  it('a driver who gives the trip back gets the trip_updated that says so', async () => {
    const driver = await signIn(DRIVER);
    const d = await connect(two, driver);
    const assigned = tripView('DRIVER_ASSIGNED', Date.now(), { driverId: driver.id });
    await publishTrip(tripEvent('trip.v1.assigned', assigned));
    await d.next('trip_updated');
    const again = advance(assigned, 'REQUESTED', 1_000, { driverId: null });
    await publishTrip(tripEvent('trip.v1.requested', again));
    expect((await d.next('trip_updated')).trip).toMatchObject({ id: assigned.id, status: 'REQUESTED', driverId: null });
  });

  it('a client that connects gets the current state at once, fetched as itself; a replica that learns the trip so forwards positions', async () => {
    const driver = await signIn(DRIVER);
    const passenger = await signIn(PASSENGER);
    const assigned = tripView('DRIVER_ASSIGNED', Date.now(), { passengerId: passenger.id, driverId: driver.id });
    const offerTripId = randomUUID();
    const expireTime = new Date(Date.now() + 10_000);
    one.driver.trips = [protoTrip(assigned)];
    one.driver.offers = [
      { tripId: offerTripId, reservationId: '', pickup: { lat: 10.8, lng: 106.7 }, dropoff: { lat: 10.7, lng: 106.6 }, fare: { amount: 50_000, currency: 'VND' }, expireTime },
      { tripId: randomUUID(), reservationId: '', pickup: { lat: 10.8, lng: 106.7 }, dropoff: { lat: 10.7, lng: 106.6 }, fare: { amount: 50_000, currency: 'VND' }, expireTime: new Date(Date.now() - 1) },
    ];

    const p = await connect(one, passenger);
    expect(await p.next('trip_updated')).toEqual({ type: 'trip_updated', trip: assigned });
    expect(p.frames.map((f) => f.type)).toEqual(['ready', 'trip_updated']);
    const d = await connect(one, driver);
    expect(await d.next('offer')).toEqual({ type: 'offer', offer: { tripId: offerTripId, pickup: { lat: 10.8, lng: 106.7 }, dropoff: { lat: 10.7, lng: 106.6 }, fare: { amount: 50_000, currency: 'VND' }, expiresAt: expireTime.toISOString() } });
    expect((await d.next('trip_updated')).trip).toEqual(assigned);
    expect((await settled(d)).map((f) => f.type)).toEqual(['ready', 'offer', 'trip_updated', 'pong']);

    const calls = one.driver.calls.filter((c) => [passenger.id, driver.id].includes(c.context.caller?.userId ?? ''));
    expect(calls.map((c) => [c.method, c.context.caller?.userId, c.context.caller?.role]).sort()).toEqual([
      ['listDriverOffers', driver.id, 'driver'],
      ['listTrips', driver.id, 'driver'],
      ['listTrips', passenger.id, 'passenger'],
    ].sort());
    expect(calls.every((c) => /^[0-9a-f]{32}$/.test(c.context.traceId))).toBe(true);

    const at = new Date();
    await publishPosition(driver.id, fixAt(10.9, at), assigned.id);
    expect(await p.next('driver_location')).toMatchObject({ tripId: assigned.id, driverId: driver.id, location: { lat: 10.9, lng: 106.8 } });
  });

  it('on connect a newer state from the events wins over a lagging fetch; ended offers and trips are not sent', async () => {
    const driver = await signIn(DRIVER);
    const passenger = await signIn(PASSENGER);
    const assigned = tripView('DRIVER_ASSIGNED', Date.now(), { passengerId: passenger.id, driverId: driver.id });
    const arrived = advance(assigned, 'ARRIVED');
    await publishTrip(tripEvent('trip.v1.assigned', assigned), tripEvent('trip.v1.arrived', arrived));
    const [withdrawn, live] = [randomUUID(), randomUUID()];
    await bus.publish(TOPICS.trip, [makeEvent('trip.v1.offer_expired', withdrawn, { tripId: withdrawn, driverId: driver.id, reason: 'withdrawn' })]);
    const offerOf = (tripId: string) => ({ tripId, reservationId: '', pickup: { lat: 10.8, lng: 106.7 }, dropoff: { lat: 10.7, lng: 106.6 }, fare: { amount: 50_000, currency: 'VND' }, expireTime: new Date(Date.now() + 10_000) });
    // The read model lags: it still says DRIVER_ASSIGNED, and lists the withdrawn offer.
    two.driver.trips = [protoTrip(assigned)];
    two.driver.offers = [offerOf(withdrawn), offerOf(live)];

    const p = await connect(two, passenger);
    expect((await p.next('trip_updated')).trip).toEqual(arrived);
    const d = await connect(two, driver);
    // The offers are sent before the trip: once the trip is here, every offer decision was made.
    expect((await d.next('trip_updated')).trip).toEqual(arrived);
    expect((await settled(d)).filter((f) => f.type === 'offer').map((f) => f.offer.tripId)).toEqual([live]);

    const ended = advance(arrived, 'CANCELED', 1_000, { canceledAt: new Date().toISOString(), canceledBy: 'passenger' });
    await bus.publish(TOPICS.trip, [makeEvent('trip.v1.canceled', ended.id, { trip: ended, canceledBy: 'passenger' })]);
    const again = await connect(two, driver);
    await again.next('offer');
    expect((await settled(again)).map((f) => f.type)).toEqual(['ready', 'offer', 'pong']);
  });

  it('when the trip service cannot answer, the connection still opens and works, and the client is told its state is missing', async () => {
    const passenger = await signIn(PASSENGER);
    one.driver.tripFailure = new AppError('UNAVAILABLE', 'trip service down');
    const p = await connect(one, passenger);
    expect(await p.next('error')).toMatchObject({ type: 'error', code: 'UNAVAILABLE', message: expect.stringContaining('reconnect'), traceId: expect.any(String) });
    // Tried once and again after each pause (two in the test gateway).
    expect(one.driver.calls.filter((c) => c.method === 'listTrips' && c.context.caller?.userId === passenger.id)).toHaveLength(3);
    expect((await settled(p)).map((f) => f.type)).toEqual(['ready', 'error', 'pong']);
    expect(p.closed).toBeUndefined();
  });

  it('a state fetch refused for a moment is tried again, and the client gets its state', async () => {
    const driver = await signIn(DRIVER);
    const passenger = await signIn(PASSENGER);
    const assigned = tripView('DRIVER_ASSIGNED', Date.now(), { passengerId: passenger.id, driverId: driver.id });
    one.driver.trips = [protoTrip(assigned)];
    one.driver.tripFailure = new AppError('UNAVAILABLE', 'busy; retry in a second');
    one.driver.tripFailuresLeft = 1;
    const p = await connect(one, passenger);
    expect(await p.next('trip_updated')).toEqual({ type: 'trip_updated', trip: assigned });
    expect(one.driver.calls.filter((c) => c.method === 'listTrips' && c.context.caller?.userId === passenger.id)).toHaveLength(2);
    expect((await settled(p)).map((f) => f.type)).toEqual(['ready', 'trip_updated', 'pong']);
  });

  it('a refusal that is not transient is reported at once, without retrying', async () => {
    const passenger = await signIn(PASSENGER);
    one.driver.tripFailure = new AppError('FORBIDDEN', 'not yours');
    const p = await connect(one, passenger);
    expect(await p.next('error')).toMatchObject({ code: 'INTERNAL' });
    expect(one.driver.calls.filter((c) => c.method === 'listTrips' && c.context.caller?.userId === passenger.id)).toHaveLength(1);
  });

  it('a storm of new connections fetches their state a few at a time (LIVE_STATE_FETCH_CONCURRENCY), and each gets it', async () => {
    const narrow = await startTestGateway({ LIVE_STATE_FETCH_CONCURRENCY: '2' }, one.fake, { bus });
    try {
      const passengers = await Promise.all(Array.from({ length: 6 }, () => signIn(PASSENGER)));
      narrow.driver.trips = passengers.map((p) => protoTrip(tripView('DRIVER_ASSIGNED', Date.now(), { passengerId: p.id, driverId: randomUUID() })));
      let open!: () => void;
      narrow.driver.tripGate = new Promise<void>((resolve) => (open = resolve));
      const clients = await Promise.all(passengers.map((p) => connect(narrow, p)));
      await expect.poll(() => narrow.driver.tripListsRunning).toBe(2);
      const waiting = (await narrow.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(waiting).toMatch(/^uitgo_gateway_live_state_fetches_waiting{service="gateway"} 4$/m);
      narrow.driver.tripGate = undefined;
      open();
      const states = await Promise.all(clients.map((c) => c.next('trip_updated')));
      expect(states.map((frame) => (frame as { trip: Trip }).trip.passengerId).sort()).toEqual(passengers.map((p) => p.id).sort());
      expect(narrow.driver.tripListsPeak).toBe(2);
    } finally {
      await narrow.close();
    }
  });
});
