import { createServer } from 'nice-grpc';
import { HealthDefinition, HealthServiceImpl } from 'nice-grpc-server-health';
import { createLogger, createMetrics, createGrpcServer, loadConfig, startTracing, tracingConfigSchema, tracingSettingsOf } from '@uitgo/kit';

// Child process of `pnpm bench:grpc`: serves grpc.health.v1 twice, once on a bare nice-grpc
// server and once on the kit's server (context, RED metrics, error mapping, deadlines, logging).
const bare = createServer();
bare.add(HealthDefinition, HealthServiceImpl());
const barePort = await bare.listen('127.0.0.1:0');

const logger = createLogger({ service: 'bench', level: 'info' });
// With OTEL_EXPORTER_OTLP_ENDPOINT set, the kit side runs with tracing on (a server span per call).
await startTracing({ service: 'bench', settings: tracingSettingsOf(loadConfig(tracingConfigSchema)) });
const { server: kit } = createGrpcServer({ logger, metrics: createMetrics('bench') });
const kitPort = await kit.listen('127.0.0.1:0');

process.stdout.write(`${JSON.stringify({ barePort, kitPort })}\n`);
process.on('SIGTERM', () => {
  bare.forceShutdown();
  kit.forceShutdown();
  process.exit(0);
});
