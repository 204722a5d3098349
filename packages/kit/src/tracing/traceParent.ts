/** The W3C Trace Context header carried by HTTP requests, gRPC metadata and Kafka headers. */
export const TRACEPARENT_HEADER = 'traceparent';

export interface TraceParent {
  traceId: string;
  /** The caller's span: the parent of the span the receiver starts. */
  spanId: string;
  sampled: boolean;
}

const TRACE_ID = /^[0-9a-f]{32}$/;
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-|$)/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** Only a W3C trace id (32 lowercase hex, not all zeros) can name a trace; other ids are logged but not traced. */
export const isW3cTraceId = (traceId: string): boolean => traceId.length === 32 && TRACE_ID.test(traceId) && traceId !== ZERO_TRACE;

export function parseTraceParent(header: unknown): TraceParent | undefined {
  if (typeof header !== 'string') return undefined;
  const m = TRACEPARENT.exec(header.trim());
  if (!m || m[1] === 'ff') return undefined;
  const [, , traceId, spanId, flags] = m as unknown as [string, string, string, string, string];
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  return { traceId, spanId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

export const formatTraceParent = ({ traceId, spanId, sampled }: TraceParent): string => `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`;
