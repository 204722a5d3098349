import { ServerError, Status, type CallContext, type ServerMiddlewareCall } from 'nice-grpc';
import { attachRequestContext, requestContextOf } from '../context.js';
import { AppError, ERROR_TRAILER, encodeWireError } from '../errors.js';
import type { Logger } from '../logger.js';
import { childCache, type ServiceMetrics } from '../metrics.js';
import { isAbortError } from './abort.js';
import { DEADLINE_HEADER, contextFromMetadata } from './metadata.js';
import { rpcSpanOf } from './client.js';
import { endSpan, SpanKind, startSpan, tracingEnabled, withSpan, type Span } from '../tracing/tracing.js';

export interface ServerMiddlewareOptions {
  logger: Logger;
  metrics: ServiceMetrics;
  /** Applied to unary calls that arrive without a deadline. */
  defaultDeadlineMs: number;
}

/**
 * Everything the kit does around a handler, in one layer (each async-generator layer costs
 * per call): the request context from metadata (`requestContextOf(context)`), the caller's
 * deadline as the handler's abort signal, domain errors as a status plus the error code in
 * trailing metadata (anything else is INTERNAL, logged with the trace id), RED metrics, and
 * (tracing on) a server span whose id the request context carries to the handler's own calls.
 * No async-local state: on Node 20 it would tax every promise in the process.
 */
export function kitServerMiddleware({ logger, metrics, defaultDeadlineMs }: ServerMiddlewareOptions) {
  const observe = childCache((method, code) => metrics.grpcServerHandled.labels(method, code));
  return async function* kit<Req, Res>(call: ServerMiddlewareCall<Req, Res>, context: CallContext) {
    const started = performance.now();
    const method = call.method.path;
    const requestContext = contextFromMetadata(context.metadata);
    const sent = Number(context.metadata.get(DEADLINE_HEADER));
    if (sent > 0) requestContext.deadlineAt = sent;
    else if (!call.method.responseStream && !call.method.requestStream) requestContext.deadlineAt = Date.now() + defaultDeadlineMs;
    let span: Span | undefined;
    if (tracingEnabled()) {
      const rpc = rpcSpanOf(method);
      span = startSpan(requestContext, rpc.name, SpanKind.SERVER);
      if (span?.isRecording()) span.setAttributes(rpc.attributes);
    }
    attachRequestContext(context, span ? withSpan(requestContext, span) : requestContext);
    let code = 'OK';
    let failure: unknown;
    let timer: NodeJS.Timeout | undefined;
    let abort: (() => void) | undefined;
    try {
      // A caller with a deadline cancels the call when it passes, which aborts context.signal:
      // the server only needs its own timer for calls that arrive without one.
      if (sent > 0) {
        if (sent <= Date.now()) throw new ServerError(Status.DEADLINE_EXCEEDED, 'Deadline exceeded before the call started');
        return yield* call.next(call.request, context);
      }
      if (call.method.responseStream) return yield* call.next(call.request, context);
      // A plain controller + timer: AbortSignal.any/timeout cost far more per call on Node 20.
      const controller = new AbortController();
      abort = () => controller.abort();
      timer = setTimeout(abort, defaultDeadlineMs);
      context.signal.addEventListener('abort', abort);
      return yield* call.next(call.request, { ...context, signal: controller.signal });
    } catch (err) {
      const mapped = toServerError(err, context, method, logger, metrics);
      code = mapped instanceof ServerError ? Status[mapped.code] : 'CANCELLED';
      failure = err;
      throw mapped;
    } finally {
      if (timer) clearTimeout(timer);
      if (abort) context.signal.removeEventListener('abort', abort);
      const seconds = (performance.now() - started) / 1000;
      observe(method, code).observe(seconds);
      if (logger.isLevelEnabled('debug')) logger.debug({ method, code, ms: seconds * 1000, traceId: requestContextOf(context).traceId }, 'rpc');
      if (span) {
        span.setAttribute('rpc.grpc.status_code', Status[code as keyof typeof Status] ?? Status.UNKNOWN);
        endSpan(span, SERVER_ERRORS.has(code) ? failure : undefined);
      }
    }
  };
}

/** Codes that mean the server failed (OpenTelemetry's RPC conventions); the others are the caller's doing. */
const SERVER_ERRORS = new Set(['UNKNOWN', 'DEADLINE_EXCEEDED', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS']);

/**
 * SQLSTATEs of text PostgreSQL cannot store (a NUL byte, a character outside the encoding): the
 * caller sent it, so it is their mistake, whichever field it came in.
 */
const UNSTORABLE_TEXT = new Set(['22021', '22P05']);

/** The SQLSTATE may sit on a cause: drizzle wraps the driver's error. */
function unstorableText(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (UNSTORABLE_TEXT.has(String((e as { code?: unknown }).code))) return true;
  }
  return false;
}

function toServerError(err: unknown, context: CallContext, method: string, logger: Logger, metrics: ServiceMetrics): unknown {
  if (unstorableText(err)) err = new AppError('VALIDATION_FAILED', 'The request holds a character that cannot be stored (for example a NUL byte); remove it and retry');
  if (err instanceof AppError) {
    context.trailer.set(ERROR_TRAILER, encodeWireError(err));
    return new ServerError(err.grpcStatus, err.message);
  }
  if (err instanceof ServerError || isAbortError(err)) return err;
  metrics.errors.labels('grpc').inc();
  logger.error({ err, method, traceId: requestContextOf(context).traceId }, 'unhandled error in gRPC handler');
  context.trailer.set(ERROR_TRAILER, encodeWireError(new AppError('INTERNAL', 'Internal error')));
  return new ServerError(Status.INTERNAL, 'Internal error');
}
