import autocannon from 'autocannon';
import { locationRequests } from './locationFixes.js';

// Child process (when wrk is not installed): drivers' location updates through the gateway for
// `seconds` with autocannon, the requests of locationFixes.ts (`single` or `batch`).
const [baseUrl, mode, seconds, connections, tokensFile] = process.argv.slice(2) as [string, 'single' | 'batch', string, string, string];
const next = locationRequests(tokensFile, mode);
let turn = 0;

const result = await autocannon({
  url: baseUrl,
  connections: Number(connections),
  duration: Number(seconds),
  requests: [
    {
      setupRequest(request) {
        const { method, path, headers, body } = next(turn++);
        return { ...request, method: method as 'PUT' | 'POST', path: path!, headers: headers!, body: body! };
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
