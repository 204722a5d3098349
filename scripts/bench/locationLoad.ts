import autocannon from 'autocannon';
import { Fleet, stepBetweenReports } from './movement.js';

// Child process: drivers' location updates through the gateway for `seconds`: `single` sends
// PUT /drivers/me/location (one point per request), `batch` POST /drivers/me/locations with
// 100 points per request; each request signs as the next driver in turn. The drivers move on
// (movement.ts): a single fix as far as a report every 4 s takes a driver, a batch's fixes as
// far as their 20 ms apart.
const [baseUrl, mode, seconds, connections, tokensJson] = process.argv.slice(2) as [string, 'single' | 'batch', string, string, string];
const tokens = JSON.parse(tokensJson) as string[];
let turn = 0;
const fleet = new Fleet(tokens.length);
const point = (driver: number, stepM: number, at: number) => ({ ...fleet.move(driver, stepM), speedKmh: 32, recordedAt: new Date(at).toISOString() });
/** A phone's buffered fixes: the last two seconds, 20 ms apart. */
const batch = (driver: number) => {
  const start = Date.now() - 2_000;
  return Array.from({ length: 100 }, (_, i) => point(driver, stepBetweenReports(0.02), start + i * 20));
};

const result = await autocannon({
  url: baseUrl,
  connections: Number(connections),
  duration: Number(seconds),
  requests: [
    {
      setupRequest(request) {
        const driver = turn++ % tokens.length;
        const token = tokens[driver]!;
        const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
        if (mode === 'single') return { ...request, method: 'PUT', path: '/api/v1/drivers/me/location', headers, body: JSON.stringify(point(driver, stepBetweenReports(4), Date.now())) };
        return { ...request, method: 'POST', path: '/api/v1/drivers/me/locations', headers, body: JSON.stringify({ points: batch(driver) }) };
      },
    },
  ],
});
process.stdout.write(
  `${JSON.stringify({
    requestsPerSecond: Math.round(result.requests.total / result.duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    seconds: result.duration,
  })}\n`,
);
process.exit(0);
