import { randomUUID } from 'node:crypto';
import { driver as proto } from '@uitgo/grpc';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { VEHICLE } from '../test/fakeDriverService.js';
import { bearer, startTestGateway, type TestGateway } from '../test/testGateway.js';

const password = 'correct-Horse-42';
const point = { lat: 10.87, lng: 106.803, headingDeg: 90, speedKmh: 30, accuracyM: 5, recordedAt: '2025-11-26T11:02:00+07:00' };

describe('gateway driver routes (fake driver service over gRPC)', () => {
  let gw: TestGateway;
  let passenger: { id: string; token: string };
  let driver: { id: string; token: string };
  let admin: { id: string; token: string };

  beforeAll(async () => {
    gw = await startTestGateway();
    const signIn = async (email: string, role: 1 | 2 | 3) => {
      const account = gw.fake.addAccount({ email, password, role, fullName: `User ${role}` });
      return { id: account.id, token: (await gw.fake.openSession(account)).accessToken };
    };
    passenger = await signIn('p@example.com', 1);
    driver = await signIn('d@example.com', 2);
    admin = await signIn('admin@example.com', 3);
  });
  afterAll(() => gw?.close());

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: object) =>
    gw.app.inject({ method, url: `/api/v1${url}`, headers: bearer(token), ...(payload ? { payload } : {}) });

  it('registers the vehicle, reads the profile, and refuses going online until verified', async () => {
    const put = await call('PUT', '/drivers/me', driver.token, { vehicleType: 'car4', plateNumber: ' 51f-123.45 ', vehicleModel: 'Toyota Vios' });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toEqual({ id: driver.id, vehicleType: 'car4', plateNumber: '51F-123.45', vehicleModel: 'Toyota Vios', status: 'offline', lastLocation: null });
    expect(gw.driver.lastCall('upsertDriverProfile')!.context.caller).toMatchObject({ userId: driver.id, role: 'driver' });

    const refused = await call('POST', '/drivers/me/online', driver.token);
    expect([refused.statusCode, refused.json().code]).toEqual([409, 'DRIVER_NOT_VERIFIED']);
    gw.driver.verified.add(driver.id);
    expect((await call('POST', '/drivers/me/online', driver.token)).json().status).toBe('available');
    expect((await call('GET', '/drivers/me', driver.token)).json().status).toBe('available');
    expect((await call('POST', '/drivers/me/offline', driver.token)).json().status).toBe('offline');

    expect((await call('PUT', '/drivers/me', passenger.token, { vehicleType: 'car4', plateNumber: '51F-123.45', vehicleModel: 'x' })).statusCode).toBe(403);
    const bad = await call('PUT', '/drivers/me', driver.token, { vehicleType: 'truck', plateNumber: '!', vehicleModel: '' });
    expect(bad.json().details.fields.map((f: { path: string }) => f.path).sort()).toEqual(['body.plateNumber', 'body.vehicleModel', 'body.vehicleType']);
  });

  it('a profile without a vehicle has nulls; an unknown driver is 404', async () => {
    const other = gw.fake.addAccount({ email: 'd2@example.com', password, role: 2, fullName: 'D2' });
    const token = (await gw.fake.openSession(other)).accessToken;
    const missing = await call('GET', '/drivers/me', token);
    expect([missing.statusCode, missing.json().code]).toEqual([404, 'DRIVER_NOT_FOUND']);
    gw.driver.profiles.set(other.id, {
      driverId: other.id,
      vehicleType: VEHICLE.VEHICLE_TYPE_UNSPECIFIED,
      status: proto.DriverStatus.DRIVER_STATUS_OFFLINE,
      lastLocation: undefined,
      updateTime: new Date(),
    });
    expect((await call('GET', '/drivers/me', token)).json()).toEqual({ id: other.id, vehicleType: null, plateNumber: null, vehicleModel: null, status: 'offline', lastLocation: null });
  });

  it('PUT /drivers/me/location answers 204 and streams the fix, in UTC, as that driver; passengers get 403', async () => {
    const at = new Date(Math.floor(Date.now() / 1000) * 1000);
    const fresh = { ...point, recordedAt: at.toISOString().replace('Z', '+00:00') };
    const res = await call('PUT', '/drivers/me/location', driver.token, fresh);
    expect(res.statusCode, res.body).toBe(204);
    await vi.waitFor(() => expect(gw.driver.streamed.at(-1)?.driverId).toBe(driver.id), { timeout: 5_000, interval: 10 });
    expect(gw.driver.streamed.at(-1)!.point).toEqual({
      location: { lat: 10.87, lng: 106.803 },
      headingDeg: 90,
      speedKmh: 30,
      accuracyM: 5,
      recordedTime: at,
    });
    const stale = await call('PUT', '/drivers/me/location', driver.token, point);
    expect([stale.statusCode, stale.json().details.fields]).toEqual([400, [{ path: 'body.recordedAt', message: 'is more than 120 s old' }]]);
    const forbidden = await call('PUT', '/drivers/me/location', passenger.token, point);
    expect([forbidden.statusCode, forbidden.json().code]).toEqual([403, 'FORBIDDEN']);
    expect((await call('POST', '/drivers/me/locations', passenger.token, { points: [point] })).statusCode).toBe(403);
    const invalid = await call('PUT', '/drivers/me/location', driver.token, { ...point, lat: 91, recordedAt: 'yesterday' });
    expect(invalid.json().details.fields.map((f: { path: string }) => f.path).sort()).toEqual(['body.lat', 'body.recordedAt']);
  });

  it('POST /drivers/me/locations answers 202 with the accepted count; more than 100 points is 400', async () => {
    const res = await call('POST', '/drivers/me/locations', driver.token, { points: [point, { ...point, lat: 0 }, point] });
    expect([res.statusCode, res.json()]).toEqual([202, { accepted: 2 }]);
    expect((gw.driver.lastCall('recordLocations')!.request as proto.RecordLocationsRequest).points).toHaveLength(3);
    const tooMany = await call('POST', '/drivers/me/locations', driver.token, { points: Array.from({ length: 101 }, () => point) });
    expect(tooMany.json().details.fields.map((f: { path: string }) => f.path)).toEqual(['body.points']);
  });

  it('GET /drivers/nearby: passengers and admins, with defaults and the vehicle filter; drivers get 403', async () => {
    const other = randomUUID();
    gw.driver.nearby = [
      { driverId: driver.id, vehicleType: VEHICLE.VEHICLE_TYPE_CAR4, location: { lat: 10.871, lng: 106.803 }, distanceM: 111.2, updateTime: new Date('2025-11-26T04:02:00Z') },
      { driverId: other, vehicleType: VEHICLE.VEHICLE_TYPE_BIKE, location: { lat: 10.88, lng: 106.803 }, distanceM: 1112, updateTime: new Date('2025-11-26T04:02:01Z') },
    ];
    const res = await call('GET', '/drivers/nearby?lat=10.87&lng=106.803', passenger.token);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toEqual([
      { driverId: driver.id, vehicleType: 'car4', location: { lat: 10.871, lng: 106.803 }, distanceM: 111.2, updatedAt: '2025-11-26T04:02:00.000Z' },
      { driverId: other, vehicleType: 'bike', location: { lat: 10.88, lng: 106.803 }, distanceM: 1112, updatedAt: '2025-11-26T04:02:01.000Z' },
    ]);
    expect(gw.driver.lastCall('searchNearbyDrivers')!.request).toEqual({ center: { lat: 10.87, lng: 106.803 }, radiusM: 3000, limit: 20, vehicleType: VEHICLE.VEHICLE_TYPE_UNSPECIFIED });
    await call('GET', '/drivers/nearby?lat=10.87&lng=106.803&radiusM=500&limit=5&vehicleType=car7', admin.token);
    expect(gw.driver.lastCall('searchNearbyDrivers')!.request).toMatchObject({ radiusM: 500, limit: 5, vehicleType: VEHICLE.VEHICLE_TYPE_CAR7 });
    expect((await call('GET', '/drivers/nearby?lat=10.87&lng=106.803', driver.token)).statusCode).toBe(403);
    const bad = await call('GET', '/drivers/nearby?lat=100&radiusM=50000', passenger.token);
    expect(bad.json().details.fields.map((f: { path: string }) => f.path).sort()).toEqual(['querystring.lat', 'querystring.lng', 'querystring.radiusM']);
  });

  it('GET /drivers/me/offers maps the live offers', async () => {
    const tripId = randomUUID();
    gw.driver.offers = [{ tripId, reservationId: 'r1', pickup: { lat: 10.87, lng: 106.8 }, dropoff: { lat: 10.77, lng: 106.7 }, fare: { amount: 45000, currency: 'VND' }, expireTime: new Date('2025-11-26T04:03:00Z') }];
    const res = await call('GET', '/drivers/me/offers', driver.token);
    expect(res.json()).toEqual({ items: [{ tripId, pickup: { lat: 10.87, lng: 106.8 }, dropoff: { lat: 10.77, lng: 106.7 }, fare: { amount: 45000, currency: 'VND' }, expiresAt: '2025-11-26T04:03:00.000Z' }] });
    expect((await call('GET', '/drivers/me/offers', passenger.token)).statusCode).toBe(403);
  });

  it('GET /drivers/{id}/track: admins only, window and cursor passed through, next cursor answered', async () => {
    gw.driver.track = { points: [{ location: { lat: 10.87, lng: 106.8 }, recordedTime: new Date('2025-11-26T04:00:00Z') }], nextPageToken: 'next-1' };
    const url = `/drivers/${driver.id}/track?from=2025-11-26T10:00:00%2B07:00&to=2025-11-26T04:30:00Z&limit=1&cursor=abc`;
    const res = await call('GET', url, admin.token);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ items: [{ lat: 10.87, lng: 106.8, recordedAt: '2025-11-26T04:00:00.000Z' }], nextCursor: 'next-1' });
    expect(gw.driver.lastCall('getLocationTrack')!.request).toEqual({
      driverId: driver.id,
      startTime: new Date('2025-11-26T03:00:00Z'),
      endTime: new Date('2025-11-26T04:30:00Z'),
      pageSize: 1,
      pageToken: 'abc',
    });
    for (const token of [driver.token, passenger.token]) expect((await call('GET', url, token)).statusCode).toBe(403);
    const bad = await call('GET', `/drivers/not-a-uuid/track?from=x`, admin.token);
    expect(bad.json().details.fields.map((f: { path: string }) => f.path).sort()).toEqual(['params.id']);
  });
});

