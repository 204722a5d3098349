import { randomUUID } from 'node:crypto';
import { describeReal } from '@uitgo/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAccount, type Account } from '../support/accounts.js';
import { ApiClient, eventually, type ApiResponse, type Json } from '../support/apiClient.js';
import { BOOTSTRAP_ADMIN, startEmbeddedTestPlatform, startRealTestPlatform, type TestPlatform } from '../support/platformHarness.js';
import {
  act,
  driverStatus,
  expectError,
  inBatches,
  offersOf,
  offset,
  onlineDriver,
  privateTripEnv,
  requestTrip,
  rideFrom,
  riderAccount,
  waitForDriverStatus,
  waitForOffer,
  type Point,
} from '../support/tripActors.js';

const DRIVERS = 50;
const PASSENGERS = 200;

/**
 * Offers that outlast any race below; a trip nobody can take searches five times, a second
 * apart. The suite asserts outcomes, not latency: a burst of 200 requests on a busy machine
 * may take longer than the default 5 s gRPC deadline.
 */
const settings: NodeJS.ProcessEnv = {
  GRPC_DEFAULT_DEADLINE_MS: '30000',
  TRIP_OFFER_TTL_MS: '30000',
  TRIP_DISPATCH_MAX_ATTEMPTS: '5',
  TRIP_DISPATCH_RETRY_EMPTY_MS: '1000',
  TRIP_DISPATCH_RADII_M: '3000',
  TRIP_DISPATCH_POLL_MS: '50',
};

const tally = (responses: ApiResponse[]) =>
  responses.map((r) => (r.status < 300 ? String(r.status) : `${r.status} ${r.body?.code}`)).reduce<Record<string, number>>((t, k) => ({ ...t, [k]: (t[k] ?? 0) + 1 }), {});

