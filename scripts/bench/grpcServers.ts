import { createServer } from 'nice-grpc';
import { HealthDefinition, HealthServiceImpl } from 'nice-grpc-server-health';
import { createLogger, createMetrics, createGrpcServer } from '@uitgo/kit';

// Child process of `pnpm bench:grpc`: serves grpc.health.v1 twice, once on a bare nice-grpc
// server and once on the kit's server (context, RED metrics, error mapping, deadlines, logging).
const bare = createServer();
bare.add(HealthDefinition, HealthServiceImpl());
const barePort = await bare.listen('127.0.0.1:0');

const logger = createLogger({ service: 'bench', level: 'info' });
const { server: kit } = createGrpcServer({ logger, metrics: createMetrics('bench') });
const kitPort = await kit.listen('127.0.0.1:0');

process.stdout.write(`${JSON.stringify({ barePort, kitPort })}\n`);
process.on('SIGTERM', () => {
  bare.forceShutdown();
  kit.forceShutdown();
  process.exit(0);
});
