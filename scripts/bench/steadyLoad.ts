import { Agent, request } from 'node:http';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CannonResult } from './autocannon.js';
import { runChild } from './childJson.js';
import { percentile } from './stats.js';

/**
 * Open-loop load at a fixed arrival rate, the way wrk2 measures: request i is due at
 * start + i/rate, evenly spaced, and its latency counts from when it was due, so time spent
 * queued behind a slow response is counted (no coordinated omission).
 *
 * autocannon's `-R` is not that: each connection sends its share of the second back to back
 * as soon as the second starts and then idles, so "500 req/s" is a burst at full speed every
 * second, and its latency correction assumes a 1 ms interval whatever the rate. The storm rows
 * of bench:auth use this instead. `STEADY_TRACE=<file>` writes each request's due time, latency
 * and status to <file>.<pid>, to see whether slow requests cluster (a stall) or spread.
 */
export interface SteadyOptions {
  url: string;
  /** Requests per second, spread evenly. */
  rate: number;
  seconds: number;
  /** Keep-alive connections; requests due while all are busy wait for one (and that wait counts). */
  connections: number;
  /** Seconds of the same load sent first and not counted (connections opened, code paths warm). Default STEADY_WARMUP_S. */
  warmupSeconds?: number;
  headers?: Record<string, string>;
  /** Paths (with query) request i uses in turn, `paths[i % length]`, instead of the url's own; for loads that vary the query. */
  paths?: string[];
  /**
   * A module (path from the working directory: the bench scripts run from the repository root) whose default export, given `generatorArgs`, returns
   * each request's method, path, headers and body: for loads whose requests differ (signed by
   * different users, a body made when it is sent).
   */
  generator?: string;
  generatorArgs?: unknown;
}

/** What a `generator` module's default export returns: request i's parts (unset ones: the options'). */
export type RequestGenerator = (i: number) => { method?: string; path?: string; headers?: Record<string, string>; body?: string };

export const STEADY_WARMUP_S = 2;
/** A request with no complete answer by then counts as an error. */
const REQUEST_TIMEOUT_MS = 10_000;

/** Runs the load in its own process and returns autocannon-shaped figures. */
export function steadyLoad(options: SteadyOptions): Promise<CannonResult> {
  return runChild<CannonResult>(fileURLToPath(import.meta.url), [JSON.stringify(options)]);
}

async function run(options: SteadyOptions, agent: Agent, generate?: RequestGenerator): Promise<CannonResult> {
  const url = new URL(options.url);
  const total = Math.round(options.rate * options.seconds);
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let settled = 0;
  const start = performance.now() + 100;
  const intervalMs = 1000 / options.rate;
  const trace = process.env.STEADY_TRACE ? ([] as string[]) : undefined;

  // Settled once, at the request's 'close' (which follows a complete response, an error, an
  // aborted response or the timeout alike), so a cut-off response cannot leave the run hanging.
  const send = (dueAt: number, i: number) =>
    new Promise<void>((done) => {
      let endedAt: number | undefined;
      let status = 0;
      const made = generate?.(i);
      const path = made?.path ?? (options.paths?.length ? options.paths[i % options.paths.length] : undefined);
      const headers = made?.headers ? { ...options.headers, ...made.headers } : options.headers;
      const req = request(path ? new URL(path, url) : url, { agent, method: made?.method ?? 'GET', headers }, (res) => {
        status = res.statusCode ?? 0;
        res.on('end', () => (endedAt = performance.now()));
        res.resume();
      });
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('timed out')));
      req.on('error', () => undefined);
      req.on('close', () => {
        const latency = (endedAt ?? performance.now()) - dueAt;
        if (endedAt === undefined) errors++;
        else if (status >= 200 && status < 300) latencies.push(latency);
        else non2xx++;
        trace?.push(`${(dueAt - start).toFixed(1)} ${latency.toFixed(1)} ${endedAt === undefined ? 'error' : status}`);
        done();
      });
      req.end(made?.body);
    });

  await new Promise<void>((finished) => {
    let next = 0;
    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * intervalMs <= now) {
        void send(start + next * intervalMs, next).then(() => {
          if (++settled === total) finished();
        });
        next++;
      }
      if (next < total) setTimeout(tick, Math.max(0, Math.min(1, start + next * intervalMs - performance.now())));
    };
    setTimeout(tick, 100);
  });
  if (trace) writeFileSync(`${process.env.STEADY_TRACE}.${process.pid}`, trace.join('\n'));
  const elapsedS = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    // Answers over the time they took: the scheduled span when the service keeps up, longer when
    // answers pile up behind it (then the rate is what it really served, not what was asked).
    requestsPerSecond: Math.round(latencies.length / Math.max(options.seconds, elapsedS)),
    p50Ms: Math.round(percentile(latencies, 50) * 10) / 10,
    p99Ms: Math.round(percentile(latencies, 99) * 10) / 10,
    total: latencies.length,
    non2xx,
    errors,
    seconds: Math.round(elapsedS * 10) / 10,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const options = JSON.parse(process.argv[2]!) as SteadyOptions;
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const warmupSeconds = options.warmupSeconds ?? STEADY_WARMUP_S;
  const generate = options.generator
    ? ((await import(pathToFileURL(resolve(options.generator)).href)) as { default: (args: unknown) => RequestGenerator }).default(options.generatorArgs)
    : undefined;
  if (warmupSeconds > 0) await run({ ...options, seconds: warmupSeconds }, agent, generate);
  const result = await run(options, agent, generate);
  agent.destroy();
  process.stdout.write(JSON.stringify(result));
}
