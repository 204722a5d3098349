import { randomUUID } from 'node:crypto';
import { describeReal } from '@uitgo/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAccount, verifyDriver, type Account } from '../support/accounts.js';
import { ApiClient, eventually, type Json } from '../support/apiClient.js';
import { LiveSocket } from '../support/liveSocket.js';
import { BOOTSTRAP_ADMIN, gatewayGrpcCalls, startEmbeddedTestPlatform, startRealTestPlatform, type TestPlatform } from '../support/platformHarness.js';

/** A short freshness window, so that a driver whose app goes quiet drops out within the test. */
const FRESHNESS_MS = 4_000;
const CENTER = { lat: 10.87, lng: 106.8 };
/** About 111 m of latitude per 0.001°. */
const north = (m: number) => ({ lat: CENTER.lat + m / 111_195, lng: CENTER.lng });

/** Plates are unique across drivers, and real-mode databases outlive a run. */
const uniquePlate = () => {
  const digits = (n: number) => String(Math.floor(Math.random() * 10 ** n)).padStart(n, '0');
  return `${digits(2)}A${digits(1)}-${digits(3)}.${digits(2)}`;
};

const fixAt = (at: { lat: number; lng: number }, ageMs = 0) => ({ ...at, headingDeg: 90, speedKmh: 25, accuracyM: 5, recordedAt: new Date(Date.now() - ageMs).toISOString() });

