import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import type { LoadResult } from './stats.js';
import { recordBenchmark } from './record.js';
import { arg } from './args.js';

// `pnpm bench:grpc [--seconds 10] [--rounds 3] [--concurrency 64]`: a unary call through the kit
// vs a bare nice-grpc server and client, same machine, same run, load from a separate process.
const seconds = arg('seconds', 10);
const rounds = arg('rounds', 7); // one 10 s round varies by ±15 % here: the median of 7 is steady
const concurrency = arg('concurrency', 64);
const node = [process.execPath, '--conditions=@uitgo/source', '--import', 'tsx'];

const server = spawn(node[0]!, [...node.slice(1), 'scripts/bench/grpcServers.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
const [line] = (await once(createInterface({ input: server.stdout! }), 'line')) as [string];
const ports = JSON.parse(line) as { barePort: number; kitPort: number };

async function load(target: 'bare' | 'kit'): Promise<LoadResult> {
  const child = spawn(node[0]!, [...node.slice(1), 'scripts/bench/grpcLoad.ts', target, String(target === 'bare' ? ports.barePort : ports.kitPort), String(seconds), String(concurrency)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  await once(child, 'exit');
  return JSON.parse(out.trim().split('\n').pop()!) as LoadResult;
}

const results: Record<'bare' | 'kit', LoadResult[]> = { bare: [], kit: [] };
try {
  for (let round = 1; round <= rounds; round++) {
    // Alternate the order so neither side always runs on a warmer machine.
    for (const target of round % 2 ? (['bare', 'kit'] as const) : (['kit', 'bare'] as const)) {
      process.stdout.write(`[bench:grpc] round ${round}/${rounds} ${target} (${seconds}s, ${concurrency} callers) ... `);
      const r = await load(target);
      results[target].push(r);
      process.stdout.write(`${r.perSecond} calls/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, errors ${r.errors}\n`);
    }
  }
} finally {
  server.kill('SIGTERM');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const row = (name: string, rs: LoadResult[]) =>
  `| ${name} | ${median(rs.map((r) => r.perSecond))} | ${median(rs.map((r) => r.p50Ms))} | ${median(rs.map((r) => r.p99Ms))} | ${rs.reduce((n, r) => n + r.errors, 0)} |`;
const ratio = median(results.kit.map((r) => r.perSecond)) / median(results.bare.map((r) => r.perSecond));
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim();
const table = [
  `Run ${new Date().toISOString()} at ${commit}, Node ${process.version}, ${cpus().length} cores; ${rounds} rounds of ${seconds} s per side, ${concurrency} concurrent callers, medians.`,
  '',
  '| target | calls/s | p50 ms | p99 ms | errors |',
  '|---|---|---|---|---|',
  row('bare nice-grpc server + client (baseline)', results.bare),
  row('kit server + client (context, deadline, metrics, logging)', results.kit),
  '',
  `Kit / bare throughput: **${(ratio * 100).toFixed(1)} %** (target: at least 80 %).`,
].join('\n');
process.stdout.write(`\n${table}\n`);
await recordBenchmark('grpc', table);
