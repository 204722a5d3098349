import { ConfigError, createLogger } from '@uitgo/kit';
import { loadServiceConfig } from '@uitgo/kit/runtime';
import { createSqlDatabase } from '@uitgo/kit/sql';
import { DrizzleTripRepository } from './adapters/drizzleTripRepository.js';
import { loadTripSettings } from './config.js';
import * as schema from './db/schema.js';
import { rebuildReadModel } from './readModel/rebuildReadModel.js';
import { openTripReadModel } from './service.js';

/** `pnpm --filter @uitgo/trip run read-model:rebuild`: the Redis read model from trips-db (real mode). */
try {
  const config = loadServiceConfig('trip');
  if (config.mode !== 'real' || !config.databaseUrl) {
    process.stderr.write('The embedded read model lives inside the running service and refills itself from trips-db; nothing to rebuild.\n');
    process.exit(0);
  }
  const logger = createLogger({ service: 'trip-read-model-rebuild', level: config.logLevel });
  const database = await createSqlDatabase({ kind: 'postgres', url: config.databaseUrl, maxConnections: 2 }, schema);
  const readModel = await openTripReadModel(config, loadTripSettings(), (err) => logger.warn({ err }, 'redis connection problem'));
  try {
    const started = Date.now();
    const count = await rebuildReadModel({ trips: new DrizzleTripRepository(database.db, () => undefined), readModel });
    logger.info({ trips: count, ms: Date.now() - started }, 'trip read model rebuilt');
  } finally {
    await readModel.close();
    await database.close();
  }
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(78);
}
