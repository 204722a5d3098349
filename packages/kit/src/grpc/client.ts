import {
  ClientError,
  createChannel,
  createClientFactory,
  Status,
  type CallOptions,
  type Channel,
  type ClientMiddlewareCall,
  type CompatServiceDefinition,
  type Client,
} from 'nice-grpc';
import { currentContext, type ContextOption } from '../context.js';
import { AppError, ERROR_TRAILER, decodeWireError } from '../errors.js';
import { childCache, type ServiceMetrics } from '../metrics.js';
import { DEADLINE_HEADER, withContextMetadata } from './metadata.js';
import { isAbortError } from './abort.js';
import { Overloaded, type AdmissionControl } from './admission.js';
import { endSpan, SpanKind, spanTraceParent, startSpan, traceParentOf, tracingEnabled, type Attributes, type Span } from '../tracing/tracing.js';

/**
 * Everything the kit does around an outgoing call, in one layer (each async-generator layer
 * costs per call): trace id and caller as metadata, a deadline (default for unary calls) that
 * aborts the call and travels to the server as metadata, RED metrics, the server's AppError
 * rebuilt from the trailer, and (tracing on) a client span whose id travels as `traceparent`.
 */
function kitClientMiddleware(defaultDeadlineMs: number, metrics: ServiceMetrics | undefined, admission: AdmissionControl | undefined) {
  const observe = metrics ? childCache((method, code) => metrics.grpcClientHandled.labels(method, code)) : undefined;
  return async function* kit<Req, Res>(call: ClientMiddlewareCall<Req, Res>, options: CallOptions & ContextOption & DeadlineOption) {
    const governed = admission !== undefined && !call.method.requestStream && !call.method.responseStream && admission.governs(call.method.path);
    let admittedAt: number | undefined;
    const started = observe ? performance.now() : 0;
    const { context: given, deadline: requested, ...rest } = options;
    const context = given ?? currentContext();
    let span: Span | undefined;
    let traceParent: string | undefined;
    if (tracingEnabled()) {
      const rpc = rpcSpanOf(call.method.path);
      span = startSpan(context, rpc.name, SpanKind.CLIENT);
      if (span?.isRecording()) span.setAttributes(rpc.attributes);
      traceParent = span ? spanTraceParent(span) : traceParentOf(context);
    }
    const metadata = withContextMetadata(rest.metadata, context, traceParent);
    let trailerError: string | undefined;
    const next: CallOptions = {
      ...rest,
      metadata,
      onTrailer(trailer) {
        trailerError = trailer.get(ERROR_TRAILER);
        rest.onTrailer?.(trailer);
      },
    };
    let timer: NodeJS.Timeout | undefined;
    let abort: (() => void) | undefined;
    let timedOut = false;
    if (!call.method.responseStream || requested !== undefined) {
      const at = requested instanceof Date ? requested.getTime() : Date.now() + (requested ?? defaultDeadlineMs);
      const controller = new AbortController();
      abort = () => controller.abort();
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, Math.max(0, at - Date.now()));
      rest.signal?.addEventListener('abort', abort);
      metadata.set(DEADLINE_HEADER, String(at));
      next.signal = controller.signal;
    }
    let code = 'OK';
    let failure: unknown;
    try {
      // Admitted last, inside the try: whatever happens from here on, the call is counted done.
      if (governed) admittedAt = admission.admit(call.method.path);
      return yield* call.next(call.request, next);
    } catch (err) {
      failure = err;
      if (err instanceof Overloaded) {
        code = 'UNAVAILABLE';
        metrics?.grpcClientShed.labels(call.method.path).inc();
        throw err;
      }
      if (timedOut) {
        code = 'DEADLINE_EXCEEDED';
        throw new AppError('DEADLINE_EXCEEDED', `${call.method.path} did not answer in time`, undefined, { cause: err });
      }
      if (!(err instanceof ClientError)) {
        code = isAbortError(err) ? 'CANCELLED' : 'UNKNOWN';
        throw err;
      }
      code = Status[err.code];
      if (err.code === Status.DEADLINE_EXCEEDED && !trailerError) throw new AppError('DEADLINE_EXCEEDED', `${err.path} did not answer in time`, undefined, { cause: err });
      if (err.code === Status.UNAVAILABLE && !trailerError) throw new AppError('UNAVAILABLE', `${err.path} is unavailable, try again shortly`, undefined, { cause: err });
      // The connection broke under the call (grpc-js reports a reset stream or a closed HTTP/2
      // session as INTERNAL): the server may or may not have acted. Not a bug of either side.
      if (err.code === Status.INTERNAL && !trailerError && err.details.startsWith('Received RST_STREAM')) {
        code = 'UNAVAILABLE';
        throw new AppError('UNAVAILABLE', `${err.path}: the connection was lost before it answered; it may or may not have taken effect: try again (with the same Idempotency-Key)`, undefined, { cause: err });
      }
      if (err.code === Status.UNIMPLEMENTED && !trailerError) throw new UnimplementedRpc(err.path);
      throw decodeWireError(trailerError, err.code, err.details);
    } finally {
      if (admittedAt !== undefined) admission?.done(call.method.path, admittedAt);
      if (timer) clearTimeout(timer);
      if (abort) rest.signal?.removeEventListener('abort', abort);
      observe?.(call.method.path, code).observe((performance.now() - started) / 1000);
      if (span) {
        span.setAttribute('rpc.grpc.status_code', Status[code as keyof typeof Status] ?? Status.UNKNOWN);
        endSpan(span, code === 'OK' ? undefined : failure);
      }
    }
  };
}

