/**
 * The window a GPS fix's `recordedAt` must fall in, the driver service's defaults
 * (`DRIVER_LOCATION_MAX_FUTURE_SKEW_MS`, `DRIVER_LOCATION_MAX_AGE_MS`). Single fixes, by REST or
 * WebSocket, join the gateway's shared StreamLocations stream, which answers no fix on its own:
 * the gateway checks the window itself so the driver hears why a fix was refused.
 */
export const FIX_WINDOW = { maxFutureSkewMs: 5_000, maxAgeMs: 120_000 };

/** What is wrong with a fix recorded at `recordedAt` (ISO-8601), or undefined if it is in the window. */
export function staleFixProblem(recordedAt: string, now: number): string | undefined {
  const at = Date.parse(recordedAt);
  if (at > now + FIX_WINDOW.maxFutureSkewMs) return 'is in the future; check the phone clock';
  if (at < now - FIX_WINDOW.maxAgeMs) return 'is older than two minutes';
  return undefined;
}
