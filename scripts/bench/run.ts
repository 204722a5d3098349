import { spawnSync } from 'node:child_process';
import { tsNode } from './stack.js';

// `pnpm bench <name> [options]`: runs scripts/bench/<name>.ts, e.g. `pnpm bench dispatch --rate 300`.
const BENCHES: Record<string, string> = {
  grpc: 'gRPC kit vs bare nice-grpc',
  auth: 'login and /auth/me through the gateway',
  nearby: 'nearest-driver search through the gateway while ingest runs',
  location: 'location ingest: single points, batches, archive lag',
  dispatch: 'trip creation, dispatch to WebSocket drivers, GET /trips/{id}',
  sql: 'one trips-db read through drizzle, with and without prepared statements',
};
const [name, ...args] = process.argv.slice(2);
if (!name || !(name in BENCHES)) {
  process.stderr.write(`usage: pnpm bench <name> [options]\n${Object.entries(BENCHES).map(([n, what]) => `  ${n.padEnd(9)} ${what}`).join('\n')}\n`);
  process.exit(name ? 64 : 0);
}
const result = spawnSync(tsNode[0], [...tsNode.slice(1), `scripts/bench/${name}.ts`, ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
