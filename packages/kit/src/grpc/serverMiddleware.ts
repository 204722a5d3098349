import { ServerError, Status, type CallContext, type ServerMiddlewareCall } from 'nice-grpc';
import { attachRequestContext, requestContextOf } from '../context.js';
import { isAbortError } from './abort.js';
import { AppError, ERROR_TRAILER, encodeWireError } from '../errors.js';
import type { Logger } from '../logger.js';
import { childCache, type ServiceMetrics } from '../metrics.js';
import { DEADLINE_HEADER, contextFromMetadata } from './metadata.js';

/**
 * Reads the trace id and caller from metadata and attaches them to the call context, where
 * handlers find them with `requestContextOf(context)`. No async-local state: on Node 20 it
 * would tax every promise in the process.
 */
export async function* contextMiddleware<Req, Res>(call: ServerMiddlewareCall<Req, Res>, context: CallContext) {
  attachRequestContext(context, contextFromMetadata(context.metadata));
  return yield* call.next(call.request, context);
}

/**
 * Aborts the handler's signal at the caller's deadline (from metadata), or after a default
 * for unary calls that arrive without one, so no call runs unbounded.
 */
export function deadlineMiddleware(defaultMs: number) {
  return async function* deadline<Req, Res>(call: ServerMiddlewareCall<Req, Res>, context: CallContext) {
    const sent = Number(context.metadata.get(DEADLINE_HEADER));
    const remaining = Number.isFinite(sent) && sent > 0 ? sent - Date.now() : call.method.responseStream ? undefined : defaultMs;
    if (remaining === undefined) return yield* call.next(call.request, context);
    if (remaining <= 0) throw new ServerError(Status.DEADLINE_EXCEEDED, 'Deadline exceeded before the call started');
    // A plain controller + timer: AbortSignal.any/timeout cost far more per call on Node 20.
    const controller = new AbortController();
    const abort = () => controller.abort();
    const timer = setTimeout(abort, remaining);
    context.signal.addEventListener('abort', abort);
    try {
      return yield* call.next(call.request, { ...context, signal: controller.signal });
    } finally {
      clearTimeout(timer);
      context.signal.removeEventListener('abort', abort);
    }
  };
}

/** Domain errors become a status plus the error code in trailing metadata; anything else is INTERNAL. */
export function errorMiddleware(logger: Logger, metrics: ServiceMetrics) {
  return async function* errors<Req, Res>(call: ServerMiddlewareCall<Req, Res>, context: CallContext) {
    try {
      return yield* call.next(call.request, context);
    } catch (err) {
      if (err instanceof AppError) {
        context.trailer.set(ERROR_TRAILER, encodeWireError(err));
        throw new ServerError(err.grpcStatus, err.message);
      }
      if (err instanceof ServerError || isAbortError(err)) throw err;
      metrics.errors.labels('grpc').inc();
      logger.error({ err, method: call.method.path, traceId: requestContextOf(context).traceId }, 'unhandled error in gRPC handler');
      context.trailer.set(ERROR_TRAILER, encodeWireError(new AppError('INTERNAL', 'Internal error')));
      throw new ServerError(Status.INTERNAL, 'Internal error');
    }
  };
}

/** RED metrics per method; streaming calls are measured from open to close. */
export function metricsMiddleware(metrics: ServiceMetrics, logger: Logger) {
  const observe = childCache((method, code) => metrics.grpcServerHandled.labels(method, code));
  return async function* red<Req, Res>(call: ServerMiddlewareCall<Req, Res>, context: CallContext) {
    const started = performance.now();
    let code = 'OK';
    try {
      return yield* call.next(call.request, context);
    } catch (err) {
      code = err instanceof ServerError ? Status[err.code] : isAbortError(err) ? 'CANCELLED' : 'UNKNOWN';
      throw err;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      observe(call.method.path, code).observe(seconds);
      if (logger.isLevelEnabled('debug')) logger.debug({ method: call.method.path, code, ms: seconds * 1000 }, 'rpc');
    }
  };
}
