import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { percentile } from './stats.js';

// Child process: the ride-hailing load of `pnpm bench:dispatch`. Simulated drivers hold a
// WebSocket each, report a position every few seconds and accept every offer at once;
// passengers request trips at a fixed rate (open loop) and cancel once a driver is assigned,
// which frees both for the next round. Prints one JSON line with the figures.
const [baseUrl, accountsFile, secondsArg, rateArg] = process.argv.slice(2) as [string, string, string, string];
const seconds = Number(secondsArg);
const rate = Number(rateArg);
const accounts = JSON.parse(readFileSync(accountsFile, 'utf8')) as { passengers: Account[]; drivers: Account[] };

interface Account {
  id: string;
  token: string;
}
interface WsClient {
  send(data: string): void;
  close(): void;
  on(event: 'open', listener: () => void): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'error' | 'close', listener: (arg: unknown) => void): void;
}
const { WebSocket } = createRequire(import.meta.url)('ws') as { WebSocket: new (url: string) => WsClient };

/** The drivers' area: about 5.5 x 5.5 km of central Ho Chi Minh City. */
const AREA = { lat: 10.76, lng: 106.68, span: 0.05 };
const somewhere = () => ({ lat: AREA.lat + Math.random() * AREA.span, lng: AREA.lng + Math.random() * AREA.span });
const api = `${baseUrl}/api/v1`;

const stats = {
  created: 0,
  createFailed: 0,
  offers: 0,
  accepted: 0,
  acceptFailed: 0,
  canceled: 0,
  noOffer: 0,
  createMs: [] as number[],
  offerMs: [] as number[],
  statuses: {} as Record<string, number>,
};
const count = (status: number) => void (stats.statuses[status] = (stats.statuses[status] ?? 0) + 1);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read loosely here
async function call(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

// --- drivers -------------------------------------------------------------------------------
const passengerOf = new Map<string, Account>();
const requestedAt = new Map<string, number>();
const offeredAt = new Map<string, number>();
const settled = new Set<string>();

function recordOffer(tripId: string): void {
  const sent = requestedAt.get(tripId);
  if (sent === undefined) return void offeredAt.set(tripId, performance.now());
  stats.offerMs.push(performance.now() - sent);
}

async function onOffer(driver: Account, tripId: string): Promise<void> {
  stats.offers++;
  recordOffer(tripId);
  const accepted = await call('POST', `/trips/${tripId}/accept`, driver.token);
  count(accepted.status);
  if (accepted.status !== 200) return void stats.acceptFailed++;
  stats.accepted++;
  await finish(tripId);
}

/** The passenger lets the driver go: both are free again. */
async function finish(tripId: string): Promise<void> {
  const passenger = passengerOf.get(tripId);
  if (!passenger || settled.has(tripId)) return;
  settled.add(tripId);
  const canceled = await call('POST', `/trips/${tripId}/cancel`, passenger.token, { reason: 'benchmark round done' });
  count(canceled.status);
  if (canceled.status === 200) stats.canceled++;
  idlePassengers.push(passenger);
  passengerOf.delete(tripId);
}

const sockets: WsClient[] = [];
await Promise.all(
  accounts.drivers.map(
    (driver) =>
      new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(`${api.replace(/^http/, 'ws')}/ws?access_token=${encodeURIComponent(driver.token)}`);
        sockets.push(ws);
        const home = somewhere();
        const report = () => ws.send(JSON.stringify({ type: 'location', ...home, speedKmh: 0, recordedAt: new Date().toISOString() }));
        ws.on('message', (data) => {
          const frame = JSON.parse(data.toString()) as { type: string; offer?: { tripId: string } };
          if (frame.type === 'ready') {
            report();
            setInterval(report, 4_000 + Math.random() * 2_000).unref();
            resolve();
          } else if (frame.type === 'offer' && frame.offer) void onOffer(driver, frame.offer.tripId).catch(() => void stats.acceptFailed++);
        });
        ws.on('error', reject);
      }),
  ),
);
// The gateway fetches each new connection's current state a few at a time: wait until it has
// fetched them all (its queue of fetches is empty), then let every first position land.
for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
  const metrics = await fetch(`${baseUrl}/metrics`).then((res) => res.text());
  if (/^uitgo_gateway_live_state_fetches_waiting(?:\{[^}]*\})? 0$/m.test(metrics)) break;
}
await new Promise((r) => setTimeout(r, 2_000));

// --- passengers ----------------------------------------------------------------------------
const idlePassengers = [...accounts.passengers];

async function requestTrip(passenger: Account): Promise<void> {
  const pickup = somewhere();
  const dropoff = { lat: pickup.lat + 0.02, lng: pickup.lng + 0.015 };
  const sent = performance.now();
  const created = await call('POST', '/trips', passenger.token, { pickup, dropoff, vehicleType: 'car4' }, { 'idempotency-key': randomUUID() });
  count(created.status);
  if (created.status !== 201) {
    stats.createFailed++;
    idlePassengers.push(passenger);
    return;
  }
  stats.created++;
  stats.createMs.push(performance.now() - sent);
  const tripId = created.body.id as string;
  passengerOf.set(tripId, passenger);
  const early = offeredAt.get(tripId);
  if (early !== undefined) stats.offerMs.push(early - sent);
  else requestedAt.set(tripId, sent);
  // A trip nobody was offered within 10 s is given up by its passenger.
  setTimeout(() => {
    if (!settled.has(tripId) && !offeredAt.has(tripId) && requestedAt.has(tripId) && passengerOf.has(tripId)) {
      stats.noOffer++;
      void finish(tripId).catch(() => undefined);
    }
  }, 10_000).unref();
}

const started = performance.now();
let launched = 0;
let skipped = 0;
const inFlight = new Set<Promise<void>>();
while (performance.now() - started < seconds * 1_000) {
  const due = Math.floor(((performance.now() - started) / 1_000) * rate);
  while (launched < due) {
    launched++;
    const passenger = idlePassengers.shift();
    if (!passenger) {
      skipped++;
      continue;
    }
    const p = requestTrip(passenger).catch(() => void stats.createFailed++);
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  }
  await new Promise((r) => setTimeout(r, 5));
}
const elapsed = (performance.now() - started) / 1_000;
await Promise.all(inFlight);
// Give the last offers a moment to arrive and be answered.
const drainUntil = Date.now() + 5_000;
while (Date.now() < drainUntil && stats.offers + stats.noOffer < stats.created) await new Promise((r) => setTimeout(r, 50));
for (const ws of sockets) ws.close();

const round = (n: number) => Math.round(n * 10) / 10;
stats.createMs.sort((a, b) => a - b);
stats.offerMs.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({
    seconds: Math.round(elapsed),
    rate,
    created: stats.created,
    createdPerSecond: Math.round(stats.created / elapsed),
    createFailed: stats.createFailed,
    skippedNoIdlePassenger: skipped,
    createP50Ms: round(percentile(stats.createMs, 50)),
    createP99Ms: round(percentile(stats.createMs, 99)),
    offers: stats.offers,
    offerP50Ms: round(percentile(stats.offerMs, 50)),
    offerP99Ms: round(percentile(stats.offerMs, 99)),
    accepted: stats.accepted,
    acceptFailed: stats.acceptFailed,
    canceled: stats.canceled,
    noOffer: stats.noOffer,
    statuses: stats.statuses,
  })}\n`,
);
process.exit(0);
