import { createLogger, createMetrics, loadConfigOrExit } from '@uitgo/kit';
import { gatewayConfigSchema } from './config.js';
import { startGateway } from './gateway.js';

const config = loadConfigOrExit(gatewayConfigSchema);
const logger = createLogger({ service: 'gateway', level: config.LOG_LEVEL });
const gateway = await startGateway(config, logger, createMetrics('gateway'));
gateway.lifecycle.installSignalHandlers();
