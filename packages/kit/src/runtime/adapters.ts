import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { LocationArchive } from '../archive/index.js';
import { ConfigError } from '../config.js';
import type { EventBus } from '../events/eventBus.js';
import type { KeyValueStore } from '../kv/index.js';
import type { Logger } from '../logger.js';
import type { ObjectStore } from '../objects/index.js';
import type { SqlDatabase } from '../sql/index.js';
import { createSqlDatabase } from '../sql/index.js';
import type { InfraConfig, ServiceConfig } from './serviceConfig.js';

/**
 * In embedded mode every service runs in one process and shares these (one PGlite holding
 * each service's schema, one in-process bus), so events cross services as they would on Kafka.
 */
export interface EmbeddedShared {
  pglite: PGlite;
  bus: EventBus;
  kv: KeyValueStore;
  objects: ObjectStore;
  archive: LocationArchive;
}

export async function openServiceDatabase<TSchema extends Record<string, unknown>>(
  config: ServiceConfig,
  schema: TSchema,
  shared?: EmbeddedShared,
): Promise<SqlDatabase<TSchema>> {
  if (config.mode === 'real') {
    return createSqlDatabase({ kind: 'postgres', url: config.databaseUrl!, maxConnections: config.databasePoolMax, preparedStatements: config.databasePreparedStatements, applicationName: `uitgo-${config.service}` }, schema);
  }
  if (shared) return createSqlDatabase({ kind: 'pglite', instance: shared.pglite }, schema);
  const dataDir = resolve(config.infra.DATA_DIR, `pglite-${config.service}`);
  await mkdir(dataDir, { recursive: true });
  return createSqlDatabase({ kind: 'pglite', dataDir }, schema);
}

const busLogger = (logger: Logger) => ({
  info: (obj: object, msg?: string) => logger.info(obj, msg),
  warn: (obj: object, msg?: string) => logger.warn(obj, msg),
  error: (obj: object, msg?: string) => logger.error(obj, msg),
});

export async function openEventBus(mode: 'embedded' | 'real', infra: InfraConfig, clientId: string, logger: Logger): Promise<EventBus> {
  const { createEventBus } = await import('../events/index.js');
  if (mode === 'embedded') return createEventBus({ kind: 'memory', logger: busLogger(logger) });
  const ssl = infra.KAFKA_SSL ? { ssl: infra.KAFKA_SSL_CA_FILE ? { caFile: infra.KAFKA_SSL_CA_FILE } : {} } : {};
  return createEventBus({
    kind: 'kafka',
    brokers: infra.KAFKA_BROKERS!.split(','),
    clientId,
    logger: busLogger(logger),
    commitIntervalMs: infra.KAFKA_COMMIT_INTERVAL_MS,
    ...ssl,
  });
}

export async function openKeyValueStore(mode: 'embedded' | 'real', infra: InfraConfig, logger: Logger): Promise<KeyValueStore> {
  const { createKeyValueStore, redisTargetOf } = await import('../kv/index.js');
  if (mode === 'embedded') return createKeyValueStore({ kind: 'memory' });
  const onError = (error: Error) => logger.warn({ err: error }, 'redis connection problem');
  return createKeyValueStore({ ...redisTargetOf(infra), onError });
}

/** The signing key of local file URLs must survive restarts, so it is kept beside the files. */
async function localObjectsSecret(dir: string, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const file = join(dir, '.signing-key');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(32).toString('hex');
    await mkdir(dir, { recursive: true });
    await writeFile(file, secret, { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return (await readFile(file, 'utf8')).trim();
  }
}

export async function openObjectStore(mode: 'embedded' | 'real', infra: InfraConfig, gatewayUrl = 'http://127.0.0.1:8080'): Promise<ObjectStore> {
  const { createObjectStore } = await import('../objects/index.js');
  if (mode === 'embedded') {
    const dir = resolve(infra.DATA_DIR, 'objects');
    const secret = await localObjectsSecret(dir, infra.LOCAL_OBJECTS_SECRET);
    return createObjectStore({ kind: 'local', dir, baseUrl: infra.LOCAL_OBJECTS_BASE_URL ?? `${gatewayUrl}/files`, secret });
  }
  if (!infra.S3_ENDPOINT && !infra.S3_BUCKET) throw new ConfigError('Invalid configuration: S3_BUCKET is missing (required when UITGO_MODE=real)');
  return createObjectStore({
    kind: 's3',
    bucket: infra.S3_BUCKET,
    region: infra.S3_REGION,
    forcePathStyle: infra.S3_FORCE_PATH_STYLE,
    ...(infra.S3_ENDPOINT ? { endpoint: infra.S3_ENDPOINT } : {}),
    ...(infra.S3_PUBLIC_ENDPOINT ? { publicEndpoint: infra.S3_PUBLIC_ENDPOINT } : {}),
    ...(infra.S3_ACCESS_KEY_ID && infra.S3_SECRET_ACCESS_KEY
      ? { credentials: { accessKeyId: infra.S3_ACCESS_KEY_ID, secretAccessKey: infra.S3_SECRET_ACCESS_KEY } }
      : {}),
  });
}

export async function openLocationArchive(mode: 'embedded' | 'real', infra: InfraConfig): Promise<LocationArchive> {
  const { createLocationArchive } = await import('../archive/index.js');
  const sightingRefreshMs = infra.DYNAMODB_SIGHTING_REFRESH_MS;
  if (mode === 'embedded') return createLocationArchive({ kind: 'memory', sightingRefreshMs });
  return createLocationArchive({
    kind: 'dynamodb',
    table: infra.DYNAMODB_TABLE,
    writeFormat: infra.DYNAMODB_WRITE_FORMAT,
    sightingRefreshMs,
    region: infra.AWS_REGION,
    ...(infra.DYNAMODB_ENDPOINT ? { endpoint: infra.DYNAMODB_ENDPOINT } : {}),
  });
}