const rpcSpans = new Map<string, { name: string; attributes: Attributes }>();

/**
 * Span name and OpenTelemetry RPC attributes of a method path (`/uitgo.trip.v1.TripService/CreateTrip`),
 * built once per method; set only on recorded spans, so an unsampled call allocates nothing for them.
 */
/** The server does not have the method (an older release): INTERNAL to the caller's caller. */
export class UnimplementedRpc extends AppError {
  constructor(readonly path: string) {
    super('INTERNAL', `${path} is not served by this server (an older release?)`);
  }
}

export function rpcSpanOf(path: string): { name: string; attributes: Attributes } {
  let rpc = rpcSpans.get(path);
  if (!rpc) {
    const slash = path.lastIndexOf('/');
    rpc = { name: path.slice(1), attributes: { 'rpc.system': 'grpc', 'rpc.service': path.slice(1, slash), 'rpc.method': path.slice(slash + 1) } };
    rpcSpans.set(path, rpc);
  }
  return rpc;
}

export interface DeadlineOption {
  /** Absolute time, or milliseconds from now. */
  deadline?: Date | number;
}

export interface GrpcClientOptions {
  /** Deadline applied to every unary call unless the call passes its own. */
  deadlineMs: number;
  metrics?: ServiceMetrics;
  /** Refuses unary calls at once while their method is saturated (see AdmissionControl); absent: every call is sent. */
  admission?: AdmissionControl;
}

export type GrpcClient<D extends CompatServiceDefinition> = Client<D, DeadlineOption & ContextOption>;

/** Opens a channel to `address` (host:port). One channel per target service, shared by its clients. */
/**
 * A channel to `address` (host:port, resolved through DNS). Calls are spread round robin over
 * every address the name resolves to, so a headless Kubernetes Service (one A record per pod)
 * balances per call rather than per connection; a single address behaves as before.
 */
export function openChannel(address: string): Channel {
  return createChannel(address, undefined, {
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
  });
}

export function createGrpcClient<D extends CompatServiceDefinition>(
  definition: D,
  channel: Channel,
  { deadlineMs, metrics, admission }: GrpcClientOptions,
): GrpcClient<D> {
  return createClientFactory().use(kitClientMiddleware(deadlineMs, metrics, admission)).create(definition, channel) as GrpcClient<D>;
}
