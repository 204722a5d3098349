import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { freePort } from '@uitgo/kit';

/** The real-mode platform as separate processes, on ports of its own, for benchmarks. */
export interface BenchStack {
  url: string;
  /** gRPC port of each service and the environment the processes run with. */
  ports: Record<'gateway' | 'auth' | 'user' | 'driver' | 'trip', number>;
  /** Each process's Prometheus endpoint (the gateway's own port, the services' ops ports). */
  metricsUrls: Record<'gateway' | 'auth' | 'user' | 'driver' | 'trip' | 'archiver', string>;
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export function readInfraEnv(file = '.infra/env'): Record<string, string> {
  if (!existsSync(file)) throw new Error(`${file} not found: start the infrastructure first with \`pnpm infra:up\``);
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => /^(?:export\s+)?([A-Z0-9_]+)=(.*)$/.exec(line.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, m[2]!.replace(/^(['"])(.*)\1$/, '$2')]),
  );
}

export const tsNode = [process.execPath, '--conditions=@uitgo/source', '--import', 'tsx'] as const;

/** `BENCH_CPU_PROF=<dir>` writes a V8 CPU profile of every spawned process into <dir> when it exits. */
const profiling = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];

/** `nice` (1-19) starts the process at that lower CPU priority (Linux `nice -n`). */
export function spawnTs(script: string, args: string[], env: NodeJS.ProcessEnv, quiet = true, nice = 0): ChildProcess {
  return spawnNode([...profiling, ...tsNode.slice(1), script, ...args], env, quiet, nice);
}

function spawnNode(args: string[], env: NodeJS.ProcessEnv, quiet: boolean, nice: number): ChildProcess {
  const command = [process.execPath, ...args];
  const [file, ...rest] = nice > 0 ? ['nice', '-n', String(nice), ...command] : command;
  return spawn(file!, rest, { env, stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'] });
}

/**
 * The services run as deployed: built (`pnpm build`, which Nx caches) and started with
 * `node apps/<name>/dist/main.js`. `BENCH_FROM=source` runs them from their TypeScript through tsx
 * instead, which adds tsx's loader and source-mapped stack traces (every error's stack is mapped,
 * a cost that grows with the errors an overloaded run makes).
 */
const fromSource = process.env.BENCH_FROM === 'source';

function spawnService(app: string, env: NodeJS.ProcessEnv, nice = 0): ChildProcess {
  return fromSource ? spawnTs(`apps/${app}/src/main.ts`, [], env, false, nice) : spawnNode([...profiling, `apps/${app}/dist/main.js`], env, false, nice);
}

function buildServices(): void {
  if (fromSource) return;
  process.stdout.write('[bench] building the services (pnpm build; cached when nothing changed) ...\n');
  execFileSync('pnpm', ['-s', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * The location archiver is background work that ingest never waits for. Deployed, it gets a
 * smaller CPU share than the request path (compose: cpu_shares 256 of 1024); with every process
 * on one machine and no cgroups, a nice value is that share: nice 6 weighs 272 of 1024.
 * `BENCH_ARCHIVER_NICE` (0-19) overrides it.
 */
export const ARCHIVER_NICE = archiverNice(process.env.BENCH_ARCHIVER_NICE);

function archiverNice(value: string | undefined): number {
  if (value === undefined || value === '') return 6;
  const nice = Number(value);
  if (!Number.isInteger(nice) || nice < 0 || nice > 19) throw new Error(`BENCH_ARCHIVER_NICE must be 0-19, got ${JSON.stringify(value)}`);
  return nice;
}

export async function waitFor(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Starts auth, user, driver, trip and the gateway in real mode with production settings, and
 * the location archiver as its own process (DRIVER_ROLE=archiver), as deployments run it.
 */
export async function startRealStack(overrides: Record<string, string> = {}): Promise<BenchStack> {
  // Free ports (kit's freePort keeps clear of the infrastructure's and the ephemeral range).
  const taken = new Set<number>();
  while (taken.size < 11) taken.add(await freePort());
  const [gateway, auth, user, driver, trip, archiverGrpc, archiverOps, ...ops] = [...taken];
  const ports = { gateway: gateway!, auth: auth!, user: user!, driver: driver!, trip: trip! };
  const opsPorts = { auth: ops[0]!, user: ops[1]!, driver: ops[2]!, trip: ops[3]! };
  const opsPort = (service: 'auth' | 'user' | 'driver' | 'trip') => opsPorts[service];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...readInfraEnv(),
    UITGO_MODE: 'real',
    NODE_ENV: 'production',
    MIGRATE_ON_START: 'true',
    LOG_LEVEL: 'warn',
    // A run archives only its own points: an earlier run's unarchived backlog would load the machine.
    DRIVER_ARCHIVER_GROUP: `bench-archiver-${Date.now()}`,
    PORT: String(ports.gateway),
    GATEWAY_HOST: '127.0.0.1',
    ...Object.fromEntries(
      (['auth', 'user', 'driver', 'trip'] as const).flatMap((s) => [
        [`${s.toUpperCase()}_GRPC_PORT`, String(ports[s])],
        [`${s.toUpperCase()}_GRPC_ADDRESS`, `127.0.0.1:${ports[s]}`],
        [`${s.toUpperCase()}_OPS_PORT`, String(opsPort(s))],
      ]),
    ),
    ...overrides,
  };
  buildServices();
  const names = ['user', 'driver', 'trip', 'auth', 'gateway', 'archiver'] as const;
  const children = names.map((name) =>
    name === 'archiver'
      ? spawnService('driver', { ...env, DRIVER_ROLE: 'archiver', DRIVER_GRPC_PORT: String(archiverGrpc), DRIVER_OPS_PORT: String(archiverOps) }, ARCHIVER_NICE)
      : spawnService(name, name === 'driver' ? { ...env, DRIVER_ROLE: 'api' } : env),
  );
  const url = `http://127.0.0.1:${ports.gateway}`;
  const metricsUrls = {
    gateway: `${url}/metrics`,
    archiver: `http://127.0.0.1:${archiverOps}/metrics`,
    ...(Object.fromEntries((['auth', 'user', 'driver', 'trip'] as const).map((s) => [s, `http://127.0.0.1:${opsPort(s)}/metrics`])) as Record<'auth' | 'user' | 'driver' | 'trip', string>),
  };
  const stop = async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
  };
  const died = new Promise<never>((_, reject) =>
    children.forEach((child, i) =>
      child.once('exit', (code) => reject(new Error(`${names[i]} exited with ${code} during start-up`))),
    ),
  );
  try {
    await Promise.race([Promise.all([waitFor(`${url}/readyz`, 90_000), waitFor(`http://127.0.0.1:${archiverOps}/readyz`, 90_000)]), died]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, ports, metricsUrls, env, stop };
}
