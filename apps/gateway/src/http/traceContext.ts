import type { IncomingMessage } from 'node:http';
import { acceptTraceId, endSpan, parseTraceParent, SpanKind, startSpan, TRACEPARENT_HEADER, tracingEnabled, withSpan, type RequestContext, type Span } from '@uitgo/kit';
import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    traceId: string;
    /** The request's server span, while tracing is on. */
    span: Span | undefined;
  }
}

export const TRACE_HEADER = 'x-trace-id';

/**
 * Fastify's request id is the trace id: the caller's `x-trace-id` if well-formed, else the trace
 * id of its W3C `traceparent`, else a new one. Pass this as `genReqId`: every log line of the
 * request carries it under the `traceId` label, and with tracing on it is the id of the trace.
 */
export const traceIdOf = (raw: IncomingMessage): string => {
  const given = raw.headers[TRACE_HEADER];
  if (typeof given === 'string') return acceptTraceId(given);
  return acceptTraceId(parseTraceParent(raw.headers[TRACEPARENT_HEADER])?.traceId);
};

/** The request's trace id, caller and (tracing on) span, passed to gRPC calls and stores as `{ context }`. */
export function requestContextOf(request: FastifyRequest): RequestContext {
  const context: RequestContext = request.caller ? { traceId: request.traceId, caller: request.caller } : { traceId: request.traceId };
  return request.span ? withSpan(context, request.span) : context;
}

/** The context stores and clients need only for their spans: undefined while tracing is off. */
export const spanContextOf = (request: FastifyRequest): RequestContext | undefined => (request.span ? requestContextOf(request) : undefined);

/**
 * Every request gets its trace id as `request.traceId`, echoed in `x-trace-id`. With tracing on
 * (hooks added only then), each request is a server span named after its route, a child of the
 * caller's `traceparent` when that names the same trace.
 */
export function registerTraceContext(app: FastifyInstance): void {
  app.decorateRequest('traceId', '');
  app.decorateRequest('span', undefined);
  app.addHook('onRequest', async (request, reply) => {
    request.traceId = request.id;
    reply.header(TRACE_HEADER, request.traceId);
  });
  if (!tracingEnabled()) return;
  app.addHook('onRequest', async (request) => {
    const parent = parseTraceParent(request.headers[TRACEPARENT_HEADER]);
    const context: RequestContext =
      parent?.traceId === request.traceId ? { traceId: request.traceId, spanId: parent.spanId, sampled: parent.sampled } : { traceId: request.traceId };
    const route = request.routeOptions.url;
    request.span = startSpan(context, route ? `${request.method} ${route}` : request.method, SpanKind.SERVER, {
      'http.request.method': request.method,
      'url.path': request.url.split('?')[0]!,
      ...(route ? { 'http.route': route } : {}),
    });
  });
  app.addHook('onResponse', async (request, reply) => {
    const span = request.span;
    if (!span) return;
    span.setAttribute('http.response.status_code', reply.statusCode);
    endSpan(span, reply.statusCode >= 500 ? `HTTP ${reply.statusCode}` : undefined);
  });
  app.addHook('onRequestAbort', async (request) => endSpan(request.span, 'client closed the request'));
}
