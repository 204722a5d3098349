import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { PASSWORD, registerAccount, uniqueEmail, verifyDriver, type Account } from './accounts.js';
import { eventually, type ApiClient, type ApiResponse, type Json } from './apiClient.js';

/** Real mode shares Redis and Kafka with other runs: a private driver index, read model and consumer groups. */
export const privateTripEnv = (suite: string): NodeJS.ProcessEnv => ({
  DRIVER_GEO_KEY_PREFIX: `e2e-${suite}-drivers:${randomUUID()}:`,
  DRIVER_ARCHIVER_GROUP: `e2e-${suite}-archiver-${randomUUID()}`,
  // Points of drivers between trips are written together after this long (30 s by default).
  DRIVER_ARCHIVE_LINGER_MS: '250',
  TRIP_READ_MODEL_KEY_PREFIX: `e2e-${suite}-rm:${randomUUID()}:`,
  TRIP_READ_MODEL_GROUP: `e2e-${suite}-read-model-${randomUUID()}`,
  TRIP_RECEIPT_GROUP: `e2e-${suite}-receipts-${randomUUID()}`,
  // New groups start at the end of the shared topics rather than replaying their history.
  TRIP_CONSUME_FROM_BEGINNING: 'false',
  // Drivers report their position once; the suite outlives the default 30 s freshness.
  DRIVER_FRESHNESS_MS: '600000',
});

export interface Point {
  lat: number;
  lng: number;
}

/** About 111 km per degree of latitude, 109 km per degree of longitude near 12° N. */
export const offset = (at: Point, northM: number, eastM = 0): Point => ({ lat: at.lat + northM / 111_195, lng: at.lng + eastM / 109_000 });

/** A car ride of a few kilometres from `pickup`. */
export const rideFrom = (pickup: Point, vehicleType = 'car4') => ({ pickup, dropoff: offset(pickup, -3_000, 2_000), vehicleType });

export const uniquePlate = () => {
  const digits = (n: number) => String(Math.floor(Math.random() * 10 ** n)).padStart(n, '0');
  return `${digits(2)}A${digits(1)}-${digits(3)}.${digits(2)}`;
};

export const fixAt = (at: Point) => ({ ...at, headingDeg: 90, speedKmh: 25, accuracyM: 5, recordedAt: new Date().toISOString() });

/** A driver registered, verified by the admin, with a car, online at `at`. */
export async function onlineDriver(api: ApiClient, adminToken: string, at: Point): Promise<Account> {
  const driver = await registerAccount(api, 'driver');
  await verifyDriver(api, driver, adminToken);
  const vehicle = await api.put('/drivers/me', { vehicleType: 'car4', plateNumber: uniquePlate(), vehicleModel: 'Toyota Vios' }, { token: driver.token });
  expect(vehicle.status, vehicle.text).toBe(200);
  const online = await api.post('/drivers/me/online', undefined, { token: driver.token });
  expect(online.status, online.text).toBe(200);
  const located = await api.put('/drivers/me/location', fixAt(at), { token: driver.token });
  expect(located.status, located.text).toBe(204);
  return driver;
}

/** A passenger who only rides: the account and its token, without waiting for the user profile that follows by an event. */
export async function riderAccount(api: ApiClient): Promise<Account> {
  const res = await api.post('/auth/register', { email: uniqueEmail('rider'), password: PASSWORD, fullName: 'E2E rider', role: 'passenger' });
  expect(res.status, res.text).toBe(201);
  return { id: res.body.user.id, email: res.body.user.email, token: res.body.accessToken };
}

/** Runs `make(i)` for i in [0, n), `width` at a time (registration hashes passwords: a burst only queues). */
export async function inBatches<T>(n: number, width: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const made: T[] = [];
  for (let i = 0; i < n; i += width) made.push(...(await Promise.all(Array.from({ length: Math.min(width, n - i) }, (_, j) => make(i + j)))));
  return made;
}

export const requestTrip = (api: ApiClient, passenger: Account, body: Json, key: string = randomUUID()) =>
  api.post('/trips', body, { token: passenger.token, headers: { 'idempotency-key': key } });

export const offersOf = async (api: ApiClient, driver: Account): Promise<Json[]> => {
  const res = await api.get('/drivers/me/offers', { token: driver.token });
  expect(res.status, res.text).toBe(200);
  return res.body.items;
};

/** Polls the driver's offers until this trip's is there, as a driver app without a socket does. */
export async function waitForOffer(api: ApiClient, driver: Account, tripId: string, timeoutMs = 15_000): Promise<Json> {
  return eventually(async () => (await offersOf(api, driver)).find((o) => o.tripId === tripId), { what: `an offer of trip ${tripId}`, timeoutMs });
}

/** A driver action or a cancel that must succeed; answers the trip. */
export async function act(api: ApiClient, who: Account | string, tripId: string, action: string, body?: Json): Promise<Json> {
  const res = await api.post(`/trips/${tripId}/${action}`, body, { token: typeof who === 'string' ? who : who.token });
  expect(res.status, `${action}: ${res.text}`).toBe(200);
  return res.body;
}

/** The driver's status (offline, available, on_trip) as GET /drivers/me says. */
export const driverStatus = async (api: ApiClient, driver: Account): Promise<string> => (await api.get('/drivers/me', { token: driver.token })).body?.status;

export async function waitForDriverStatus(api: ApiClient, driver: Account, status: string): Promise<void> {
  await eventually(async () => ((await driverStatus(api, driver)) === status ? true : undefined), { what: `driver ${driver.id} ${status}` });
}

/**
 * API.md's error body: code, message, the trace id that is also in the x-trace-id header, and
 * for a validation failure `details.fields` naming at least `fields`.
 */
export function expectError(res: ApiResponse, status: number, code: string, fields: string[] = []): void {
  expect([res.status, res.body?.code], res.text).toEqual([status, code]);
  const { details, ...rest } = res.body as { details?: { fields?: { path: string }[] } };
  expect(rest).toEqual({ code, message: expect.any(String), traceId: expect.any(String) });
  expect(res.headers.get('x-trace-id')).toBe(res.body.traceId);
  if (fields.length > 0) expect(details?.fields?.map((f) => f.path), res.text).toEqual(expect.arrayContaining(fields));
}
