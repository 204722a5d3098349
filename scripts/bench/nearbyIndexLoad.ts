import { RedisGeoIndex } from '../../apps/driver/src/adapters/redisGeoIndex.js';
import { summarize } from './stats.js';
import { randomPoint } from './seedDrivers.js';

// Child process: the driver service's geo index alone (RedisGeoIndex.nearest, 3 km, 10 nearest,
// car4) against the stack's live data, `concurrency` searches in flight for `seconds`: the
// part of a nearby request below gRPC and HTTP, measured in the same run.
const [seconds, concurrency] = process.argv.slice(2).map(Number) as [number, number];
const nodes = process.env.REDIS_CLUSTER_NODES;
const target = nodes ? { kind: 'redis-cluster' as const, nodes: nodes.split(',') } : { kind: 'redis' as const, url: process.env.REDIS_URL! };
const index = await RedisGeoIndex.connect(target, { keyPrefix: process.env.DRIVER_GEO_KEY_PREFIX ?? 'driver:geo:' });
const latencies: number[] = [];
let errors = 0;
const started = performance.now();
const end = started + seconds * 1_000;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      const t = performance.now();
      try {
        await index.nearest({ ...randomPoint(), radiusM: 3_000, limit: 10, vehicleType: 'car4' });
        latencies.push(performance.now() - t);
      } catch {
        errors++;
      }
    }
  }),
);
await index.close();
process.stdout.write(`${JSON.stringify(summarize(latencies, (performance.now() - started) / 1_000, errors))}\n`);
process.exit(0);
