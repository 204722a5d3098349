import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/** Who is calling, as established by the gateway from a verified access token. */
export interface Caller {
  userId: string;
  role: 'passenger' | 'driver' | 'admin' | 'service';
  sessionId?: string;
}

export interface RequestContext {
  traceId: string;
  caller?: Caller;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** W3C-compatible 32 hex chars, so the id can become an OpenTelemetry trace id later. */
export const newTraceId = (): string => randomBytes(16).toString('hex');

const TRACE_ID = /^[A-Za-z0-9._-]{8,64}$/;
/** Accepts a caller-supplied trace id only if it is safe to log and echo back. */
export const acceptTraceId = (value: string | undefined | null): string =>
  value && TRACE_ID.test(value) ? value : newTraceId();

export const currentContext = (): RequestContext | undefined => storage.getStore();
export const currentTraceId = (): string | undefined => storage.getStore()?.traceId;

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}
