import type { GatewayConfig } from './config.js';

/** The window a GPS fix's `recordedAt` must fall in (the driver service's, see `fixWindowSettings`). */
export interface FixWindow {
  maxFutureSkewMs: number;
  maxAgeMs: number;
}

export const fixWindowOf = (config: Pick<GatewayConfig, 'DRIVER_LOCATION_MAX_FUTURE_SKEW_MS' | 'DRIVER_LOCATION_MAX_AGE_MS'>): FixWindow => ({
  maxFutureSkewMs: config.DRIVER_LOCATION_MAX_FUTURE_SKEW_MS,
  maxAgeMs: config.DRIVER_LOCATION_MAX_AGE_MS,
});

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * What is wrong with a fix recorded at `recordedAt` (ISO-8601), or undefined if it is in the
 * window. Single fixes, by REST or WebSocket, join the gateway's shared StreamLocations stream,
 * which answers no fix on its own: the gateway checks the window itself so the driver hears why a
 * fix was refused.
 */
export function staleFixProblem(recordedAt: string, now: number, window: FixWindow): string | undefined {
  const at = Date.parse(recordedAt);
  if (at > now + window.maxFutureSkewMs) return `is more than ${seconds(window.maxFutureSkewMs)} in the future; check the phone clock`;
  if (at < now - window.maxAgeMs) return `is more than ${seconds(window.maxAgeMs)} old`;
  return undefined;
}
