import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { CannonResult } from './autocannon.js';
import { chooseLoadgen, plainLoad } from './wrk.js';
import { steadyLoad } from './steadyLoad.js';
import { runChild } from './childJson.js';
import { recordBenchmark } from './record.js';
import { spawnTs, startRealStack, waitFor } from './stack.js';
import { arg } from './args.js';
import { freePort } from '@uitgo/kit';
import { scrape, summarize } from './metricsSummary.js';

// `pnpm bench:dispatch [--rate 300] [--seconds 30] [--drivers 600] [--passengers 600] [--connections 64] [--trip-read-rate 8000] [--loadgen wrk|autocannon]`:
// trips requested through the gateway at a fixed rate (open loop, separate process), dispatched
// to simulated drivers on WebSockets who accept at once; then GET /trips/{id} under load; beside
// a bare Fastify hello world and GET /auth/me (the gateway's own floor) measured in the same run.
const rate = arg('rate', 300);
const seconds = arg('seconds', 30);
const driverCount = arg('drivers', 600);
const passengerCount = arg('passengers', 600);
const connections = arg('connections', 64);
const tripReadRate = arg('trip-read-rate', 8_000);
const log = (msg: string) => process.stdout.write(`[bench:dispatch] ${msg}\n`);
const loadgen = chooseLoadgen(log);

interface DispatchResult {
  seconds: number;
  created: number;
  createdPerSecond: number;
  createFailed: number;
  skippedNoIdlePassenger: number;
  createP50Ms: number;
  createP99Ms: number;
  offers: number;
  offerP50Ms: number;
  offerP99Ms: number;
  accepted: number;
  acceptFailed: number;
  canceled: number;
  noOffer: number;
  statuses: Record<string, number>;
}

const helloPort = await freePort();
const hello = spawnTs('scripts/bench/helloServer.ts', [String(helloPort)], process.env);
log('starting the platform in real mode ...');
const stack = await startRealStack({ RATE_LIMIT_USER_MAX: '10000000', RATE_LIMIT_PUBLIC_MAX: '1000000', AUTH_MAX_CONCURRENT_HASHES: '2' });
const api = async (path: string, init: RequestInit = {}, token?: string) => {
  const res = await fetch(`${stack.url}/api/v1${path}`, {
    ...init,
    headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read loosely here
  return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
};
const run = `${Date.now()}`;

/** Signs up `n` accounts of a role, 8 at a time (password hashing is the cost). */
async function signUp(role: 'passenger' | 'driver', n: number) {
  const out: { id: string; token: string }[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < n) {
        const i = next++;
        const res = await api('/auth/register', {
          method: 'POST',
          body: JSON.stringify({ email: `bench-${role}-${run}-${i}@uitgo.test`, password: 'Bench-password-42', fullName: `Bench ${role}`, role }),
        });
        if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
        out.push({ id: res.body.user.id, token: res.body.accessToken });
        if (out.length % 200 === 0) log(`  ${out.length}/${n} ${role}s`);
      }
    }),
  );
  return out;
}

let dispatch: DispatchResult | undefined;
let breakdown = '';
const reads: Record<string, CannonResult> = {};
try {
  await waitFor(`http://127.0.0.1:${helloPort}/`);
  log(`signing up ${passengerCount} passengers and ${driverCount} drivers ...`);
  const passengers = await signUp('passenger', passengerCount);
  const drivers = await signUp('driver', driverCount);
  // Verification is an admin's decision on uploaded documents; the benchmark grants it directly.
  const users = postgres(stack.env.USER_DATABASE_URL!, { max: 1, onnotice: () => undefined });
  const ids = drivers.map((d) => d.id);
  for (let tries = 0; ; tries++) {
    const rows = await users`update "user".profiles set verification_status = 'verified' where id = any(${ids}::uuid[]) returning id`;
    if (rows.length === ids.length) break;
    if (tries > 50) throw new Error(`only ${rows.length} of ${ids.length} driver profiles exist`);
    await new Promise((r) => setTimeout(r, 200));
  }
  await users.end();
  log('drivers register their car and go online ...');
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < drivers.length) {
        const d = drivers[next++]!;
        const plate = `B${run.slice(-7)}-${next}`;
        const car = await api('/drivers/me', { method: 'PUT', body: JSON.stringify({ vehicleType: 'car4', plateNumber: plate, vehicleModel: 'Vios' }) }, d.token);
        if (car.status !== 200) throw new Error(`vehicle failed: ${car.status} ${JSON.stringify(car.body)}`);
        const online = await api('/drivers/me/online', { method: 'POST' }, d.token);
        if (online.status !== 200) throw new Error(`online failed: ${online.status} ${JSON.stringify(online.body)}`);
      }
    }),
  );
  const accountsFile = join(tmpdir(), `uitgo-bench-dispatch-${process.pid}.json`);
  writeFileSync(accountsFile, JSON.stringify({ passengers, drivers }));

  log(`trips at ${rate}/s for ${seconds}s: request -> offer over WebSocket -> accept -> passenger cancels ...`);
  const metricsOf = stack.metricsUrls;
  const before = await scrape(metricsOf);
  const started = Date.now();
  dispatch = await runChild<DispatchResult>('scripts/bench/dispatchLoad.ts', [stack.url, accountsFile, String(seconds), String(rate)]);
  log(JSON.stringify(dispatch));
  breakdown = summarize(before, await scrape(metricsOf), (Date.now() - started) / 1000);
  log(`where the time went during the dispatch phase:\n${breakdown}`);

  const rider = passengers[0]!;
  const mine = await api('/trips?limit=1', {}, rider.token);
  const tripId = mine.body?.items?.[0]?.id as string | undefined;
  if (!tripId) throw new Error('the first passenger has no trip to read');
  const auth = { authorization: `Bearer ${rider.token}` };
  log(`bare Fastify hello world, ${connections} connections, 15s ...`);
  reads.hello = await plainLoad(loadgen, { url: `http://127.0.0.1:${helloPort}/`, connections, seconds: 15 });
  log(`GET /auth/me (gateway floor: JWT, no downstream call), ${connections} connections, 15s ...`);
  reads.me = await plainLoad(loadgen, { url: `${stack.url}/api/v1/auth/me`, connections, seconds: 15, headers: auth });
  log(`GET /trips/{id}, ${connections} connections, 15s ...`);
  reads.trip = await plainLoad(loadgen, { url: `${stack.url}/api/v1/trips/${tripId}`, connections, seconds: 15, headers: auth });
  log(`GET /trips/{id} at ${tripReadRate} req/s, open loop, 15s ...`);
  reads.tripAtRate = await steadyLoad({ url: `${stack.url}/api/v1/trips/${tripId}`, rate: tripReadRate, connections, seconds: 15, headers: auth });
} finally {
  await stack.stop();
  hello.kill('SIGTERM');
}

