import type { driver } from '@uitgo/grpc';
import { newTraceId, type Logger, type RequestContext } from '@uitgo/kit';
import type { DriverClient } from '../clients.js';

export interface LocationStreamOptions {
  /** Points waiting for the stream, at most; beyond it `offer` refuses (the sender is told). */
  maxBuffered: number;
  /** A stream is half-closed and replaced after this long, well before its deadline. */
  rotateMs: number;
  /** Reopening after a failure waits `initialMs`, doubling up to `maxMs`. */
  backoff: { initialMs: number; maxMs: number };
  logger: Logger;
  /** Time to finish sending buffered points on close. */
  drainTimeoutMs?: number;
}

export interface LocationStreamStats {
  sent: number;
  dropped: number;
  /** Streams opened after the first (rotations and reopenings). */
  reopened: number;
  failures: number;
  /** The driver service's totals for the streams it has answered. */
  accepted: number;
  rejected: number;
  ignored: number;
}

/** Where location frames go; the WebSocket sessions see only this. */
export interface LocationSink {
  /** Queues one driver's point; false if it was dropped (buffer full or shutting down). */
  offer(driverId: string, point: driver.LocationPoint): boolean;
}

interface OpenStream {
  /** Stop pulling: set on rotation, failure and close. */
  ended: boolean;
  /** Send what is buffered, then half-close. */
  draining: boolean;
  wake: (() => void) | undefined;
  done: Promise<void>;
}

const GATEWAY_CALLER = { userId: 'gateway', role: 'service' } as const;
const DEADLINE_GRACE_MS = 60_000;
/** gRPC costs per message: points travel in batches of whatever is buffered, up to this many. */
const MAX_POINTS_PER_MESSAGE = 500;

/**
 * One long-lived StreamLocations call per gateway process carrying the points of every
 * connected driver (each point names its driver; the gateway authenticated them and calls as
 * a `service`), in messages of as many points as are waiting when the call can take one. Points wait in a bounded buffer; the call pulls them as gRPC flow control
 * allows. A failed call is reopened with bounded backoff (points already handed to it may be
 * lost: positions are superseded within seconds); the call is also replaced every `rotateMs`
 * so that its deadline never ends it mid-flight.
 */
export class LocationStream implements LocationSink {
  readonly stats: LocationStreamStats = { sent: 0, dropped: 0, reopened: 0, failures: 0, accepted: 0, rejected: 0, ignored: 0 };
  private queue: (driver.DriverLocationPoint | undefined)[] = [];
  private head = 0;
  private current: OpenStream | undefined;
  private closed = false;
  private started = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private rotateTimer: NodeJS.Timeout | undefined;
  private readonly context: RequestContext = { traceId: newTraceId(), caller: GATEWAY_CALLER };

  constructor(
    private readonly client: DriverClient,
    private readonly options: LocationStreamOptions,
  ) {}

  get buffered(): number {
    return this.queue.length - this.head;
  }

  /** Whether a call is open (false while waiting to reopen). */
  get connected(): boolean {
    return this.current !== undefined;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.open();
  }

  offer(driverId: string, point: driver.LocationPoint): boolean {
    if (this.closed || this.buffered >= this.options.maxBuffered) {
      this.stats.dropped++;
      return false;
    }
    this.queue.push({ driverId, point });
    this.current?.wake?.();
    return true;
  }

  /** Sends what is buffered (bounded by `drainTimeoutMs`), half-closes the call and waits for its answer. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.rotateTimer);
    const stream = this.current;
    if (!stream) return;
    stream.draining = true;
    stream.wake?.();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.drainTimeoutMs ?? 5_000)));
    await Promise.race([stream.done, timeout]);
    clearTimeout(timer);
    this.end(stream);
  }

  private open(): void {
    const stream: OpenStream = { ended: false, draining: false, wake: undefined, done: Promise.resolve() };
    const openedAt = Date.now();
    this.current = stream;
    stream.done = this.client
      .streamLocations(this.messages(stream), { context: this.context, deadline: this.options.rotateMs + DEADLINE_GRACE_MS })
      .then(
        (totals) => {
          this.stats.accepted += totals.accepted;
          this.stats.rejected += totals.rejected;
          this.stats.ignored += totals.ignored;
          this.afterEnd(stream, openedAt, false);
        },
        (err: unknown) => {
          this.stats.failures++;
          if (!this.closed) this.options.logger.warn({ err }, 'driver location stream failed; reopening');
          this.afterEnd(stream, openedAt, true);
        },
      );
    clearTimeout(this.rotateTimer);
    this.rotateTimer = setTimeout(() => this.rotate(), this.options.rotateMs);
    this.rotateTimer.unref();
  }

  /** A fresh call takes over the buffer before the old one half-closes, so there is no gap. */
  private rotate(): void {
    const old = this.current;
    if (this.closed || !old) return;
    this.stats.reopened++;
    this.open();
    this.end(old);
  }

  private afterEnd(stream: OpenStream, openedAt: number, failed: boolean): void {
    this.end(stream);
    if (this.current !== stream) return;
    this.current = undefined;
    clearTimeout(this.rotateTimer);
    if (this.closed) return;
    // A call that lived longer than the longest backoff was healthy: start over from the shortest.
    if (!failed || Date.now() - openedAt > this.options.backoff.maxMs) this.attempt = 0;
    const delay = failed ? Math.min(this.options.backoff.maxMs, this.options.backoff.initialMs * 2 ** this.attempt++) : 0;
    this.retryTimer = setTimeout(() => {
      if (this.closed) return;
      this.stats.reopened++;
      this.open();
    }, delay * (0.75 + Math.random() * 0.25));
    this.retryTimer.unref();
  }

  private end(stream: OpenStream): void {
    stream.ended = true;
    stream.wake?.();
  }

  /** Each message carries everything buffered when the call is ready for it (up to MAX_POINTS_PER_MESSAGE). */
  private async *messages(stream: OpenStream): AsyncGenerator<driver.StreamLocationsRequest> {
    while (!stream.ended) {
      const points = this.take(MAX_POINTS_PER_MESSAGE);
      if (points.length > 0) {
        this.stats.sent += points.length;
        yield { driverId: '', point: undefined, points };
        continue;
      }
      if (stream.draining) return;
      await new Promise<void>((resolve) => (stream.wake = resolve));
      stream.wake = undefined;
    }
  }

  private take(max: number): driver.DriverLocationPoint[] {
    const end = Math.min(this.queue.length, this.head + max);
    const points = this.queue.slice(this.head, end) as driver.DriverLocationPoint[];
    this.queue.fill(undefined, this.head, end);
    this.head = end;
    if (this.head >= 1_024 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return points;
  }
}
