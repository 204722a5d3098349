import { ConfigError } from '@uitgo/kit';
import { loadServiceConfig } from '@uitgo/kit/runtime';
import { startTripService } from './service.js';

try {
  const service = await startTripService(loadServiceConfig('trip'));
  service.lifecycle.installSignalHandlers();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(78);
}
