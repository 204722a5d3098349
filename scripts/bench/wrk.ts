import { execFileSync, spawn } from 'node:child_process';
import { cannon, type CannonResult } from './autocannon.js';
import { textArg } from './args.js';

/** Whether `wrk` (a load generator in C: apt-get install wrk) is on the PATH. */
export function hasWrk(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    // wrk --version prints its usage and exits 1; only a missing binary throws ENOENT.
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

export interface WrkOptions {
  url: string;
  connections: number;
  seconds: number;
  /** A Lua script under scripts/bench/wrk/ that loads report.lua (default: report.lua, plain GETs). */
  script?: string;
  headers?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs wrk, one thread, as a separate process. It costs the machine a fraction of autocannon's
 * CPU per request (C and LuaJIT against a Node event loop), which on a 2-core machine shared with
 * the platform leaves more of it to what is measured.
 */
export function runWrk(options: WrkOptions): Promise<CannonResult> {
  const args = ['-t1', '-c', String(options.connections), '-d', `${options.seconds}s`, '--timeout', '10s', '-s', options.script ?? 'scripts/bench/wrk/report.lua'];
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}: ${value}`);
  args.push(options.url);
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) return reject(new Error(`wrk exited with ${code}: ${out.slice(-500)}`));
      const r = JSON.parse(line) as { total: number; durationUs: number; non2xx: number; errors: number; p50Us: number; p99Us: number };
      const seconds = r.durationUs / 1e6;
      resolve({
        requestsPerSecond: Math.round(r.total / seconds),
        p50Ms: Math.round(r.p50Us / 100) / 10,
        p99Ms: Math.round(r.p99Us / 100) / 10,
        total: r.total,
        non2xx: r.non2xx,
        errors: r.errors,
        seconds: Math.round(seconds),
      });
    });
  });
}

/**
 * The closed-loop load generator of this run: wrk when installed, autocannon otherwise;
 * `--loadgen autocannon|wrk` chooses. Open-loop rows (a fixed rate) stay on their own generators.
 */
export function chooseLoadgen(log: (msg: string) => void): 'wrk' | 'autocannon' {
  const wanted = textArg('loadgen');
  if (wanted !== undefined && wanted !== 'wrk' && wanted !== 'autocannon') throw new Error(`--loadgen must be wrk or autocannon, got ${JSON.stringify(wanted)}`);
  const chosen = wanted ?? (hasWrk() ? 'wrk' : 'autocannon');
  if (!wanted && chosen === 'autocannon') log('wrk is not installed (apt-get install wrk): the load comes from autocannon, which takes more of the machine');
  return chosen;
}

/** Plain requests to one URL, closed loop, from the chosen generator. */
export function plainLoad(loadgen: 'wrk' | 'autocannon', options: { url: string; connections: number; seconds: number; headers?: Record<string, string> }): Promise<CannonResult> {
  return loadgen === 'wrk' ? runWrk(options) : cannon(options);
}