const d = dispatch!;
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim();
const row = (name: string, r: CannonResult) => `| ${name} | ${r.requestsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.non2xx + r.errors} |`;
const table = [
  `Run ${new Date().toISOString()} at ${commit}, Node ${process.version}, ${cpus().length} cores, real mode (${stack.env.REDIS_CLUSTER_NODES ? '3-node Redis Cluster' : 'single Redis'}, PostgreSQL, Kafka, dynalite), the five apps as separate processes; ${passengerCount} passengers and ${driverCount} drivers on WebSockets in a separate load process; closed-loop reads from ${loadgen === 'wrk' ? 'wrk (one thread)' : 'autocannon'}.`,
  '',
  `Dispatch, ${d.seconds} s at ${rate} requested trips/s (open loop): each trip is offered over WebSocket to the nearest driver, who accepts at once; the passenger then cancels, freeing both.`,
  '',
  '| measure | value |',
  '|---|---|',
  `| trips created (201) per second | ${d.createdPerSecond} (${d.created} in ${d.seconds} s; ${d.createFailed} failed; ${d.skippedNoIdlePassenger} not sent for want of an idle passenger) |`,
  `| POST /trips latency p50 / p99 | ${d.createP50Ms} / ${d.createP99Ms} ms |`,
  `| request sent -> offer frame received by the driver, p50 / p99 | ${d.offerP50Ms} / ${d.offerP99Ms} ms (${d.offers} offers) |`,
  `| accepted / accept refused / canceled by passenger / no offer within 10 s | ${d.accepted} / ${d.acceptFailed} / ${d.canceled} / ${d.noOffer} |`,
  `| HTTP statuses | ${Object.entries(d.statuses).map(([s, n]) => `${s}: ${n}`).join(', ')} |`,
  '',
  '| read load | requests/s | p50 ms | p99 ms | failures |',
  '|---|---|---|---|---|',
  row(`bare Fastify hello world (baseline), ${connections} connections`, reads.hello!),
  row(`GET /api/v1/auth/me (gateway floor, baseline), ${connections} connections`, reads.me!),
  row(`GET /api/v1/trips/{id} (read model), ${connections} connections`, reads.trip!),
  row(`GET /api/v1/trips/{id} at ${tripReadRate.toLocaleString('en')} req/s, open loop (latency from when each request was due)`, reads.tripAtRate!),
  '',
  `Create: ${d.createdPerSecond} trips/s (target ≥ 300), p99 ${d.createP99Ms} ms (target ≤ 100 ms); request -> offer p99 ${d.offerP99Ms} ms (target ≤ 250 ms). ` +
    `GET /trips/{id}: ${reads.trip!.requestsPerSecond} req/s closed loop (target ≥ 8,000); at ${tripReadRate.toLocaleString('en')} req/s p99 ${reads.tripAtRate!.p99Ms} ms (target ≤ 15 ms).`,
  '',
  'Where the time went during the dispatch phase (scraped from every process\'s /metrics):',
  '',
  breakdown,
].join('\n');
process.stdout.write(`\n${table}\n`);
await recordBenchmark('dispatch', table);
process.exit(0);
