import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { cannon, type CannonResult } from './autocannon.js';
import { recordBenchmark } from './record.js';
import { spawnTs, startRealStack, waitFor } from './stack.js';
import { freePort } from '@uitgo/kit';
import { arg } from './args.js';

// `pnpm bench:auth [--seconds 10] [--connections 64]`: authenticated GET /api/v1/auth/me through
// the gateway in real mode, beside a bare Fastify hello world measured in the same run; then
// logins/s, and the p99 of /auth/me while a login storm runs.
const seconds = arg('seconds', 10);
const connections = arg('connections', 64);
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

  log(`login storm (16 connections) while /auth/me runs at 1,000 req/s and /users/me (a gRPC hop to the user service) at 500 req/s, ${seconds}s ...`);
  const loginBody = JSON.stringify({ email, password });
  const [storm, during, profileDuring] = await Promise.all([
    cannon({ url: `${stack.url}/api/v1/auth/login`, connections: 16, seconds, method: 'POST', headers: { 'content-type': 'application/json' }, body: loginBody }),
    cannon({ url: `${stack.url}/api/v1/auth/me`, connections: 16, seconds, headers: auth, rate: 1_000 }),
    cannon({ url: `${stack.url}/api/v1/users/me`, connections: 8, seconds, headers: auth, rate: 500 }),
  ]);
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
  `Run ${new Date().toISOString()} at ${commit}, Node ${process.version}, ${cpus().length} cores, real mode (PostgreSQL, Redis, Kafka), NODE_ENV=production; autocannon in its own process, ${seconds} s per row.`,
  '',
  '| load | req/s | p50 ms | p99 ms | non-2xx + errors |',
  '|---|---|---|---|---|',
  row(`bare Fastify hello world (baseline), ${connections} connections`, results.hello!),
  row(`GET /api/v1/auth/me with a bearer token, ${connections} connections`, me),
  row('POST /api/v1/auth/login storm, 16 connections (logins/s)', results.logins!),
  row('GET /api/v1/auth/me at 1,000 req/s during the login storm', results.meDuringStorm!),
  row('GET /api/v1/users/me (user service over gRPC) at 500 req/s during the login storm', results.profileDuringStorm!),
  '',
  `/auth/me: ${me.requestsPerSecond} req/s (target ≥ 10,000), p99 ${me.p99Ms} ms (target ≤ 20 ms); ` +
    `${Math.round((100 * me.requestsPerSecond) / results.hello!.requestsPerSecond)} % of the bare hello world. ` +
    `During the login storm /auth/me p99 was ${results.meDuringStorm!.p99Ms} ms and /users/me p99 ${results.profileDuringStorm!.p99Ms} ms (target ≤ 50 ms).`,
].join('\n');
process.stdout.write(`\n${table}\n`);
await recordBenchmark('auth', table);
process.exit(0);
