import { existsSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

/** The real services a test suite may need; each maps to the env vars that `pnpm infra:up` prints. */
export type RealService = 'postgres' | 'redis' | 'redis-cluster' | 'kafka' | 's3' | 'dynamodb' | 'redis-tls' | 'redis-cluster-tls' | 'kafka-tls';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * Loads `.infra/env` (written by `pnpm infra:up`) into process.env without overriding what is
 * set. The mode switches (UITGO_*) stay the caller's choice: the file never turns a run real.
 */
export function loadInfraEnv(file = join(repoRoot, '.infra/env')): void {
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^(?:export\s+)?([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    const [, key, raw] = m as unknown as [string, string, string];
    if (key.startsWith('UITGO_')) continue;
    if (process.env[key] === undefined) process.env[key] = raw.replace(/^(['"])(.*)\1$/, '$2');
  }
}

export const infraMode = (): 'real' | 'embedded' => (process.env.UITGO_INFRA === 'real' ? 'real' : 'embedded');
export const infraRequired = (): boolean => process.env.UITGO_REQUIRE_INFRA === '1';

/** Where a real service listens: the `pnpm infra:up` settings (loaded from `.infra/env`), else its default ports. */
export function infraEndpoints(service: RealService): string[] {
  const env = process.env;
  switch (service) {
    case 'postgres':
      return [env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'];
    case 'redis':
      return [env.REDIS_URL ?? 'redis://127.0.0.1:6390'];
    case 'redis-cluster':
      return (env.REDIS_CLUSTER_NODES ?? '127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003').split(',');
    case 'kafka':
      return (env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
    case 's3':
      return [env.S3_ENDPOINT ?? 'http://127.0.0.1:9000'];
    case 'dynamodb':
      return [env.DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:8000'];
    // TLS listeners of the same servers, with certificates from the CA in testTlsCaFile().
    case 'redis-tls':
      return [env.TEST_REDIS_TLS_URL ?? 'rediss://127.0.0.1:6391'];
    case 'redis-cluster-tls':
      return (env.TEST_REDIS_TLS_CLUSTER_NODES ?? '127.0.0.1:7101,127.0.0.1:7102,127.0.0.1:7103').split(',');
    case 'kafka-tls':
      return (env.TEST_KAFKA_SSL_BROKERS ?? '127.0.0.1:19094').split(',');
  }
}

/** The CA (PEM file) that signed the TLS listeners of `pnpm infra:up`. */
export const testTlsCaFile = (): string => process.env.TEST_TLS_CA_FILE ?? join(repoRoot, '.infra/tls/ca.crt');

function hostPort(endpoint: string): { host: string; port: number } {
  const url = new URL(endpoint.includes('://') ? endpoint : `tcp://${endpoint}`);
  const defaults: Record<string, number> = { 'postgres:': 5432, 'redis:': 6379, 'rediss:': 6379, 'http:': 80, 'https:': 443 };
  return { host: url.hostname, port: Number(url.port || defaults[url.protocol] || 0) };
}

function reachable(endpoint: string, timeoutMs = 1500): Promise<boolean> {
  const { host, port } = hostPort(endpoint);
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Decides whether a real-infrastructure suite runs. Embedded mode skips it (and says so);
 * real mode runs it when every service answers; with UITGO_REQUIRE_INFRA=1 a missing
 * service throws, so the suite fails instead of quietly skipping.
 */
export async function checkRealInfra(...services: RealService[]): Promise<{ run: boolean; reason: string }> {
  if (infraMode() !== 'real' && !infraRequired()) {
    return { run: false, reason: `embedded mode (set UITGO_INFRA=real to run against ${services.join(', ')})` };
  }
  loadInfraEnv();
  const missing: string[] = [];
  for (const s of services) {
    for (const e of infraEndpoints(s)) if (!(await reachable(e))) missing.push(`${s} at ${e}`);
  }
  if (missing.length === 0) return { run: true, reason: '' };
  const reason = `not reachable: ${missing.join('; ')} (start it with \`pnpm infra:up\`)`;
  if (infraRequired()) throw new Error(`UITGO_REQUIRE_INFRA=1 and ${reason}`);
  return { run: false, reason };
}

/** `describe` for a suite that talks to real servers; skipped suites are listed at the end of the run. */
export async function describeReal(title: string, services: RealService[], fn: () => void): Promise<void> {
  const { run, reason } = await checkRealInfra(...services);
  if (run) {
    describe(title, fn);
    return;
  }
  describe.skip(`${title} [real: ${services.join(', ')}; skipped: ${reason}]`, fn);
}
