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
