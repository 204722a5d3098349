import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import type * as SdkTraceBase from '@opentelemetry/sdk-trace-base';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { RequestContext } from '../context.js';
import { formatTraceParent, isW3cTraceId } from './traceParent.js';
import type { TracingSettings } from './tracingConfig.js';

export { SpanKind, type Attributes, type Span };

/**
 * Spans are parented explicitly, from the request context a caller passes along (`spanId`), never
 * through OpenTelemetry's context manager: that one rests on AsyncLocalStorage, which on Node 20
 * taxes every promise in the process. No global provider is registered for the same reason.
 */
let tracer: Tracer | undefined;
/** Read once by the id generator for the root span being started (startSpan is synchronous). */
let rootTraceId: string | undefined;

/** The one check request paths make: false until `startTracing`, so tracing off costs nothing else. */
export const tracingEnabled = (): boolean => tracer !== undefined;

export interface TracingOptions {
  service: string;
  settings: TracingSettings;
  /** Tests: spans go here as they end (an InMemorySpanExporter), whatever the settings say. */
  exporter?: SpanExporter;
}

export interface RunningTracing {
  /** Exports the spans that ended so far. */
  flush(): Promise<void>;
  /** Flushes and turns tracing off. */
  shutdown(): Promise<void>;
}

/**
 * Starts the process's tracer when the settings enable it (or a test passes an exporter); returns
 * undefined otherwise. The SDK is loaded only then. In embedded mode the first service to start
 * owns the tracer; the others share it.
 */
export async function startTracing({ service, settings, exporter }: TracingOptions): Promise<RunningTracing | undefined> {
  if (!exporter && !settings.enabled) return undefined;
  if (tracer) return { flush: async () => undefined, shutdown: async () => undefined };
  const sdk = await import('@opentelemetry/sdk-trace-base');
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  const random = new sdk.RandomIdGenerator();
  const idGenerator = {
    // The root span of a request takes the request's trace id: the id of the error body finds the trace.
    generateTraceId: () => rootTraceId ?? random.generateTraceId(),
    generateSpanId: () => random.generateSpanId(),
  };
  const processor = exporter
    ? new sdk.SimpleSpanProcessor(exporter)
    : new sdk.BatchSpanProcessor(settings.exporter === 'console' ? new sdk.ConsoleSpanExporter() : await otlpExporter(settings.tracesUrl!));
  const provider = new sdk.BasicTracerProvider({
    resource: resourceFromAttributes({ ...settings.resourceAttributes, 'service.name': settings.serviceName ?? service }),
    sampler: samplerOf(sdk, settings),
    idGenerator,
    spanProcessors: [processor],
  });
  const own = provider.getTracer('@uitgo/kit');
  tracer = own;
  return {
    flush: () => provider.forceFlush(),
    async shutdown() {
      if (tracer === own) tracer = undefined;
      await provider.shutdown();
    },
  };
}

async function otlpExporter(url: string): Promise<SpanExporter> {
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter({ url });
}

type Sdk = typeof SdkTraceBase;

function samplerOf(sdk: Sdk, { sampler, ratio }: TracingSettings) {
  const root = sampler.endsWith('traceidratio')
    ? new sdk.TraceIdRatioBasedSampler(ratio)
    : sampler.endsWith('always_off')
      ? new sdk.AlwaysOffSampler()
      : new sdk.AlwaysOnSampler();
  return sampler.startsWith('parentbased_') ? new sdk.ParentBasedSampler({ root }) : root;
}

/**
 * Starts a span for work done for `context`: a child of `context.spanId`, or the root of the
 * request's trace when there is none yet. Undefined when tracing is off, the trace is not sampled,
 * or the request's id is not a W3C trace id (a caller's own `x-trace-id`): callers write `span?.`.
 */
export function startSpan(context: RequestContext | undefined, name: string, kind: SpanKind, attributes?: Attributes): Span | undefined {
  if (tracer === undefined || context === undefined || context.sampled === false || !isW3cTraceId(context.traceId)) return undefined;
  if (context.spanId === undefined) {
    rootTraceId = context.traceId;
    try {
      return tracer.startSpan(name, { kind, ...(attributes ? { attributes } : {}) }, ROOT_CONTEXT);
    } finally {
      rootTraceId = undefined;
    }
  }
  const parent = trace.setSpanContext(ROOT_CONTEXT, { traceId: context.traceId, spanId: context.spanId, traceFlags: TraceFlags.SAMPLED });
  return tracer.startSpan(name, { kind, ...(attributes ? { attributes } : {}) }, parent);
}

/** The context for work nested in `span` (same trace id and caller); `context` itself without a span. */
export function withSpan(context: RequestContext, span: Span | undefined): RequestContext {
  if (!span) return context;
  const { spanId, traceFlags } = span.spanContext();
  return { ...context, spanId, sampled: (traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED };
}

/** The `traceparent` to send for work done in `context`, when it has a span. */
export function traceParentOf(context: RequestContext | undefined): string | undefined {
  if (context?.spanId === undefined) return undefined;
  return formatTraceParent({ traceId: context.traceId, spanId: context.spanId, sampled: context.sampled !== false });
}

/** The `traceparent` naming `span` as the parent of the receiver's work. */
export function spanTraceParent(span: Span): string {
  const { traceId, spanId, traceFlags } = span.spanContext();
  return formatTraceParent({ traceId, spanId, sampled: (traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED });
}

/** Ends the span, marking it failed when `error` is given. */
export function endSpan(span: Span | undefined, error?: unknown): void {
  if (!span) return;
  if (error !== undefined) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    if (error instanceof Error) span.recordException(error);
  }
  span.end();
}

/** Runs `run` inside a span (when traced), ending it when the promise settles. */
export function traced<T>(context: RequestContext | undefined, name: string, kind: SpanKind, attributes: Attributes | undefined, run: () => Promise<T>): Promise<T> {
  const span = startSpan(context, name, kind, attributes);
  if (!span) return run();
  let running: Promise<T>;
  try {
    running = run();
  } catch (err) {
    endSpan(span, err);
    throw err;
  }
  return running.then(
    (value) => {
      span.end();
      return value;
    },
    (err: unknown) => {
      endSpan(span, err);
      throw err;
    },
  );
}
