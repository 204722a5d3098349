import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { freePort } from '@uitgo/kit';
import type { CannonResult } from './autocannon.js';
import { chooseLoadgen, plainLoad, runWrk } from './wrk.js';
import { runChild } from './childJson.js';
import { recordBenchmark } from './record.js';
import { startPoint } from './movement.js';
import { randomPoint, seedDrivers } from './seedDrivers.js';
import { spawnTs, startRealStack, waitFor } from './stack.js';
import type { LoadResult } from './stats.js';
import { arg } from './args.js';
import { scrape, summarize } from './metricsSummary.js';
import { STEADY_WARMUP_S, steadyLoad } from './steadyLoad.js';

/** CPU seconds (user + sys) the Redis servers at `ports` have used so far, from INFO cpu. */
function redisCpuSeconds(ports: string[]): number {
  return ports
    .map((port) => execFileSync('redis-cli', ['-p', port, 'info', 'cpu']).toString())
    .reduce((total, info) => total + Number(/used_cpu_user:([\d.]+)/.exec(info)?.[1] ?? 0) + Number(/used_cpu_sys:([\d.]+)/.exec(info)?.[1] ?? 0), 0);
}

// `pnpm bench:nearby [--drivers 100000] [--seconds 30] [--connections 64] [--ingest 10000] [--nearby-rate 3000] [--loadgen wrk|autocannon]`:
// GET /drivers/nearby (3 km, 10 nearest, car4) through the gateway in real mode, with every
// driver online and ingest running, beside redis-benchmark's plain GEOSEARCH on the same data:
// once closed loop (as fast as `connections` go) and once open loop at `nearby-rate` searches/s
// (latency from when each search was due: the pair of rate and p99).
const drivers = arg('drivers', 100_000);
const seconds = arg('seconds', 30);
const connections = arg('connections', 64);
const ingestRate = arg('ingest', 10_000);
const nearbyRate = arg('nearby-rate', 3_000);
const OPEN_LOOP_S = 15;
const log = (msg: string) => process.stdout.write(`[bench:nearby] ${msg}\n`);
const loadgen = chooseLoadgen(log);

interface IngestResult { sent: number; accepted: number; rejected: number; ignored: number; seconds: number; perSecond: number }

