import { Fleet, stepBetweenReports } from './movement.js';
import type { RequestGenerator } from './steadyLoad.js';

/**
 * steadyLoad's generator for single fixes (`PUT /drivers/me/location`): request i signs as
 * driver i mod n and sends where that driver has moved to, recorded when the request is sent,
 * as locationLoad.ts and wrk/location.lua do.
 */
export default function locationFixes(args: unknown): RequestGenerator {
  const { tokens } = args as { tokens: string[] };
  const fleet = new Fleet(tokens.length);
  const headers = tokens.map((token) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' }));
  return (i) => {
    const driver = i % tokens.length;
    const body = JSON.stringify({ ...fleet.move(driver, stepBetweenReports(4)), speedKmh: 32, recordedAt: new Date().toISOString() });
    return { method: 'PUT', path: '/api/v1/drivers/me/location', headers: headers[driver]!, body };
  };
}
