import { ConfigError } from '@uitgo/kit';
import { loadServiceConfig } from '@uitgo/kit/runtime';
import { startDriverService } from './service.js';

try {
  const service = await startDriverService(loadServiceConfig('driver'));
  service.lifecycle.installSignalHandlers();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(78);
}
