import { Metadata } from 'nice-grpc-common';
import { acceptTraceId, type Caller, type RequestContext } from '../context.js';
import { parseTraceParent, TRACEPARENT_HEADER } from '../tracing/traceParent.js';
import { tracingEnabled } from '../tracing/tracing.js';

export const TRACE_ID_HEADER = 'x-trace-id';
export const CALLER_HEADER = 'x-uitgo-caller';
/** Absolute deadline of the call in epoch milliseconds. */
export const DEADLINE_HEADER = 'x-uitgo-deadline';

const roles = new Set<Caller['role']>(['passenger', 'driver', 'admin', 'service']);

/**
 * The caller is established once, by the gateway, from a verified token, and passed along in
 * metadata. Services sit behind network policies that admit only the gateway and each other.
 */
export function parseCaller(raw: string | undefined): Caller | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<Caller>;
    if (typeof value.userId !== 'string' || !value.role || !roles.has(value.role)) return undefined;
    return { userId: value.userId, role: value.role, ...(value.sessionId ? { sessionId: value.sessionId } : {}) };
  } catch {
    return undefined;
  }
}

export function contextFromMetadata(metadata: Metadata): RequestContext {
  const caller = parseCaller(metadata.get(CALLER_HEADER));
  const parent = tracingEnabled() ? parseTraceParent(metadata.get(TRACEPARENT_HEADER)) : undefined;
  const traceId = acceptTraceId(metadata.get(TRACE_ID_HEADER) ?? parent?.traceId);
  const context: RequestContext = caller ? { traceId, caller } : { traceId };
  // The caller's span is the parent, as long as it belongs to the same trace.
  if (parent?.traceId === traceId) {
    context.spanId = parent.spanId;
    context.sampled = parent.sampled;
  }
  return context;
}

const serializedCallers = new WeakMap<object, string>();
/** The caller as the x-uitgo-caller metadata carries it (JSON), serialised once however many calls it makes. */
export function serializedCaller(caller: Caller): string {
  let json = serializedCallers.get(caller);
  if (json === undefined) serializedCallers.set(caller, (json = JSON.stringify(caller)));
  return json;
}

/**
 * Adds the current trace id and caller to outgoing metadata unless the call sets its own, and
 * the W3C `traceparent` of the client span when tracing is on.
 */
export function withContextMetadata(metadata: Metadata | undefined, context: RequestContext | undefined, traceParent?: string): Metadata {
  const out = Metadata(metadata);
  if (!context) return out;
  if (!out.has(TRACE_ID_HEADER)) out.set(TRACE_ID_HEADER, context.traceId);
  if (context.caller && !out.has(CALLER_HEADER)) out.set(CALLER_HEADER, serializedCaller(context.caller));
  if (traceParent !== undefined) out.set(TRACEPARENT_HEADER, traceParent);
  return out;
}
