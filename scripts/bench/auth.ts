import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { cannon, type CannonResult } from './autocannon.js';
import { scrape, summarize } from './metricsSummary.js';
import { recordBenchmark } from './record.js';
import { spawnTs, startRealStack, waitFor } from './stack.js';
import { STEADY_WARMUP_S, steadyLoad } from './steadyLoad.js';
import { freePort } from '@uitgo/kit';
import { arg } from './args.js';

// `pnpm bench:auth [--seconds 10] [--connections 64]`: authenticated GET /api/v1/auth/me through
// the gateway in real mode, beside a bare Fastify hello world measured in the same run; then
// logins/s, and the p99 of /auth/me and /users/me at fixed rates with and without a login storm.
const seconds = arg('seconds', 10);
const connections = arg('connections', 64);
const meRate = arg('me-rate', 1_000);
const profileRate = arg('profile-rate', 200);
const n = (x: number) => x.toLocaleString('en-US');
const log = (msg: string) => process.stdout.write(`[bench:auth] ${msg}\n`);

const helloPort = await freePort();
const hello = spawnTs('scripts/bench/helloServer.ts', [String(helloPort)], process.env);
log('starting the platform in real mode (pnpm infra:up must be running) ...');
// Benchmarks measure throughput, not abuse protection: lift the per-user and per-address limits.
// Rate limits lifted: the storm is one account from one address, and every login in flight holds an attempt slot.
const stack = await startRealStack({
  RATE_LIMIT_USER_MAX: '10000000',
  RATE_LIMIT_PUBLIC_MAX: '1000000',
  AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT: '10000',
  AUTH_LOGIN_MAX_FAILURES_PER_IP: '10000',
});
const results: Record<string, CannonResult> = {};
let stormSummary = '';
try {
  await waitFor(`http://127.0.0.1:${helloPort}/`);
  const email = `bench-${Date.now()}@uitgo.test`;
  const password = 'Bench-password-42';
  const register = await fetch(`${stack.url}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, fullName: 'Bench Rider', role: 'passenger' }),
  });
  if (register.status !== 201) throw new Error(`register failed: ${register.status} ${await register.text()}`);
  const { accessToken } = (await register.json()) as { accessToken: string };
  const auth = { authorization: `Bearer ${accessToken}` };

  log(`bare Fastify hello world, ${connections} connections, ${seconds}s ...`);
  results.hello = await cannon({ url: `http://127.0.0.1:${helloPort}/`, connections, seconds });
  log(`GET /api/v1/auth/me, ${connections} connections, ${seconds}s ...`);
  results.me = await cannon({ url: `${stack.url}/api/v1/auth/me`, connections, seconds, headers: auth });

  const steady = (): [Promise<CannonResult>, Promise<CannonResult>] => [
    steadyLoad({ url: `${stack.url}/api/v1/auth/me`, connections: 16, seconds, headers: auth, rate: meRate }),
    steadyLoad({ url: `${stack.url}/api/v1/users/me`, connections: 16, seconds, headers: auth, rate: profileRate }),
  ];
  log(`/auth/me at ${n(meRate)} req/s and /users/me at ${n(profileRate)} req/s without logins (the storm rows' baseline), ${seconds}s ...`);
  [results.meQuiet, results.profileQuiet] = await Promise.all(steady());

  log(`login storm (16 connections) while /auth/me runs at ${n(meRate)} req/s and /users/me (a gRPC hop to the user service) at ${n(profileRate)} req/s, ${seconds}s ...`);
  const loginBody = JSON.stringify({ email, password });
  const beforeStorm = await scrape(stack.metricsUrls);
  const stormStarted = performance.now();
  const [storm, during, profileDuring] = await Promise.all([
    // The storm also covers the fixed-rate loads' uncounted warm-up and their start-up and drain
    // (a few seconds of margin), so every counted request meets it.
    cannon({ url: `${stack.url}/api/v1/auth/login`, connections: 16, seconds: seconds + STEADY_WARMUP_S + 4, method: 'POST', headers: { 'content-type': 'application/json' }, body: loginBody }),
    ...steady(),
  ]);
  stormSummary = summarize(beforeStorm, await scrape(stack.metricsUrls), (performance.now() - stormStarted) / 1000);
  results.logins = storm;
  results.meDuringStorm = during;
  results.profileDuringStorm = profileDuring;
} finally {
  await stack.stop();
  hello.kill('SIGTERM');
}

const row = (name: string, r: CannonResult) =>
  `| ${name} | ${r.requestsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.non2xx + r.errors} |`;
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim();
const me = results.me!;
const table = [
  `Run ${new Date().toISOString()} at ${commit}, Node ${process.version}, ${cpus().length} cores, real mode (PostgreSQL, Redis, Kafka), NODE_ENV=production; load from separate processes (autocannon for the closed-loop rows, an open-loop generator at evenly spaced arrivals for the fixed-rate rows, latency counted from when each request was due), ${seconds} s per row.`,
  '',
  '| load | req/s | p50 ms | p99 ms | non-2xx + errors |',
  '|---|---|---|---|---|',
  row(`bare Fastify hello world (baseline), ${connections} connections`, results.hello!),
  row(`GET /api/v1/auth/me with a bearer token, ${connections} connections`, me),
  row(`GET /api/v1/auth/me at ${n(meRate)} req/s, no logins (baseline of the storm rows)`, results.meQuiet!),
  row(`GET /api/v1/users/me at ${n(profileRate)} req/s, no logins (baseline of the storm rows)`, results.profileQuiet!),
  row('POST /api/v1/auth/login storm, 16 connections (logins/s)', results.logins!),
  row(`GET /api/v1/auth/me at ${n(meRate)} req/s during the login storm`, results.meDuringStorm!),
  row(`GET /api/v1/users/me (user service over gRPC) at ${n(profileRate)} req/s during the login storm`, results.profileDuringStorm!),
  '',
  `/auth/me: ${me.requestsPerSecond} req/s (target ≥ 10,000), p99 ${me.p99Ms} ms (target ≤ 20 ms); ` +
    `${Math.round((100 * me.requestsPerSecond) / results.hello!.requestsPerSecond)} % of the bare hello world. ` +
    `During the login storm /auth/me p99 was ${results.meDuringStorm!.p99Ms} ms and /users/me p99 ${results.profileDuringStorm!.p99Ms} ms (target ≤ 50 ms).`,
  '',
  'Where the time went during the storm (scraped from /metrics):',
  '',
  stormSummary,
].join('\n');
process.stdout.write(`\n${table}\n`);
await recordBenchmark('auth', table);
process.exit(0);