/** The driver routes, the admin track route and the live WebSocket, through the real gateway and services. */
function driversSuite(start: (env: NodeJS.ProcessEnv) => Promise<TestPlatform>) {
  let platform: TestPlatform;
  let api: ApiClient;
  let admin: string;
  let passenger: Account;

  const nearby = async (query = '') => {
    const res = await api.get(`/drivers/nearby?lat=${CENTER.lat}&lng=${CENTER.lng}&radiusM=2000${query}`, { token: passenger.token });
    expect(res.status, res.text).toBe(200);
    return res.body.items as Json[];
  };
  const report = async (driver: Account, at: { lat: number; lng: number }, ageMs = 0) => {
    const res = await api.put('/drivers/me/location', fixAt(at, ageMs), { token: driver.token });
    expect(res.status, res.text).toBe(204);
  };
  /** A verified driver with a vehicle, online. */
  const onlineDriver = async (vehicleType: 'bike' | 'car4' | 'car7' = 'car4') => {
    const driver = await registerAccount(api, 'driver');
    await verifyDriver(api, driver, admin);
    expect((await api.put('/drivers/me', { vehicleType, plateNumber: uniquePlate(), vehicleModel: 'Toyota Vios' }, { token: driver.token })).status).toBe(200);
    const online = await api.post('/drivers/me/online', undefined, { token: driver.token });
    expect(online.status, online.text).toBe(200);
    return driver;
  };

  beforeAll(async () => {
    platform = await start({
      DRIVER_FRESHNESS_MS: String(FRESHNESS_MS),
      LIVE_AUTH_TIMEOUT_MS: '1000',
      // Real mode shares Redis and Kafka with other runs: a private index and archiver group.
      DRIVER_GEO_KEY_PREFIX: `e2e-drivers:${randomUUID()}:`,
      DRIVER_ARCHIVER_GROUP: `e2e-drivers-archiver-${randomUUID()}`,
      // Points of drivers between trips are written together after this long (30 s by default).
      DRIVER_ARCHIVE_LINGER_MS: '250',
    });
    api = new ApiClient(platform.url);
    const login = await api.post('/auth/login', BOOTSTRAP_ADMIN);
    expect(login.status, login.text).toBe(200);
    admin = login.body.accessToken;
    passenger = await registerAccount(api, 'passenger');
  });
  afterAll(() => platform?.stop());

  it('a driver who is not verified cannot go online; after an admin verifies their documents they can', async () => {
    const driver = await registerAccount(api, 'driver');
    const plate = uniquePlate();
    const vehicle = await api.put('/drivers/me', { vehicleType: 'car7', plateNumber: ` ${plate.toLowerCase()} `, vehicleModel: 'Kia Carnival' }, { token: driver.token });
    expect(vehicle.status, vehicle.text).toBe(200);
    expect(vehicle.body).toEqual({ id: driver.id, vehicleType: 'car7', plateNumber: plate, vehicleModel: 'Kia Carnival', status: 'offline', lastLocation: null });
    const refused = await api.post('/drivers/me/online', undefined, { token: driver.token });
    expect([refused.status, refused.body.code]).toEqual([409, 'DRIVER_NOT_VERIFIED']);
    expect((await api.get('/drivers/me', { token: driver.token })).body.status).toBe('offline');

    await verifyDriver(api, driver, admin);
    const online = await api.post('/drivers/me/online', undefined, { token: driver.token });
    expect(online.status, online.text).toBe(200);
    expect(online.body.status).toBe('available');
    expect((await api.get('/drivers/me/offers', { token: driver.token })).body).toEqual({ items: [] });
    const offline = await api.post('/drivers/me/offline', undefined, { token: driver.token });
    expect([offline.status, offline.body.status]).toEqual([200, 'offline']);
  });

  it('role rules: a passenger cannot post locations or read offers; a driver cannot search', async () => {
    const single = await api.put('/drivers/me/location', fixAt(CENTER), { token: passenger.token });
    expect([single.status, single.body.code]).toEqual([403, 'FORBIDDEN']);
    const batch = await api.post('/drivers/me/locations', { points: [fixAt(CENTER)] }, { token: passenger.token });
    expect([batch.status, batch.body.code]).toEqual([403, 'FORBIDDEN']);
    expect((await api.get('/drivers/me/offers', { token: passenger.token })).status).toBe(403);
    const driver = await registerAccount(api, 'driver');
    expect((await api.get(`/drivers/nearby?lat=${CENTER.lat}&lng=${CENTER.lng}`, { token: driver.token })).status).toBe(403);
    expect((await api.get(`/drivers/nearby?lat=${CENTER.lat}&lng=${CENTER.lng}`)).status).toBe(401);
    // Refused with the field at fault, never searched: empty coordinates (not 0,0), a radius over
    // 10 km, a circle near a pole spanning too many grid cells.
    const refused = async (query: string) => {
      const res = await api.get(`/drivers/nearby?${query}`, { token: passenger.token });
      return [res.status, res.body.code, (res.body.details?.fields as { path: string }[] | undefined)?.map((f) => f.path.split('.').pop()).sort().join()];
    };
    expect(await refused('lat=&lng=')).toEqual([400, 'VALIDATION_FAILED', 'lat,lng']);
    expect(await refused(`lat=${CENTER.lat}&lng=${CENTER.lng}&radiusM=15000`)).toEqual([400, 'VALIDATION_FAILED', 'radiusM']);
    expect(await refused('lat=89.99&lng=0')).toEqual([400, 'VALIDATION_FAILED', 'radiusM']);
  });

  it('nearby lists only available drivers with a fresh position, nearest first, filtered by vehicle', async () => {
    const [near, middle, far, stale] = await Promise.all([onlineDriver('car4'), onlineDriver('car4'), onlineDriver('bike'), onlineDriver('car4')]);
    const positions = new Map([[near.id, north(100)], [middle.id, north(400)], [far.id, north(900)]]);
    // Older than the freshness window on arrival: recorded, but never searchable.
    await report(stale, north(50), FRESHNESS_MS + 2_000);

    const ids = (items: Json[]) => items.map((d) => d.driverId);
    const all = await eventually(async () => {
      for (const driver of [near, middle, far]) await report(driver, positions.get(driver.id)!);
      const items = await nearby();
      return ids(items).join() === [near.id, middle.id, far.id].join() ? items : undefined;
    }, { what: 'three fresh drivers, nearest first' });
    expect(all[0]).toEqual({ driverId: near.id, vehicleType: 'car4', location: north(100), distanceM: expect.closeTo(100, 0), updatedAt: expect.any(String) });
    expect(all.map((d) => Math.round(d.distanceM))).toEqual([100, 400, 900]);
    expect(ids(all)).not.toContain(stale.id);
    expect((await api.get('/drivers/me', { token: near.token })).body).toMatchObject({ status: 'available', lastLocation: { ...north(100), speedKmh: 25 } });
    expect(ids(await nearby('&vehicleType=bike'))).toEqual([far.id]);
    expect(ids(await nearby('&limit=1'))).toEqual([near.id]);

    // Searches sent together share one call to the driver service (coalesced by the gateway),
    // each still answered for its own caller and query.
    const before = await gatewayGrpcCalls(platform, 'BatchSearchNearbyDrivers');
    for (const driver of [near, middle, far]) await report(driver, positions.get(driver.id)!);
    const at = `lat=${CENTER.lat}&lng=${CENTER.lng}&radiusM=2000`;
    const searches = await Promise.all(
      Array.from({ length: 5 }, () => [
        api.get(`/drivers/nearby?${at}`, { token: passenger.token }),
        api.get(`/drivers/nearby?${at}&vehicleType=bike`, { token: admin }),
        api.get(`/drivers/nearby?${at}&limit=1`, { token: passenger.token }),
        api.get(`/drivers/nearby?${at}`, { token: near.token }),
        api.get(`/drivers/nearby?lat=91&lng=${CENTER.lng}`, { token: passenger.token }),
      ]).flat(),
    );
    const seen = searches.map((r) => (r.status === 200 ? ids(r.body.items as Json[]).join() : `${r.status} ${r.body?.code}`));
    expect(seen).toEqual(Array.from({ length: 5 }, () => [[near.id, middle.id, far.id].join(), far.id, near.id, '403 FORBIDDEN', '400 VALIDATION_FAILED']).flat());
    if (platform.mode !== 'remote') expect(await gatewayGrpcCalls(platform, 'BatchSearchNearbyDrivers')).toBeGreaterThan(before);

    // Going offline takes a driver out at once.
    expect((await api.post('/drivers/me/offline', undefined, { token: middle.token })).status).toBe(200);
    await eventually(async () => {
      for (const driver of [near, far]) await report(driver, positions.get(driver.id)!);
      return ids(await nearby()).join() === [near.id, far.id].join() ? true : undefined;
    }, { what: 'the offline driver gone, the others listed' });

    // A driver whose app stops reporting drops out by itself once the window passes.
    await eventually(async () => {
      await report(far, positions.get(far.id)!);
      return ids(await nearby()).includes(near.id) ? undefined : true;
    }, { timeoutMs: FRESHNESS_MS * 4, what: 'the silent driver dropping out' });
    expect(ids(await nearby())).toEqual([far.id]);
  });

  it('a batch answers 202 with how many points were recorded; invalid ones are skipped', async () => {
    const driver = await onlineDriver('bike');
    const points = [fixAt(north(300), 3_000), fixAt(north(310), 2_000), fixAt(north(320), 1_000)];
    const res = await api.post('/drivers/me/locations', { points: [...points, fixAt(north(330), 10 * 60_000)] }, { token: driver.token });
    expect([res.status, res.body]).toEqual([202, { accepted: 3 }]);
    expect((await api.get('/drivers/me', { token: driver.token })).body.lastLocation).toMatchObject(north(320));
    const tooMany = await api.post('/drivers/me/locations', { points: Array.from({ length: 101 }, () => fixAt(CENTER)) }, { token: driver.token });
    expect([tooMany.status, tooMany.body.details.fields[0].path]).toEqual([400, 'body.points']);
    await goOfflineQuietly(driver);
  });

  it('WebSocket: a driver\'s location frames move them; bad frames get an error frame; ping gets pong', async () => {
    const driver = await onlineDriver('car7');
    const live = await LiveSocket.open(platform.url, driver.token);
    expect(await live.next('ready')).toEqual({ type: 'ready', userId: driver.id, role: 'driver' });
    const target = north(700);
    const found = await eventually(async () => {
      live.send({ type: 'location', ...fixAt(target) });
      const mine = (await nearby('&vehicleType=car7')).find((d) => d.driverId === driver.id);
      return mine && Math.abs(mine.location.lat - target.lat) < 1e-9 ? mine : undefined;
    }, { what: 'the streamed position in nearby' });
    expect(Math.round(found.distanceM)).toBe(700);

    live.send({ type: 'location', lat: 123, lng: 106.8, recordedAt: 'now' });
    const error = await live.next('error');
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/lat/) });
    live.send('not json');
    expect((await live.next('error')).code).toBe('VALIDATION_FAILED');
    live.send({ type: 'ping' });
    expect(await live.next('pong')).toEqual({ type: 'pong' });
    expect(live.closed).toBeUndefined();
    live.close();
    await goOfflineQuietly(driver);
  });

  it('WebSocket: the token may come as the first frame; a missing or invalid token closes the socket with 4401', async () => {
    const byFrame = await LiveSocket.open(platform.url);
    byFrame.send({ type: 'auth', accessToken: passenger.token });
    expect(await byFrame.next('ready')).toMatchObject({ userId: passenger.id, role: 'passenger' });
    byFrame.send({ type: 'location', ...fixAt(CENTER) });
    expect((await byFrame.next('error')).code).toBe('FORBIDDEN');
    byFrame.close();

    const forged = await LiveSocket.open(platform.url, `${passenger.token.slice(0, -4)}AAAA`);
    expect(await forged.waitClosed()).toEqual({ code: 4401, reason: 'TOKEN_INVALID' });
    expect(forged.frames).toEqual([expect.objectContaining({ type: 'error', code: 'TOKEN_INVALID' })]);

    const anonymous = await LiveSocket.open(platform.url);
    anonymous.send({ type: 'ping' });
    expect(await anonymous.waitClosed()).toEqual({ code: 4401, reason: 'UNAUTHENTICATED' });

    const silent = await LiveSocket.open(platform.url);
    expect((await silent.waitClosed()).code).toBe(4401);
    expect(silent.frames[0]).toMatchObject({ type: 'error', code: 'UNAUTHENTICATED' });
  });

  it('an admin reads a driver\'s track over a time range from the location history', async () => {
    const driver = await onlineDriver('car4');
    const from = new Date(Date.now() - 60_000).toISOString();
    const points = [fixAt(north(200), 3_000), fixAt(north(210), 2_000), fixAt(north(220), 1_000)];
    expect((await api.post('/drivers/me/locations', { points }, { token: driver.token })).status).toBe(202);
    const to = new Date(Date.now() + 60_000).toISOString();
    const url = `/drivers/${driver.id}/track?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    // The history is archived asynchronously (event bus -> archive).
    const track = await eventually(async () => {
      const res = await api.get(url, { token: admin });
      expect(res.status, res.text).toBe(200);
      return res.body.items.length === 3 ? res.body : undefined;
    }, { timeoutMs: 30_000, what: 'three archived points' });
    expect(track.items.map((p: Json) => p.lat)).toEqual(points.map((p) => p.lat));
    expect(track.items[0]).toMatchObject({ lng: CENTER.lng, speedKmh: 25, recordedAt: new Date(points[0]!.recordedAt).toISOString() });
    const first = await api.get(`${url}&limit=2`, { token: admin });
    expect(first.body.items).toHaveLength(2);
    const rest = await api.get(`${url}&limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`, { token: admin });
    expect(rest.body).toEqual({ items: [expect.objectContaining({ lat: points[2]!.lat })], nextCursor: null });
    expect((await api.get(url, { token: driver.token })).status).toBe(403);
    expect((await api.get(url, { token: passenger.token })).status).toBe(403);
    const tooWide = await api.get(`/drivers/${driver.id}/track?from=2025-01-01T00:00:00Z&to=2025-01-03T00:00:00Z`, { token: admin });
    expect([tooWide.status, tooWide.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    await goOfflineQuietly(driver);
  });

  /** Keeps later tests' nearby results to their own drivers. */
  const goOfflineQuietly = async (driver: Account) => {
    expect((await api.post('/drivers/me/offline', undefined, { token: driver.token })).status).toBe(200);
  };
}

describe('drivers end to end (embedded platform)', () => driversSuite((env) => startEmbeddedTestPlatform(env)));

await describeReal('drivers end to end (real mode, services in-process)', ['postgres', 'redis', 's3', 'kafka', 'dynamodb'], () =>
  driversSuite((env) => startRealTestPlatform(env)),
);