/** Races through the gateway: accepts of one offer, a rush of requests over a small fleet, a repeated Idempotency-Key. */
function tripConcurrencySuite(start: (env: NodeJS.ProcessEnv) => Promise<TestPlatform>) {
  let platform: TestPlatform;
  let api: ApiClient;
  let admin: string;
  /** The fleet, nearest to `depot` first, 20 m apart. */
  let drivers: Account[];
  const depot: Point = { lat: 13.6 + Math.random() / 10, lng: 109.1 };

  beforeAll(async () => {
    platform = await start({ ...privateTripEnv('trip-races'), ...settings });
    api = new ApiClient(platform.url);
    const login = await api.post('/auth/login', BOOTSTRAP_ADMIN);
    expect(login.status, login.text).toBe(200);
    admin = login.body.accessToken;
    drivers = await inBatches(DRIVERS, 10, (i) => onlineDriver(api, admin, offset(depot, 100 + i * 20)));
  });
  afterAll(() => platform?.stop());

  it('creates one trip for 20 simultaneous requests with the same Idempotency-Key', async () => {
    const passenger = await registerAccount(api, 'passenger');
    const key = randomUUID();
    const body = rideFrom(offset(depot, -40_000));
    const responses = await Promise.all(Array.from({ length: 20 }, () => requestTrip(api, passenger, body, key)));

    const created = responses.filter((r) => r.status === 201);
    // API.md: a repeat waits for the first and replays it; one still in flight after the wait is 409.
    for (const r of responses.filter((r) => r.status !== 201)) expectError(r, 409, 'IDEMPOTENCY_KEY_IN_USE');
    expect(created.length).toBeGreaterThan(0);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    expect(created.filter((r) => r.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
    const mine = await api.get('/trips?limit=100', { token: passenger.token });
    expect(mine.body.items.map((t: Json) => t.id)).toEqual([created[0]!.body.id]);
    expectError(await requestTrip(api, passenger, { ...body, vehicleType: 'bike' }, key), 422, 'IDEMPOTENCY_KEY_REUSED');
    // No driver works out there: dispatch gives the trip up by itself.
  });

  it('lets exactly one of 50 accepts by the offered driver win, racing 49 other drivers', async () => {
    const [offered, ...others] = drivers as [Account, ...Account[]];
    const passenger = await registerAccount(api, 'passenger');
    const created = await requestTrip(api, passenger, rideFrom(depot));
    expect(created.status, created.text).toBe(201);
    const tripId: string = created.body.id;
    await waitForOffer(api, offered, tripId);

    const accept = (driver: Account) => api.post(`/trips/${tripId}/accept`, undefined, { token: driver.token });
    const [mine, theirs] = await Promise.all([
      Promise.all(Array.from({ length: 50 }, () => accept(offered))),
      Promise.all(others.map((driver) => accept(driver))),
    ]);

    expect(tally(mine)).toEqual({ 200: 1, '409 OFFER_NOT_ACTIVE': 49 });
    expect(tally(theirs)).toEqual({ '404 OFFER_NOT_FOUND': 49 });
    for (const r of [...mine, ...theirs].filter((r) => r.status !== 200)) expectError(r, r.status, r.body.code);
    expect(mine.find((r) => r.status === 200)!.body).toMatchObject({ id: tripId, status: 'DRIVER_ASSIGNED', driverId: offered.id });
    expect((await api.get(`/trips/${tripId}`, { token: passenger.token })).body).toMatchObject({ status: 'DRIVER_ASSIGNED', driverId: offered.id });
    await waitForDriverStatus(api, offered, 'on_trip');

    await act(api, admin, tripId, 'cancel');
    await waitForDriverStatus(api, offered, 'available');
  });

  it(`gives ${PASSENGERS} simultaneous requests over ${DRIVERS} drivers no driver on two trips and no trip two drivers`, async () => {
    const passengers = await inBatches(PASSENGERS, 25, () => riderAccount(api));
    for (const driver of drivers) expect(await driverStatus(api, driver)).toBe('available');

    const created = await Promise.all(passengers.map((p, i) => requestTrip(api, p, rideFrom(offset(depot, (i % 20) * 30)))));
    expect(tally(created)).toEqual({ 201: PASSENGERS });
    const tripIds = new Set(created.map((r) => r.body.id as string));
    expect(tripIds.size).toBe(PASSENGERS);

    // Every driver accepts whatever they are offered, as fast as they can, until no trip waits for a driver.
    const wins: { driverId: string; tripId: string }[] = [];
    const refusals: ApiResponse[] = [];
    const busy = new Set<string>();
    const acceptOffers = async (driver: Account) => {
      if (busy.has(driver.id)) return;
      for (const offer of await offersOf(api, driver)) {
        const res = await api.post(`/trips/${offer.tripId}/accept`, undefined, { token: driver.token });
        if (res.status === 200) {
          wins.push({ driverId: driver.id, tripId: offer.tripId });
          busy.add(driver.id);
        } else refusals.push(res);
      }
    };
    const waiting = async () => {
      const res = await api.get('/trips?status=REQUESTED&limit=100', { token: admin });
      expect(res.status, res.text).toBe(200);
      return res.body.items.filter((t: Json) => tripIds.has(t.id)).length;
    };
    await eventually(async () => {
      await Promise.all(drivers.map(acceptOffers));
      return busy.size === DRIVERS || (await waiting()) === 0 ? true : undefined;
    }, { what: 'every trip assigned or given up', timeoutMs: 45_000 });

    const trips = await inBatches(PASSENGERS, 50, async (i) => (await api.get(`/trips/${created[i]!.body.id}`, { token: admin })).body as Json);
    const assigned = trips.filter((t) => t.status === 'DRIVER_ASSIGNED');
    // No driver on two trips, no trip with two drivers: the wins and the assigned trips are one-to-one.
    expect(new Set(wins.map((w) => w.driverId)).size).toBe(wins.length);
    expect(new Set(wins.map((w) => w.tripId)).size).toBe(wins.length);
    expect(assigned.map((t) => `${t.id}:${t.driverId}`).sort()).toEqual(wins.map((w) => `${w.tripId}:${w.driverId}`).sort());
    expect(assigned.length).toBe(DRIVERS);
    for (const t of trips.filter((t) => t.status !== 'DRIVER_ASSIGNED')) {
      expect(t).toMatchObject({ driverId: null, status: expect.stringMatching(/^(REQUESTED|CANCELED)$/) });
    }
    for (const r of refusals) expectError(r, r.status, r.body.code);
    expect(refusals.every((r) => ['OFFER_NOT_ACTIVE', 'OFFER_NOT_FOUND', 'DRIVER_BUSY'].includes(r.body.code))).toBe(true);
    const winner = new Set(wins.map((w) => w.driverId));
    const activePerDriver = await Promise.all(drivers.map(async (d) => (await api.get('/trips?status=DRIVER_ASSIGNED', { token: d.token })).body.items.length));
    expect(activePerDriver).toEqual(drivers.map((d) => (winner.has(d.id) ? 1 : 0)));
    await Promise.all(drivers.filter((d) => winner.has(d.id)).map((d) => waitForDriverStatus(api, d, 'on_trip')));

    // Leave nothing behind: trips still looking for a driver would keep dispatch busy until they give up.
    const active = trips.filter((t) => t.status !== 'CANCELED');
    await inBatches(active.length, 50, async (i) => {
      const res = await api.post(`/trips/${active[i]!.id}/cancel`, undefined, { token: admin });
      if (res.status !== 200) expectError(res, 409, 'INVALID_TRIP_TRANSITION');
    });
  }, 90_000);
}

describe('trip races end to end (embedded platform)', () => tripConcurrencySuite((env) => startEmbeddedTestPlatform(env, { cheapPasswords: true })));

await describeReal('trip races end to end (real mode, services in-process)', ['postgres', 'redis', 's3', 'kafka', 'dynamodb'], () =>
  tripConcurrencySuite((env) => startRealTestPlatform(env, { cheapPasswords: true, ownDatabases: ['trip'] })),
);
