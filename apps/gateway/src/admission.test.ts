import { randomUUID } from 'node:crypto';
import { makeEvent, TOPICS } from '@uitgo/contracts';
import { MemoryEventBus } from '@uitgo/kit/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tripView } from './test/tripFixtures.js';
import { bearer, eventually, startTestGateway, type TestGateway } from './test/testGateway.js';
import { gatewayAdmission, PACED_BY_EVENT_LAG, SHEDDABLE_METHODS } from './admission.js';

describe('gateway admission control', () => {
  it('may refuse new trips, quotes, searches and reads, never the steps of a trip already running', () => {
    const admission = gatewayAdmission(1_000)!;
    for (const method of ['CreateTrip', 'QuoteTrip', 'BatchGetTrips', 'ListTrips']) expect(admission.governs(`/uitgo.trip.v1.TripService/${method}`)).toBe(true);
    expect(admission.governs('/uitgo.driver.v1.DriverService/BatchSearchNearbyDrivers')).toBe(true);
    for (const method of ['AcceptTrip', 'DeclineTrip', 'ArriveTrip', 'StartTrip', 'CompleteTrip', 'CancelTrip', 'RateTrip']) {
      expect(admission.governs(`/uitgo.trip.v1.TripService/${method}`)).toBe(false);
    }
    for (const method of ['UpdateLocation', 'RecordLocations', 'GoOnline', 'GoOffline']) expect(admission.governs(`/uitgo.driver.v1.DriverService/${method}`)).toBe(false);
    expect(admission.governs('/uitgo.auth.v1.AuthService/Login')).toBe(false);
    expect(admission.governs('/uitgo.trip.v1.TripService/ListDriverOffers')).toBe(false);
    expect(SHEDDABLE_METHODS.size).toBe(14);
    expect([...PACED_BY_EVENT_LAG]).toEqual(['/uitgo.trip.v1.TripService/CreateTrip']);
  });

  it('is off with a budget of 0', () => {
    expect(gatewayAdmission(0)).toBeUndefined();
  });
});

describe('gateway admission control over HTTP (fake user service)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ ADMISSION_BUDGET_MS: '20' });
  });
  afterAll(() => gw?.close());

  it('answers 503 with Retry-After at once while the service is saturated, without calling it', async () => {
    const account = gw.fake.addAccount({ email: `${randomUUID()}@example.com`, password: 'correct-Horse-42', role: 1, fullName: 'Busy' });
    const { accessToken } = await gw.fake.openSession(account);
    const me = () => gw.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: bearer(accessToken) });
    const gate = (): { wait: Promise<void>; open: () => void } => {
      let open = () => undefined as void;
      return { wait: new Promise<void>((resolve) => (open = resolve)), open };
    };
    // One call held throughout (so the method is never idle), then 40 answered after 50 ms each:
    // answers take more than half the 20 ms budget, the method is saturated.
    const held = gate();
    let calls = 0;
    gw.fake.profileDelay = () => (++calls === 1 ? held.wait : new Promise((resolve) => setTimeout(resolve, 50)));
    const first = me();
    await eventually(() => calls === 1);
    const answered = await Promise.all(Array.from({ length: 40 }, me));
    expect(answered.map((r) => r.statusCode === 200 ? 200 : r.body)).toEqual(Array.from({ length: 40 }, () => 200));
    await new Promise((resolve) => setTimeout(resolve, 300)); // a window closes

    // The next 40 arrive together and wait in the service: beyond the 32-call floor they are refused.
    const burst = gate();
    gw.fake.profileDelay = () => burst.wait;
    const reachedBefore = gw.fake.calls.getProfile ?? 0;
    const settled: Awaited<ReturnType<typeof me>>[] = [];
    const pending = Array.from({ length: 40 }, () => me().then((r) => (settled.push(r), r)));
    const reached = () => (gw.fake.calls.getProfile ?? 0) - reachedBefore;
    await eventually(() => reached() + settled.length === 40);
    // 31 more reached the service (32 in flight with the held one); the others were answered at once.
    expect([reached(), settled.length]).toEqual([31, 9]);
    expect(settled.map((r) => [r.statusCode, r.headers['retry-after'], r.json().code])).toEqual(Array.from({ length: 9 }, () => [503, '1', 'UNAVAILABLE']));
    expect(await gw.metrics.registry.getSingleMetricAsString('grpc_client_shed_total')).toContain('method="/uitgo.user.v1.UserService/GetProfile"');
    burst.open();
    held.open();
    expect((await Promise.all([first, ...pending])).filter((r) => r.statusCode === 200)).toHaveLength(32);
    gw.fake.profileDelay = undefined;
  });
});

describe('gateway admission control: trip requests paced by how late trip events arrive', () => {
  const bus = new MemoryEventBus();
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({}, undefined, { bus });
  });
  afterAll(async () => {
    await gw?.close();
    await bus.close();
  });

  it('refuses trip requests at once (503, Retry-After) while the trip events reach the gateway late, and counts the lag', async () => {
    const account = gw.fake.addAccount({ email: `${randomUUID()}@example.com`, password: 'correct-Horse-42', role: 1, fullName: 'Late' });
    const { accessToken } = await gw.fake.openSession(account);
    const request = () =>
      gw.app.inject({
        method: 'POST',
        url: '/api/v1/trips',
        headers: { ...bearer(accessToken), 'idempotency-key': randomUUID() },
        payload: { pickup: { lat: 10.87, lng: 106.8 }, dropoff: { lat: 10.77, lng: 106.7 }, vehicleType: 'car4' },
      });
    // On time: every request goes through.
    expect((await request()).statusCode).toBe(201);
    // Events 3 s late, requests meanwhile: within a few of the pacer's 250 ms windows, requests are refused.
    const lateTrip = () => ({
      ...makeEvent('trip.v1.requested', randomUUID(), { trip: tripView('REQUESTED', Date.now()) }),
      occurredAt: new Date(Date.now() - 3_000).toISOString(),
    });
    let published = 0;
    let refused: Awaited<ReturnType<typeof request>>[] = [];
    while (refused.length === 0 && published < 200) {
      await bus.publish(TOPICS.trip, [lateTrip()]);
      published++;
      refused = (await Promise.all(Array.from({ length: 4 }, request))).filter((r) => r.statusCode === 503);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.headers['retry-after']).toBe('1');
    expect(refused[0]!.json()).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('reaching people late') });
    expect(await gw.metrics.registry.getSingleMetricAsString('grpc_client_shed_total')).toContain('method="/uitgo.trip.v1.TripService/CreateTrip"');
    const lag = await gw.metrics.registry.getSingleMetricAsString('uitgo_gateway_live_event_lag_seconds');
    expect(lag).toContain('uitgo_gateway_live_event_lag_seconds_bucket{le="2.5",service="gateway"} 0\n');
    expect(lag).toContain(`uitgo_gateway_live_event_lag_seconds_bucket{le="5",service="gateway"} ${published}\n`);
    // Other reads and steps are never paced by it.
    expect((await gw.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: bearer(accessToken) })).statusCode).toBe(200);
  });
});
