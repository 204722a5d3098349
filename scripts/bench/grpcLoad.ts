import { createChannel, createClient } from 'nice-grpc';
import { HealthDefinition } from 'nice-grpc-server-health';
import { createGrpcClient, createMetrics, loadConfig, openChannel, startTracing, tracingConfigSchema, tracingSettingsOf } from '@uitgo/kit';
import { summarize, type LoadResult } from './stats.js';

// Child process of `pnpm bench:grpc`: drives one target with `concurrency` callers for `seconds`.
const [target, port, seconds, concurrency] = process.argv.slice(2) as [string, string, string, string];
const address = `127.0.0.1:${port}`;
// With OTEL_EXPORTER_OTLP_ENDPOINT set, the kit client runs with tracing on (a client span per call).
if (target === 'kit') await startTracing({ service: 'bench-client', settings: tracingSettingsOf(loadConfig(tracingConfigSchema)) });

const call: () => Promise<unknown> =
  target === 'bare'
    ? (() => {
        const client = createClient(HealthDefinition, createChannel(address));
        return () => client.check({ service: '' });
      })()
    : (() => {
        const client = createGrpcClient(HealthDefinition, openChannel(address), { deadlineMs: 5_000, metrics: createMetrics('bench-client', { defaults: false }) });
        const context = { traceId: '0123456789abcdef0123456789abcdef', caller: { userId: 'bench-user', role: 'passenger' as const } };
        return () => client.check({ service: '' }, { context });
      })();

for (let i = 0; i < 2_000; i++) await call(); // warm-up: JIT, channel, HTTP/2 window

const latencies: number[] = [];
const deadline = performance.now() + Number(seconds) * 1000;
let errors = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: Number(concurrency) }, async () => {
    while (performance.now() < deadline) {
      const t = performance.now();
      try {
        await call();
        latencies.push(performance.now() - t);
      } catch {
        errors++;
      }
    }
  }),
);
const result: LoadResult = summarize(latencies, (performance.now() - started) / 1000, errors);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
