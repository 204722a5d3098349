/** The subset of a pino logger the event bus adapters write to. */
export interface BusLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface RetryBackoff {
  /** Delay before the first redelivery of a failed batch (default 100 ms). */
  initialMs?: number;
  /** Upper bound of the doubling delay (default 5 s). */
  maxMs?: number;
}

/** Exponential backoff with a little jitter so failing consumers don't retry in lockstep. */
export function retryDelay(attempt: number, backoff: RetryBackoff = {}): number {
  const initial = backoff.initialMs ?? 100;
  const max = backoff.maxMs ?? 5_000;
  const base = Math.min(max, initial * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export function errorInfo(err: unknown): { err: { message: string; name?: string; code?: unknown } } {
  if (err instanceof Error) return { err: { name: err.name, message: err.message, code: (err as { code?: unknown }).code } };
  return { err: { message: String(err) } };
}

export const noop = (): undefined => undefined;

/**
 * `HandleControl` for one batch: `hold()` counts a hold on `batch`; its release (once only)
 * takes it off and calls `released`.
 */
export function batchControl(signal: AbortSignal, batch: { holds: number }, released: () => void): { signal: AbortSignal; hold: () => () => void } {
  return {
    signal,
    hold: () => {
      batch.holds += 1;
      let done = false;
      return () => {
        if (done) return;
        done = true;
        batch.holds -= 1;
        released();
      };
    },
  };
}
