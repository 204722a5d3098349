import { pino, type Logger, type LoggerOptions } from 'pino';
import { currentContext } from './context.js';

export type { Logger };

/** Paths that must never reach a log line. */
export const redactPaths = [
  'password',
  '*.password',
  'newPassword',
  'refreshToken',
  '*.refreshToken',
  'accessToken',
  '*.accessToken',
  'token',
  'secret',
  '*.secret',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
];

/**
 * Errors as pino's standard serializer writes them, without the values a failed statement was
 * run with (password hashes, personal data): postgres.js puts them in `parameters`, drizzle
 * wraps every failed query in an error whose `params` and message ("Failed query: …\nparams:
 * …") carry them. The statement text and the database's own message stay, for finding the fault.
 */
/** What an error line keeps even when the error inherits it (DOMException's name, message and code are getters). */
const ERROR_FIELDS = new Set(['type', 'message', 'stack', 'name', 'code', 'cause', 'aggregateErrors']);

export function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const out = pino.stdSerializers.err(error) as unknown as Record<string, unknown>;
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const withValues = e as Error & { query?: unknown; params?: unknown };
    if (withValues.params === undefined || typeof withValues.query !== 'string') continue;
    // The message with the values, as it appears in the message and stack (causes included).
    const safe = `Failed query: ${withValues.query}\nparams: [redacted]`;
    for (const field of ['message', 'stack'] as const) {
      if (typeof out[field] === 'string') out[field] = (out[field] as string).split(withValues.message).join(safe);
    }
  }
  delete out.parameters;
  delete out.args;
  delete out.params;
  // pino copies every enumerable property, inherited ones too: a DOMException (an aborted fetch or
  // deadline) would bring its prototype's 25 legacy code constants (INDEX_SIZE_ERR: 1, …) to every line.
  for (const key of Object.keys(out)) if (!ERROR_FIELDS.has(key) && !Object.hasOwn(error, key)) delete out[key];
  if (error.cause instanceof Error) out.cause = serializeError(error.cause);
  return out;
}

export interface LoggerSettings {
  service: string;
  level?: string;
  pretty?: boolean;
  destination?: pino.DestinationStream;
}

/** JSON logs with the current trace id and caller on every line (mixin reads the async context). */
export function createLogger({ service, level = 'info', destination }: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level,
    base: { service },
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers: { err: serializeError, error: serializeError },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin() {
      const ctx = currentContext();
      if (!ctx) return {};
      return ctx.caller ? { traceId: ctx.traceId, userId: ctx.caller.userId } : { traceId: ctx.traceId };
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
