import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpus } from 'node:os';
import postgres from 'postgres';
import type { CannonResult } from './autocannon.js';
import { runChild } from './childJson.js';
import { recordBenchmark } from './record.js';
import { spawnTs, startRealStack, waitFor } from './stack.js';
import { freePort } from '@uitgo/kit';
import { arg } from './args.js';
import { scrape, summarize } from './metricsSummary.js';
import { chooseLoadgen, plainLoad, runWrk } from './wrk.js';
import { steadyLoad } from './steadyLoad.js';

// `pnpm bench:location [--drivers 64] [--seconds 20] [--batch-seconds 60] [--connections 64] [--single-rate 8000] [--open-connections 256] [--loadgen wrk|autocannon]`:
// driver location ingest through the gateway in real mode: one point per REST request, then
// the same at a fixed `single-rate` (open loop: latency from when each was due, the pair of
// rate and p99), then batches of 100 points sustained for 60 s with the archive's lag read from the archiver's
// metrics; beside a bare Fastify hello world measured in the same run. The load comes from wrk
// when it is installed (apt-get install wrk), from autocannon otherwise; `--loadgen autocannon`
// picks autocannon anyway.
const driverCount = arg('drivers', 64);
const seconds = arg('seconds', 20);
const batchSeconds = arg('batch-seconds', 60);
const connections = arg('connections', 64);
/** The open-loop row's rate: the pair is 8,000 updates/s with p99 25 ms. */
const singleRate = arg('single-rate', 8_000);
/**
 * The open-loop row's keep-alive connections. A request due while all are busy waits for one, so
 * too few turn the fixed rate back into a closed loop near capacity (64 connections at 8,000/s
 * leave each 8 ms a request, round trip included). Thousands of drivers each have their own.
 */
const openConnections = arg('open-connections', 256);
const OPEN_LOOP_S = 15;
const log = (msg: string) => process.stdout.write(`[bench:location] ${msg}\n`);
const loadgen = chooseLoadgen(log);

