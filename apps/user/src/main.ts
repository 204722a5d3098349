import { ConfigError } from '@uitgo/kit';
import { loadServiceConfig } from '@uitgo/kit/runtime';
import { startUserService } from './service.js';

try {
  const service = await startUserService(loadServiceConfig('user'));
  service.lifecycle.installSignalHandlers();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(78);
}
