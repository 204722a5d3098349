import autocannon from 'autocannon';
import { randomPoint } from './seedDrivers.js';

// Child process: GET /api/v1/drivers/nearby (3 km, 10 nearest, car4) around random points of
// the city, as a passenger, for `seconds` with `connections` connections.
const [baseUrl, token, seconds, connections] = process.argv.slice(2) as [string, string, string, string];
const result = await autocannon({
  url: baseUrl,
  connections: Number(connections),
  duration: Number(seconds),
  headers: { authorization: `Bearer ${token}` },
  requests: [
    {
      setupRequest(request) {
        const { lat, lng } = randomPoint();
        return { ...request, path: `/api/v1/drivers/nearby?lat=${lat.toFixed(6)}&lng=${lng.toFixed(6)}&radiusM=3000&limit=10&vehicleType=car4` };
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
