import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import type { CannonResult } from './autocannon.js';
import { runChild } from './childJson.js';
import { recordBenchmark } from './record.js';
import { randomPoint, seedDrivers } from './seedDrivers.js';
import { startRealStack } from './stack.js';
import type { LoadResult } from './stats.js';
import { arg } from './args.js';

// `pnpm bench:nearby [--drivers 100000] [--seconds 30] [--connections 64] [--ingest 10000]`:
// GET /drivers/nearby (3 km, 10 nearest, car4) through the gateway in real mode, with every
// driver online and ingest running, beside redis-benchmark's plain GEOSEARCH on the same data.
const drivers = arg('drivers', 100_000);
const seconds = arg('seconds', 30);
const connections = arg('connections', 64);
const ingestRate = arg('ingest', 10_000);
const log = (msg: string) => process.stdout.write(`[bench:nearby] ${msg}\n`);

interface IngestResult { sent: number; accepted: number; rejected: number; ignored: number; seconds: number; perSecond: number }

log('starting the platform in real mode ...');
const stack = await startRealStack({ RATE_LIMIT_USER_MAX: '10000000', RATE_LIMIT_PUBLIC_MAX: '1000000' });
const seeded = await seedDrivers(stack.env, stack.ports.driver, drivers);
const idsFile = join(tmpdir(), `uitgo-bench-drivers-${process.pid}.json`);
writeFileSync(idsFile, JSON.stringify(seeded.ids));
const redis = createClient({ url: stack.env.REDIS_URL! });
let baseline = 0;
let nearby: CannonResult | undefined;
let indexAlone: LoadResult | undefined;
let ingest: IngestResult | undefined;
try {
  log(`positions for all ${drivers} drivers ...`);
  const first = await runChild<IngestResult>('scripts/bench/ingestLoad.ts', [String(stack.ports.driver), '25000', String(Math.ceil(drivers / 25_000) + 1), idsFile]);
  log(`initial positions: ${first.accepted} accepted at ${first.perSecond}/s`);

  log('baseline: redis-benchmark GEOSEARCH ... BYRADIUS 3 km ASC COUNT 10 on one key holding the same drivers ...');
  await redis.connect();
  const plain = 'bench:plain-geo';
  await redis.del(plain);
  for (let i = 0; i < drivers; i += 10_000) {
    await redis.geoAdd(plain, seeded.ids.slice(i, i + 10_000).map((id) => ({ member: id, ...(({ lat, lng }) => ({ latitude: lat, longitude: lng }))(randomPoint()) })));
  }
  const port = new URL(stack.env.REDIS_URL!).port;
  const csv = execFileSync('redis-benchmark', ['-p', port, '-c', '50', '-n', '5000', '--csv', 'GEOSEARCH', plain, 'FROMLONLAT', '106.7', '10.8', 'BYRADIUS', '3', 'km', 'ASC', 'COUNT', '10']).toString();
  baseline = Math.round(Number(csv.trim().split('\n').pop()!.split(',')[1]!.replaceAll('"', '')));
  log(`baseline ${baseline} searches/s`);

  log('the driver service\'s index alone (RedisGeoIndex.nearest from a separate process, 64 in flight, 10 s) ...');
  indexAlone = await runChild<LoadResult>('scripts/bench/nearbyIndexLoad.ts', ['10', '64'], stack.env);
  log(`index alone: ${indexAlone.perSecond} searches/s, p99 ${indexAlone.p99Ms} ms`);

  const register = await fetch(`${stack.url}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `bench-rider-${Date.now()}@uitgo.test`, password: 'Bench-password-42', fullName: 'Bench Rider', role: 'passenger' }),
  });
  const { accessToken } = (await register.json()) as { accessToken: string };

  log(`nearby through the gateway, ${connections} connections, ${seconds}s, while ingest runs at ${ingestRate}/s ...`);
  [nearby, ingest] = await Promise.all([
    runChild<CannonResult>('scripts/bench/nearbyLoad.ts', [stack.url, accessToken, String(seconds), String(connections)]),
    runChild<IngestResult>('scripts/bench/ingestLoad.ts', [String(stack.ports.driver), String(ingestRate), String(seconds + 2), idsFile]),
  ]);
} finally {
  await redis.del('bench:plain-geo').catch(() => undefined);
  await redis.quit().catch(() => undefined);
  await seeded.remove();
  await stack.stop();
}

const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim();
const table = [
  `Run ${new Date().toISOString()} at ${commit}, Node ${process.version}, ${cpus().length} cores, real mode (${stack.env.REDIS_CLUSTER_NODES ? '3-node Redis Cluster' : 'single Redis'}, PostgreSQL, Kafka, dynalite); ${drivers} drivers online over lat 10.70-10.90, lng 106.60-106.80; load from separate processes.`,
  '',
  '| load | per second | p50 ms | p99 ms | failures |',
  '|---|---|---|---|---|',
  `| baseline: redis-benchmark \`GEOSEARCH key FROMLONLAT .. BYRADIUS 3 km ASC COUNT 10\`, one key with all ${drivers} drivers, 50 clients | ${baseline} | | | |`,
  `| the driver service's index alone: \`RedisGeoIndex.nearest\` (3 km, 10 nearest, car4) from a separate process, 64 in flight, no ingest | ${indexAlone!.perSecond} | ${indexAlone!.p50Ms} | ${indexAlone!.p99Ms} | ${indexAlone!.errors} |`,
  `| GET /api/v1/drivers/nearby (3 km, 10 nearest, car4) through the gateway, ${connections} connections | ${nearby!.requestsPerSecond} | ${nearby!.p50Ms} | ${nearby!.p99Ms} | ${nearby!.non2xx + nearby!.errors} |`,
  `| ingest meanwhile (StreamLocations, target ${ingestRate}/s) | ${ingest!.perSecond} | | | ${ingest!.rejected} rejected |`,
  '',
  `Nearby: ${nearby!.requestsPerSecond} searches/s (target ≥ 3,000), p99 ${nearby!.p99Ms} ms (target ≤ 15 ms), ${(nearby!.requestsPerSecond / Math.max(1, baseline)).toFixed(1)}× the plain GEOSEARCH baseline.`,
].join('\n');
process.stdout.write(`\n${table}\n`);
await recordBenchmark('nearby', table);
process.exit(0);