describe('gateway driver routes: the recordedAt window follows the driver service settings', () => {
  let gw: TestGateway;
  let token: string;
  beforeAll(async () => {
    gw = await startTestGateway({ DRIVER_LOCATION_MAX_AGE_MS: '300000', DRIVER_LOCATION_MAX_FUTURE_SKEW_MS: '0' });
    const account = gw.fake.addAccount({ email: 'window@example.com', password, role: 2, fullName: 'Window Driver' });
    token = (await gw.fake.openSession(account)).accessToken;
  });
  afterAll(() => gw?.close());

  const put = (ageMs: number) =>
    gw.app.inject({ method: 'PUT', url: '/api/v1/drivers/me/location', headers: bearer(token), payload: { ...point, recordedAt: new Date(Date.now() - ageMs).toISOString() } });

  it('accepts a fix older than the default two minutes when the operator allows five, and names the configured limits', async () => {
    expect((await put(180_000)).statusCode).toBe(204);
    const old = await put(360_000);
    expect([old.statusCode, old.json().details.fields]).toEqual([400, [{ path: 'body.recordedAt', message: 'is more than 300 s old' }]]);
    const ahead = await put(-2_000);
    expect([ahead.statusCode, ahead.json().details.fields[0].message]).toEqual([400, 'is more than 0 s in the future; check the phone clock']);
  });
});