const helloPort = await freePort();
const hello = spawnTs('scripts/bench/helloServer.ts', [String(helloPort)], process.env);
log('starting the platform in real mode ...');
const stack = await startRealStack({ RATE_LIMIT_USER_MAX: '10000000', RATE_LIMIT_PUBLIC_MAX: '1000000' });
const seeded = await seedDrivers(stack.env, stack.ports.driver, drivers);
const idsFile = join(tmpdir(), `uitgo-bench-drivers-${process.pid}.json`);
writeFileSync(idsFile, JSON.stringify(seeded.ids));
const redis = createClient({ url: stack.env.REDIS_URL! });
let baseline = 0;
let baselineCpuUs = 0;
let indexCpuUs = 0;
let breakdown = '';
let nearby: CannonResult | undefined;
let nearbyAtRate: CannonResult | undefined;
let ingestAtRate: IngestResult | undefined;
let helloResult: CannonResult | undefined;
let indexAlone: LoadResult | undefined;
let ingest: IngestResult | undefined;
try {
  log(`positions for all ${drivers} drivers ...`);
  // Every driver sends one position, however long that takes (bounded at 10 minutes).
  const first = await runChild<IngestResult>('scripts/bench/ingestLoad.ts', [String(stack.ports.driver), '25000', '600', idsFile, 'once']);
  if (first.accepted < drivers) throw new Error(`only ${first.accepted} of ${drivers} drivers got a position (${first.rejected} rejected)`);
  log(`initial positions: ${first.accepted} accepted at ${first.perSecond}/s`);

  // The machine's speed in this run (it drifts within the hour here): the other rows read against it.
  await waitFor(`http://127.0.0.1:${helloPort}/`);
  log(`bare Fastify hello world, ${connections} connections, 10s ...`);
  helloResult = await plainLoad(loadgen, { url: `http://127.0.0.1:${helloPort}/`, connections, seconds: 10 });
  hello.kill('SIGTERM');

  log('baseline: redis-benchmark GEOSEARCH ... BYRADIUS 3 km ASC COUNT 10 on one key holding the same drivers ...');
  await redis.connect();
  const plain = 'bench:plain-geo';
  await redis.del(plain);
  for (let i = 0; i < drivers; i += 10_000) {
    // Each driver where the index got it first (startPoint: the ingest's first pass).
    await redis.geoAdd(plain, seeded.ids.slice(i, i + 10_000).map((id, j) => ({ member: id, ...(({ lat, lng }) => ({ latitude: lat, longitude: lng }))(startPoint(i + j)) })));
  }
  const port = new URL(stack.env.REDIS_URL!).port;
  const plainCpu = redisCpuSeconds([port]);
  const csv = execFileSync('redis-benchmark', ['-p', port, '-c', '50', '-n', '5000', '--csv', 'GEOSEARCH', plain, 'FROMLONLAT', '106.7', '10.8', 'BYRADIUS', '3', 'km', 'ASC', 'COUNT', '10']).toString();
  baseline = Math.round(Number(csv.trim().split('\n').pop()!.split(',')[1]!.replaceAll('"', '')));
  baselineCpuUs = ((redisCpuSeconds([port]) - plainCpu) / 5_000) * 1e6;
  log(`baseline ${baseline} searches/s, ${baselineCpuUs.toFixed(0)} µs of Redis CPU per search`);

  log('the driver service\'s index alone (RedisGeoIndex.nearest from a separate process, 64 in flight, 10 s) ...');
  const indexPorts = (stack.env.REDIS_CLUSTER_NODES ?? `127.0.0.1:${port}`).split(',').map((node) => node.split(':').pop()!);
  const indexCpu = redisCpuSeconds(indexPorts);
  indexAlone = await runChild<LoadResult>('scripts/bench/nearbyIndexLoad.ts', ['10', '64'], stack.env);
  indexCpuUs = ((redisCpuSeconds(indexPorts) - indexCpu) / Math.max(1, indexAlone.requests)) * 1e6;
  log(`index alone: ${indexAlone.perSecond} searches/s, p99 ${indexAlone.p99Ms} ms, ${indexCpuUs.toFixed(0)} µs of Redis CPU per search`);

  const register = await fetch(`${stack.url}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `bench-rider-${Date.now()}@uitgo.test`, password: 'Bench-password-42', fullName: 'Bench Rider', role: 'passenger' }),
  });
  const { accessToken } = (await register.json()) as { accessToken: string };

  log(`nearby through the gateway, ${connections} connections, ${seconds}s, while ingest runs at ${ingestRate}/s ...`);
  const metricsOf = { gateway: stack.metricsUrls.gateway, driver: stack.metricsUrls.driver, archiver: stack.metricsUrls.archiver };
  const before = await scrape(metricsOf);
  const started = Date.now();
  [nearby, ingest] = await Promise.all([
    loadgen === 'wrk'
      ? runWrk({ url: stack.url, connections, seconds, script: 'scripts/bench/wrk/nearby.lua', env: { WRK_TOKEN: accessToken } })
      : runChild<CannonResult>('scripts/bench/nearbyLoad.ts', [stack.url, accessToken, String(seconds), String(connections)]),
    runChild<IngestResult>('scripts/bench/ingestLoad.ts', [String(stack.ports.driver), String(ingestRate), String(seconds + 2), idsFile]),
  ]);
  breakdown = summarize(before, await scrape(metricsOf), (Date.now() - started) / 1000);
  log(`where the time went:\n${breakdown}`);

  log(`nearby through the gateway at ${nearbyRate}/s (open loop), ${OPEN_LOOP_S}s, while ingest runs at ${ingestRate}/s ...`);
  // 500 points (~50 KB): the options travel as one argument, which Linux caps at 128 KB.
  const paths = Array.from({ length: 500 }, () => {
    const { lat, lng } = randomPoint();
    return `/api/v1/drivers/nearby?lat=${lat.toFixed(6)}&lng=${lng.toFixed(6)}&radiusM=3000&limit=10&vehicleType=car4`;
  });
  [nearbyAtRate, ingestAtRate] = await Promise.all([
    steadyLoad({ url: stack.url, paths, rate: nearbyRate, connections, seconds: OPEN_LOOP_S, headers: { authorization: `Bearer ${accessToken}` } }),
    runChild<IngestResult>('scripts/bench/ingestLoad.ts', [String(stack.ports.driver), String(ingestRate), String(OPEN_LOOP_S + 2 + STEADY_WARMUP_S), idsFile]),
  ]);
  log(`at rate: ${nearbyAtRate.requestsPerSecond}/s, p99 ${nearbyAtRate.p99Ms} ms; ingest ${ingestAtRate.perSecond}/s`);
} finally {
  await redis.del('bench:plain-geo').catch(() => undefined);
  await redis.quit().catch(() => undefined);
  await seeded.remove();
  await stack.stop();
  hello.kill('SIGTERM');
}

const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim();
const table = [
  `Run ${new Date().toISOString()} at ${commit}, Node ${process.version}, ${cpus().length} cores, real mode (${stack.env.REDIS_CLUSTER_NODES ? '3-node Redis Cluster' : 'single Redis'}, PostgreSQL, Kafka, dynalite); ${drivers} drivers online over lat 10.70-10.90, lng 106.60-106.80; load from separate processes (closed loop: ${loadgen === 'wrk' ? 'wrk, one thread' : 'autocannon'}).`,
  '',
  '| load | per second | p50 ms | p99 ms | failures | Redis CPU per search, µs |',
  '|---|---|---|---|---|---|',
  `| bare Fastify hello world (baseline: this machine's speed in this run), ${connections} connections | ${helloResult!.requestsPerSecond} | ${helloResult!.p50Ms} | ${helloResult!.p99Ms} | ${helloResult!.non2xx + helloResult!.errors} | |`,
  `| baseline: redis-benchmark \`GEOSEARCH key FROMLONLAT .. BYRADIUS 3 km ASC COUNT 10\`, one key with all ${drivers} drivers, 50 clients | ${baseline} | | | | ${baselineCpuUs.toFixed(0)} |`,
  `| the driver service's index alone: \`RedisGeoIndex.nearest\` (3 km, 10 nearest, car4) from a separate process, 64 in flight, no ingest | ${indexAlone!.perSecond} | ${indexAlone!.p50Ms} | ${indexAlone!.p99Ms} | ${indexAlone!.errors} | ${indexCpuUs.toFixed(0)} |`,
  `| GET /api/v1/drivers/nearby (3 km, 10 nearest, car4) through the gateway, ${connections} connections | ${nearby!.requestsPerSecond} | ${nearby!.p50Ms} | ${nearby!.p99Ms} | ${nearby!.non2xx + nearby!.errors} | |`,
  `| ingest meanwhile (StreamLocations, target ${ingestRate}/s) | ${ingest!.perSecond} | | | ${ingest!.rejected} rejected | |`,
  `| GET /api/v1/drivers/nearby at a fixed ${nearbyRate}/s (open loop, latency from when each search was due), ${OPEN_LOOP_S} s | ${nearbyAtRate!.requestsPerSecond} | ${nearbyAtRate!.p50Ms} | ${nearbyAtRate!.p99Ms} | ${nearbyAtRate!.non2xx + nearbyAtRate!.errors} | |`,
  `| ingest meanwhile (StreamLocations, target ${ingestRate}/s) | ${ingestAtRate!.perSecond} | | | ${ingestAtRate!.rejected} rejected | |`,
  '',
  `Nearby: ${nearby!.requestsPerSecond} searches/s closed loop (target ≥ 3,000), p99 ${nearby!.p99Ms} ms; at a fixed ${nearbyRate}/s, ${nearbyAtRate!.requestsPerSecond}/s answered with p99 ${nearbyAtRate!.p99Ms} ms (target ≤ 15 ms); ${(nearby!.requestsPerSecond / Math.max(1, baseline)).toFixed(1)}× the plain GEOSEARCH baseline; ` +
    `the index costs Redis ${indexCpuUs.toFixed(0)} µs of CPU per search against ${baselineCpuUs.toFixed(0)} µs for the plain GEOSEARCH.`,
  '',
  'Where the time went while searching through the gateway with ingest running (scraped from /metrics):',
  '',
  breakdown,
].join('\n');
process.stdout.write(`\n${table}\n`);
await recordBenchmark('nearby', table);
process.exit(0);
