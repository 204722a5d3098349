import { ConfigError, createLogger, createMetrics, loadConfigOrExit } from '@uitgo/kit';
import { gatewayConfigSchema } from './config.js';
import { startGateway } from './gateway.js';

const config = loadConfigOrExit(gatewayConfigSchema);
const logger = createLogger({ service: 'gateway', level: config.LOG_LEVEL });
try {
  const gateway = await startGateway(config, logger, createMetrics('gateway'));
  gateway.lifecycle.installSignalHandlers();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(78);
}
