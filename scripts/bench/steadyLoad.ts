import { connect, type Socket } from 'node:net';
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
 *
 * It speaks HTTP/1.1 over plain sockets (one request in flight per keep-alive connection, the
 * answer framed by its content-length or chunked end) rather than through node:http, whose
 * per-request cost made the generator itself take 0.4 of this machine's 2 cores at 8,000/s.
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

interface Due {
  i: number;
  dueAt: number;
}

type Settle = (due: Due, status: number | 'error') => void;

const HEADER_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

/** Where a chunked body that starts at `from` ends (after its last chunk and trailers), or -1 while it is incomplete. */
function chunkedEnd(buffer: Buffer, from: number): number {
  let at = from;
  for (;;) {
    const lineEnd = buffer.indexOf(CRLF, at);
    if (lineEnd < 0) return -1;
    const size = parseInt(buffer.toString('latin1', at, lineEnd), 16);
    if (size === 0) {
      const trailersEnd = buffer.indexOf(CRLF, lineEnd + 2);
      if (trailersEnd < 0) return -1;
      if (trailersEnd === lineEnd + 2) return trailersEnd + 2;
      const end = buffer.indexOf(HEADER_END, lineEnd);
      return end < 0 ? -1 : end + 4;
    }
    at = lineEnd + 2 + size + 2;
    if (at > buffer.length) return -1;
  }
}

/** One keep-alive connection with at most one request in flight; reopened when the server closes it. */
class Connection {
  private socket!: Socket;
  private pending: Buffer | undefined;
  inFlight: Due | undefined;
  sentAt = 0;
  ready = false;
  private closed = false;

  constructor(
    private readonly url: URL,
    private readonly settle: Settle,
    private readonly onIdle: (connection: Connection) => void,
  ) {
    this.open();
  }

  private open(): void {
    this.ready = false;
    this.pending = undefined;
    const socket = connect({ host: this.url.hostname, port: Number(this.url.port || 80), noDelay: true });
    this.socket = socket;
    socket.on('connect', () => {
      this.ready = true;
      this.onIdle(this);
    });
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (socket !== this.socket) return;
      this.fail();
      if (!this.closed) setTimeout(() => this.open(), 10);
    });
  }

  send(due: Due, wire: string): void {
    this.inFlight = due;
    this.sentAt = performance.now();
    this.socket.write(wire);
  }

  /** The answer in flight is lost (the timeout, or the server closed the connection). */
  fail(): void {
    const due = this.inFlight;
    this.inFlight = undefined;
    if (due) this.settle(due, 'error');
  }

  reset(): void {
    this.fail();
    this.socket.destroy();
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private read(chunk: Buffer): void {
    let buffer = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    for (;;) {
      const headerEnd = buffer.indexOf(HEADER_END);
      if (headerEnd < 0) break;
      const head = buffer.toString('latin1', 0, headerEnd);
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      let end: number;
      if (length) end = headerEnd + 4 + Number(length[1]);
      else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
        const last = chunkedEnd(buffer, headerEnd + 4);
        if (last < 0) break;
        end = last;
      } else end = headerEnd + 4;
      if (buffer.length < end) break;
      const due = this.inFlight;
      this.inFlight = undefined;
      if (due) this.settle(due, Number(head.slice(9, 12)));
      buffer = buffer.subarray(end);
      if (/\r\nconnection:\s*close/i.test(head)) {
        this.pending = undefined;
        this.socket.destroy();
        return;
      }
      if (due) this.onIdle(this);
    }
    this.pending = buffer.length > 0 ? buffer : undefined;
  }
}

/** Writes one request in HTTP/1.1 wire form. */
function wireRequest(url: URL, method: string, path: string, headers: Record<string, string> | undefined, body: string | undefined): string {
  let wire = `${method} ${path} HTTP/1.1\r\nhost: ${url.host}\r\n`;
  for (const [name, value] of Object.entries(headers ?? {})) wire += `${name}: ${value}\r\n`;
  if (body !== undefined) wire += `content-length: ${Buffer.byteLength(body)}\r\n`;
  return `${wire}\r\n${body ?? ''}`;
}

class Pool {
  readonly connections: Connection[];
  private readonly waiting: Due[] = [];
  private readonly idle: Connection[] = [];
  private readonly sweep: NodeJS.Timeout;
  onSettled: Settle = () => undefined;
  private readonly url: URL;
  private readonly fixedWire: string | undefined;

  constructor(
    private readonly options: SteadyOptions,
    private readonly generate: RequestGenerator | undefined,
  ) {
    this.url = new URL(options.url);
    const ownPath = this.url.pathname + this.url.search;
    this.fixedWire = generate || options.paths?.length ? undefined : wireRequest(this.url, 'GET', ownPath, options.headers, undefined);
    this.connections = Array.from(
      { length: options.connections },
      () => new Connection(this.url, (due, status) => this.onSettled(due, status), (connection) => this.release(connection)),
    );
    this.sweep = setInterval(() => {
      const now = performance.now();
      for (const connection of this.connections) if (connection.inFlight && now - connection.sentAt > REQUEST_TIMEOUT_MS) connection.reset();
    }, 250);
  }

  private wire(i: number): string {
    if (this.fixedWire) return this.fixedWire;
    const made = this.generate?.(i);
    const path = made?.path ?? (this.options.paths?.length ? this.options.paths[i % this.options.paths.length]! : this.url.pathname + this.url.search);
    const headers = made?.headers ? { ...this.options.headers, ...made.headers } : this.options.headers;
    return wireRequest(this.url, made?.method ?? 'GET', path, headers, made?.body);
  }

  submit(due: Due): void {
    // An entry can be stale (its socket closed and reopened since): skip those.
    for (let connection = this.idle.pop(); connection; connection = this.idle.pop()) {
      if (connection.ready && !connection.inFlight) return connection.send(due, this.wire(due.i));
    }
    this.waiting.push(due);
  }

  private release(connection: Connection): void {
    if (!connection.ready || connection.inFlight) return;
    const due = this.waiting.shift();
    if (due) connection.send(due, this.wire(due.i));
    else this.idle.push(connection);
  }

  close(): void {
    clearInterval(this.sweep);
    for (const connection of this.connections) connection.close();
  }
}

async function run(options: SteadyOptions, pool: Pool): Promise<CannonResult> {
  const total = Math.round(options.rate * options.seconds);
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let settled = 0;
  const start = performance.now() + 100;
  const intervalMs = 1000 / options.rate;
  const trace = process.env.STEADY_TRACE ? ([] as string[]) : undefined;

  await new Promise<void>((finished) => {
    pool.onSettled = (due, status) => {
      const latency = performance.now() - due.dueAt;
      if (status === 'error') errors++;
      else if (status >= 200 && status < 300) latencies.push(latency);
      else non2xx++;
      trace?.push(`${(due.dueAt - start).toFixed(1)} ${latency.toFixed(1)} ${status}`);
      if (++settled === total) finished();
    };
    let next = 0;
    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * intervalMs <= now) {
        pool.submit({ i: next, dueAt: start + next * intervalMs });
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
  const warmupSeconds = options.warmupSeconds ?? STEADY_WARMUP_S;
  const generate = options.generator
    ? ((await import(pathToFileURL(resolve(options.generator)).href)) as { default: (args: unknown) => RequestGenerator }).default(options.generatorArgs)
    : undefined;
  const pool = new Pool(options, generate);
  if (warmupSeconds > 0) await run({ ...options, seconds: warmupSeconds }, pool);
  const result = await run(options, pool);
  pool.close();
  process.stdout.write(JSON.stringify(result));
}