const helloPort = await freePort();
const hello = spawnTs('scripts/bench/helloServer.ts', [String(helloPort)], process.env);
log('starting the platform in real mode ...');
const stack = await startRealStack({ RATE_LIMIT_USER_MAX: '10000000', RATE_LIMIT_PUBLIC_MAX: '1000000', AUTH_MAX_CONCURRENT_HASHES: '2' });
const api = (path: string, init: RequestInit = {}, token?: string) =>
  fetch(`${stack.url}/api/v1${path}`, {
    ...init,
    headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
const results: Record<string, CannonResult> = {};
const breakdowns: Record<string, string> = {};
/** Runs one load phase and keeps where its time went: every involved process's metrics and the host's CPU, before and after. */
async function measured(name: string, load: () => Promise<CannonResult>): Promise<CannonResult> {
  const targets = { gateway: stack.metricsUrls.gateway, driver: stack.metricsUrls.driver, archiver: stack.metricsUrls.archiver };
  const before = await scrape(targets);
  const started = Date.now();
  const result = await load();
  breakdowns[name] = summarize(before, await scrape(targets), (Date.now() - started) / 1000);
  log(`where the time went (${name}):\n${breakdowns[name]}`);
  return result;
}
const tokensDir = mkdtempSync(join(tmpdir(), 'uitgo-bench-location-'));
let archive = { lagP50: '', lagP99: '', archived: 0, published: 0, dropped: 0 };
try {
  await waitFor(`http://127.0.0.1:${helloPort}/`);
  log(`signing up ${driverCount} drivers ...`);
  const users = postgres(stack.env.USER_DATABASE_URL!, { max: 1, onnotice: () => undefined });
  const tokens: string[] = [];
  const run = `${Date.now()}`;
  for (let i = 0; i < driverCount; i++) {
    const res = await api('/auth/register', {
      method: 'POST',
      body: JSON.stringify({ email: `bench-driver-${Date.now()}-${i}@uitgo.test`, password: 'Bench-password-42', fullName: 'Bench Driver', role: 'driver' }),
    });
    const { user, accessToken } = (await res.json()) as { user: { id: string }; accessToken: string };
    // Verification is an admin's decision on uploaded documents; the benchmark grants it directly.
    for (let tries = 0; ; tries++) {
      const [row] = await users`update "user".profiles set verification_status = 'verified' where id = ${user.id} returning id`;
      if (row) break;
      if (tries > 50) throw new Error(`no profile for ${user.id}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // Plates are unique across drivers, also those earlier runs left in the database.
    const car = await api('/drivers/me', { method: 'PUT', body: JSON.stringify({ vehicleType: 'car4', plateNumber: `L${run.slice(-7)}-${i}`, vehicleModel: 'Vios' }) }, accessToken);
    if (car.status !== 200) throw new Error(`vehicle failed: ${car.status} ${await car.text()}`);
    const online = await api('/drivers/me/online', { method: 'POST' }, accessToken);
    if (online.status !== 200) throw new Error(`online failed: ${online.status} ${await online.text()}`);
    tokens.push(accessToken);
  }
  await users.end();

  // The drivers' access tokens for the load generators (short-lived; the folder goes at the end).
  const tokensFile = join(tokensDir, 'driver-tokens.txt');
  writeFileSync(tokensFile, `${tokens.join('\n')}\n`, { mode: 0o600 });
  const updates = (mode: 'single' | 'batch', secs: number, conns: number) =>
    loadgen === 'wrk'
      ? runWrk({ url: stack.url, connections: conns, seconds: secs, script: 'scripts/bench/wrk/location.lua', env: { WRK_MODE: mode, WRK_TOKENS_FILE: tokensFile } })
      : runChild<CannonResult>('scripts/bench/locationLoad.ts', [stack.url, mode, String(secs), String(conns), tokensFile]);

  /** The archive's progress from the archiver's metrics (the API process counts what it published). */
  const read = async () => {
    const [api, text] = await Promise.all([stack.metricsUrls.driver, stack.metricsUrls.archiver].map(async (url) => (await fetch(url)).text()));
    const value = (from: string, name: string) => Number(/^(\S+) (\S+)$/m.exec(from.split('\n').filter((l) => l.startsWith(name)).join('\n'))?.[2] ?? 0);
    return {
      text: text!,
      archived: value(text!, 'uitgo_driver_location_archived_total'),
      published: value(api!, 'uitgo_driver_location_history_published_total'),
      dropped: value(api!, 'uitgo_driver_location_history_dropped_total'),
    };
  };
  /** Waits (60 s at most) until the archive has written what was published: a phase then does not share the cores with writing the last one's backlog. */
  const archiveSettled = async () => {
    const deadline = Date.now() + 60_000;
    let progress = await read();
    while (progress.archived < progress.published && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1_000));
      progress = await read();
    }
    return progress;
  };

  log(`bare Fastify hello world, ${connections} connections, ${seconds}s (${loadgen}) ...`);
  results.hello = await plainLoad(loadgen, { url: `http://127.0.0.1:${helloPort}/`, connections, seconds });
  log(`PUT /drivers/me/location, one point per request, ${connections} connections, ${seconds}s ...`);
  results.single = await measured('single points', () => updates('single', seconds, connections));
  await archiveSettled();
  log(`PUT /drivers/me/location at ${singleRate}/s (open loop), ${openConnections} connections, ${OPEN_LOOP_S}s ...`);
  results.singleAtRate = await measured('single points at a fixed rate', () =>
    steadyLoad({ url: stack.url, rate: singleRate, seconds: OPEN_LOOP_S, connections: openConnections, generator: 'scripts/bench/locationFixes.ts', generatorArgs: { tokensFile, mode: 'single' } }),
  );
  await archiveSettled();
  log(`POST /drivers/me/locations, 100 points per request, ${batchSeconds}s ...`);
  results.batch = await measured('batches', () => updates('batch', batchSeconds, Math.min(connections, 32)));

  // Let the archiver catch up, then read its lag from its own metrics.
  const m = await archiveSettled();
  // Summed over the series (on_trip true and false), bucket by bucket.
  const counts = new Map<string, number>();
  for (const b of m.text.matchAll(/^uitgo_driver_location_archive_lag_seconds_bucket\{.*le="([^"]+)".*\} (\d+)$/gm)) counts.set(b[1]!, (counts.get(b[1]!) ?? 0) + Number(b[2]));
  const buckets = [...counts].map(([le, n]) => ({ le, n }));
  const total = buckets.at(-1)?.n ?? 0;
  const quantile = (q: number) => buckets.find((b) => b.n >= q * total)?.le ?? 'n/a';
  archive = { lagP50: quantile(0.5), lagP99: quantile(0.99), archived: m.archived, published: m.published, dropped: m.dropped };
} finally {
  await stack.stop();
  hello.kill('SIGTERM');
  rmSync(tokensDir, { recursive: true, force: true });
}

const row = (name: string, r: CannonResult, perRequest = 1) =>
  `| ${name} | ${r.requestsPerSecond} | ${r.requestsPerSecond * perRequest} | ${r.p50Ms} | ${r.p99Ms} | ${r.non2xx + r.errors} |`;
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim();
const single = results.single!;
const singleAtRate = results.singleAtRate!;
const batch = results.batch!;
const table = [
  `Run ${new Date().toISOString()} at ${commit}, Node ${process.version}, ${cpus().length} cores, real mode (${stack.env.REDIS_CLUSTER_NODES ? '3-node Redis Cluster' : 'single Redis'}, PostgreSQL, Kafka, dynalite); ${driverCount} signed-in drivers taking turns; load from ${loadgen === 'wrk' ? 'wrk (one thread)' : 'autocannon'} in its own process.`,
  '',
  '| load | requests/s | points/s | p50 ms | p99 ms | failures |',
  '|---|---|---|---|---|---|',
  row(`bare Fastify hello world (baseline), ${connections} connections`, results.hello!, 0),
  row(`PUT /api/v1/drivers/me/location, one point per request, ${connections} connections, ${seconds} s`, single),
  row(`PUT /api/v1/drivers/me/location at a fixed ${singleRate}/s (open loop, latency from when each was due), ${openConnections} connections, ${OPEN_LOOP_S} s`, singleAtRate),
  row(`POST /api/v1/drivers/me/locations, 100 points per request, ${batchSeconds} s`, batch, 100),
  '',
  `Single points: ${single.requestsPerSecond}/s closed loop (target ≥ 8,000), p99 ${single.p99Ms} ms; at a fixed ${singleRate}/s, ${singleAtRate.requestsPerSecond}/s answered with p99 ${singleAtRate.p99Ms} ms (target ≤ 25 ms). ` +
    `Batches: ${batch.requestsPerSecond * 100} points/s sustained for ${batchSeconds} s (target ≥ 50,000). ` +
    `Archive: ${archive.archived} of ${archive.published} published points written to DynamoDB (dynalite), ${archive.dropped} dropped; ` +
    `archive lag (accepted to written) p50 ≤ ${archive.lagP50} s, p99 ≤ ${archive.lagP99} s (histogram bucket bounds).`,
  ...Object.entries(breakdowns).flatMap(([name, text]) => ['', `Where the time went, ${name} (scraped from /metrics and /proc):`, '', text]),
].join('\n');
process.stdout.write(`\n${table}\n`);
await recordBenchmark('location', table);
process.exit(0);
