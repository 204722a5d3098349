import {
  ClientError,
  Metadata,
  createChannel,
  createClientFactory,
  Status,
  type CallOptions,
  type Channel,
  type ClientMiddlewareCall,
  type CompatServiceDefinition,
  type Client,
} from 'nice-grpc';
import { currentContext, type RequestContext } from '../context.js';
import { AppError, ERROR_TRAILER, decodeWireError } from '../errors.js';
import { childCache, type ServiceMetrics } from '../metrics.js';
import { DEADLINE_HEADER, withContextMetadata } from './metadata.js';
import { isAbortError } from './abort.js';

/** Propagates trace id and caller, and turns a failed call back into the AppError the server threw. */
async function* contextAndErrors<Req, Res>(call: ClientMiddlewareCall<Req, Res>, options: CallOptions & ContextOption) {
  let trailerError: string | undefined;
  const { context, ...rest } = options;
  const next: CallOptions = {
    ...rest,
    metadata: withContextMetadata(options.metadata, context ?? currentContext()),
    onTrailer(trailer) {
      trailerError = trailer.get(ERROR_TRAILER);
      options.onTrailer?.(trailer);
    },
  };
  try {
    return yield* call.next(call.request, next);
  } catch (err) {
    if (err instanceof ClientError) {
      if (err.code === Status.DEADLINE_EXCEEDED && !trailerError) {
        throw new AppError('DEADLINE_EXCEEDED', `${err.path} did not answer in time`);
      }
      if (err.code === Status.UNAVAILABLE && !trailerError) {
        throw new AppError('UNAVAILABLE', `${err.path} is unavailable, try again shortly`);
      }
      throw decodeWireError(trailerError, err.code, err.details);
    }
    throw err;
  }
}

function clientMetrics(metrics: ServiceMetrics) {
  const observe = childCache((method, code) => metrics.grpcClientHandled.labels(method, code));
  return async function* red<Req, Res>(call: ClientMiddlewareCall<Req, Res>, options: CallOptions) {
    const started = performance.now();
    let code = 'OK';
    try {
      return yield* call.next(call.request, options);
    } catch (err) {
      code = err instanceof ClientError ? Status[err.code] : isAbortError(err) ? 'CANCELLED' : 'UNKNOWN';
      throw err;
    } finally {
      observe(call.method.path, code).observe((performance.now() - started) / 1000);
    }
  };
}

/**
 * Bounds every call that does not stream a response and tells the server the absolute
 * deadline in metadata, so the server can stop work nobody waits for any more.
 */
function deadlines(defaultMs: number) {
  return async function* deadline<Req, Res>(call: ClientMiddlewareCall<Req, Res>, options: CallOptions & DeadlineOption) {
    const { deadline: requested, ...rest } = options;
    if (call.method.responseStream && requested === undefined) return yield* call.next(call.request, rest);
    const at = requested instanceof Date ? requested.getTime() : Date.now() + (requested ?? defaultMs);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, Math.max(0, at - Date.now()));
    const outer = rest.signal;
    const abort = () => controller.abort();
    outer?.addEventListener('abort', abort);
    const metadata = Metadata(rest.metadata);
    metadata.set(DEADLINE_HEADER, String(at));
    try {
      return yield* call.next(call.request, { ...rest, metadata, signal: controller.signal });
    } catch (err) {
      if (timedOut) throw new ClientError(call.method.path, Status.DEADLINE_EXCEEDED, 'Deadline exceeded');
      throw err;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', abort);
    }
  };
}

export interface ContextOption {
  /** The request this call is made for: its trace id and caller travel as metadata. */
  context?: RequestContext;
}

export interface DeadlineOption {
  /** Absolute time, or milliseconds from now. */
  deadline?: Date | number;
}

export interface GrpcClientOptions {
  /** Deadline applied to every unary call unless the call passes its own. */
  deadlineMs: number;
  metrics?: ServiceMetrics;
}

export type GrpcClient<D extends CompatServiceDefinition> = Client<D, DeadlineOption & ContextOption>;

/** Opens a channel to `address` (host:port). One channel per target service, shared by its clients. */
export function openChannel(address: string): Channel {
  return createChannel(address, undefined, {
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_permit_without_calls': 1,
  });
}

export function createGrpcClient<D extends CompatServiceDefinition>(
  definition: D,
  channel: Channel,
  { deadlineMs, metrics }: GrpcClientOptions,
): GrpcClient<D> {
  // nice-grpc client middleware: the last one attached runs outermost.
  const base = createClientFactory().use(deadlines(deadlineMs));
  const measured = metrics ? base.use(clientMetrics(metrics)) : base;
  return measured.use(contextAndErrors).create(definition, channel) as GrpcClient<D>;
}
