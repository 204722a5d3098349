import { readFileSync } from 'node:fs';
import { CITY_SPEED_KMH, Fleet, stepBetweenReports } from './movement.js';
import type { RequestGenerator } from './steadyLoad.js';

/**
 * Drivers' location updates through the gateway: request i signs as driver i mod n (their access
 * tokens, one per line in `tokensFile`) and sends where that driver has moved to (movement.ts),
 * recorded when the request is made. `single`: PUT /drivers/me/location, as far as a report every
 * 4 s takes a driver; `batch`: POST /drivers/me/locations, a phone's buffered fixes of the last two
 * seconds, 20 ms apart. Used by locationLoad.ts (autocannon) and, as steadyLoad's generator, for
 * the fixed-rate row; wrk/location.lua makes the same requests.
 */
export function locationRequests(tokensFile: string, mode: 'single' | 'batch'): RequestGenerator {
  const tokens = readFileSync(tokensFile, 'utf8').split('\n').filter(Boolean);
  const fleet = new Fleet(tokens.length);
  const headers = tokens.map((token) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' }));
  const fix = (driver: number, stepM: number, at: number) => ({ ...fleet.move(driver, stepM), speedKmh: CITY_SPEED_KMH, recordedAt: new Date(at).toISOString() });
  return (i) => {
    const driver = i % tokens.length;
    if (mode === 'single') return { method: 'PUT', path: '/api/v1/drivers/me/location', headers: headers[driver]!, body: JSON.stringify(fix(driver, stepBetweenReports(4), Date.now())) };
    const start = Date.now() - 2_000;
    const points = Array.from({ length: 100 }, (_, k) => fix(driver, stepBetweenReports(0.02), start + k * 20));
    return { method: 'POST', path: '/api/v1/drivers/me/locations', headers: headers[driver]!, body: JSON.stringify({ points }) };
  };
}

/** steadyLoad's generator: `{ tokensFile, mode }`. */
export default function locationFixes(args: unknown): RequestGenerator {
  const { tokensFile, mode } = args as { tokensFile: string; mode: 'single' | 'batch' };
  return locationRequests(tokensFile, mode);
}
