import { AppError } from './errors.js';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** Who is calling, as established by the gateway from a verified access token. */
export interface Caller {
  userId: string;
  role: 'passenger' | 'driver' | 'admin' | 'service';
  sessionId?: string;
}

export interface RequestContext {
  traceId: string;
  caller?: Caller;
  /**
   * Set only while tracing is on: the span that work done for this request nests under (the
   * W3C parent id), and whether the trace is recorded. `withSpan` in tracing/ derives them.
   */
  spanId?: string;
  sampled?: boolean;
  /**
   * When the caller stops waiting (epoch ms): the gRPC deadline it sent, or the server's default.
   * Writes check it before they start (`assertBeforeDeadline`), so work nobody waits for is not done.
   */
  deadlineAt?: number;
}

/**
 * Throws DEADLINE_EXCEEDED once the request's caller has stopped waiting. Called where a write
 * begins (first thing in a transaction, after its connection was obtained): under overload a
 * request can queue for longer than its deadline, and a write done then only adds load, and
 * leaves a result (a trip, say) its caller never learned about.
 */
export function assertBeforeDeadline(context: RequestContext | undefined, now = Date.now()): void {
  if (context?.deadlineAt !== undefined && now >= context.deadlineAt) {
    throw new AppError('DEADLINE_EXCEEDED', 'The caller stopped waiting before this change started; nothing was changed');
  }
}

/** The request a call is made for, passed explicitly: gRPC clients, key-value stores, ... */
export interface ContextOption {
  context?: RequestContext | undefined;
}

const storage = new AsyncLocalStorage<RequestContext>();

/**
 * W3C-compatible 32 hex chars, so the id can become an OpenTelemetry trace id later.
 * randomUUID draws from a cached entropy pool: far cheaper per request than randomBytes.
 */
export const newTraceId = (): string => randomUUID().replaceAll('-', '');

const TRACE_ID = /^[A-Za-z0-9._-]{8,64}$/;
/** Accepts a caller-supplied trace id only if it is safe to log and echo back. */
export const acceptTraceId = (value: string | undefined | null): string =>
  value && TRACE_ID.test(value) ? value : newTraceId();

/**
 * Async-local request context, for tests and scripts only. Request paths pass the context
 * explicitly (`requestContextOf`, `{ context }` on client calls): once any async-local store
 * is entered, Node 20 runs a hook on every promise in the process, which halves gRPC throughput.
 */
export const currentContext = (): RequestContext | undefined => storage.getStore();
export const currentTraceId = (): string | undefined => storage.getStore()?.traceId;

/** See `currentContext`: not for request paths. */
export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

const REQUEST_CONTEXT = Symbol.for('uitgo.requestContext');

/** Attaches the request context to a gRPC call context (done by the kit's server middleware). */
export function attachRequestContext<T extends object>(callContext: T, context: RequestContext): T {
  (callContext as Record<symbol, unknown>)[REQUEST_CONTEXT] = context;
  return callContext;
}

/**
 * The trace id and caller of the gRPC call being handled: handlers pass it on explicitly
 * (to use-cases, to clients as `{ context }`, to log lines) rather than through async-local
 * state, which on Node 20 slows every promise in the process.
 */
export function requestContextOf(callContext: object): RequestContext {
  return ((callContext as Record<symbol, unknown>)[REQUEST_CONTEXT] as RequestContext | undefined) ?? { traceId: newTraceId() };
}
