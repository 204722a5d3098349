import { spawn } from 'node:child_process';

export interface CannonResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  non2xx: number;
  errors: number;
  seconds: number;
}

export interface CannonOptions {
  url: string;
  connections: number;
  seconds: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Overall requests per second cap (open load); omitted = as fast as possible. */
  rate?: number;
}

/** Runs autocannon as a separate process (the load never shares the server's event loop). */
export function cannon(options: CannonOptions): Promise<CannonResult> {
  const args = ['-j', '-c', String(options.connections), '-d', String(options.seconds), '-m', options.method ?? 'GET'];
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}=${value}`);
  if (options.body) args.push('-b', options.body);
  if (options.rate) args.push('-R', String(options.rate));
  args.push(options.url);
  return new Promise((resolve, reject) => {
    const child = spawn('tests/node_modules/.bin/autocannon', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}`));
      const r = JSON.parse(out) as {
        requests: { average: number; total: number };
        latency: { p50: number; p99: number };
        non2xx: number;
        errors: number;
        duration: number;
      };
      resolve({
        requestsPerSecond: Math.round(r.requests.total / r.duration),
        p50Ms: r.latency.p50,
        p99Ms: r.latency.p99,
        total: r.requests.total,
        non2xx: r.non2xx,
        errors: r.errors,
        seconds: r.duration,
      });
    });
  });
}
