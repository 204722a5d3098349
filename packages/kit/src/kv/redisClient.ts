import { readFileSync } from 'node:fs';
import { createClient, createCluster } from 'redis';
import { ConfigError } from '../config.js';

export type RedisClient = ReturnType<typeof createClient>;
export type RedisCluster = ReturnType<typeof createCluster>;

/** In-transit encryption: TLS, verifying the server against `ca` (PEM) or Node's bundled roots. */
export interface RedisTls {
  ca?: string;
}

/**
 * Where Redis is: one server (`redis://` or `rediss://` URL) or a cluster through its root
 * nodes (`host:port` or URL). With `tls` every connection is TLS, including those to the
 * nodes the cluster announces (ElastiCache's configuration endpoint with transit encryption).
 */
export type RedisTarget = { kind: 'redis'; url: string; tls?: RedisTls } | { kind: 'redis-cluster'; nodes: string[]; tls?: RedisTls };

/** A connected single client or cluster client; single-key commands route the same on both. */
export type RedisHandle = { kind: 'client'; client: RedisClient } | { kind: 'cluster'; client: RedisCluster };

/** The settings that pick a Redis (names as in docker/compose.yaml and `pnpm infra:up`). */
export interface RedisSettings {
  REDIS_URL?: string | undefined;
  REDIS_CLUSTER_NODES?: string | undefined;
  REDIS_TLS?: boolean | undefined;
  REDIS_TLS_CA_FILE?: string | undefined;
}

/** Real mode: the cluster when REDIS_CLUSTER_NODES is set, else REDIS_URL; TLS from REDIS_TLS (or a rediss:// URL). */
export function redisTargetOf(settings: RedisSettings): RedisTarget {
  const tls = settings.REDIS_TLS || settings.REDIS_URL?.startsWith('rediss://') ? tlsOf(settings.REDIS_TLS_CA_FILE) : undefined;
  if (settings.REDIS_CLUSTER_NODES) return { kind: 'redis-cluster', nodes: settings.REDIS_CLUSTER_NODES.split(','), ...(tls && { tls }) };
  if (!settings.REDIS_URL) throw new ConfigError('Invalid configuration: REDIS_URL or REDIS_CLUSTER_NODES is missing (required when UITGO_MODE=real)');
  return { kind: 'redis', url: settings.REDIS_URL, ...(tls && { tls }) };
}

function tlsOf(caFile: string | undefined): RedisTls {
  if (!caFile) return {};
  try {
    return { ca: readFileSync(caFile, 'utf8') };
  } catch (err) {
    throw new ConfigError(`Invalid configuration: REDIS_TLS_CA_FILE cannot be read (${(err as Error).message})`);
  }
}

const withScheme = (address: string, tls: boolean): string => {
  const url = address.includes('://') ? address : `redis://${address}`;
  return tls ? url.replace(/^redis:\/\//, 'rediss://') : url;
};

/** TLS failures that retrying cannot cure: the server's certificate is not trusted or not its own. */
const CERTIFICATE_ERRORS = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Connects; node-redis reconnects by itself afterwards, reporting connection errors to
 * `onError`. A certificate that cannot be verified fails the connect at once (start-up stops
 * with the reason) instead of retrying forever.
 */
export async function openRedis(target: RedisTarget, onError: (error: Error) => void = () => {}): Promise<RedisHandle> {
  const socket = target.tls ? { tls: true as const, ...(target.tls.ca !== undefined && { ca: target.tls.ca }) } : undefined;
  if (target.kind === 'redis') {
    const client = createClient({ url: withScheme(target.url, socket !== undefined), ...(socket && { socket }) });
    await connectOrFail(client, onError);
    return { kind: 'client', client };
  }
  if (target.nodes.length === 0) throw new Error('a Redis Cluster needs at least one root node');
  const client = createCluster({
    rootNodes: target.nodes.map((node) => ({ url: withScheme(node, socket !== undefined) })),
    ...(socket && { defaults: { socket } }),
  });
  await connectOrFail(client, onError);
  return { kind: 'cluster', client };
}

async function connectOrFail(client: RedisClient | RedisCluster, onError: (error: Error) => void): Promise<void> {
  let fail: ((error: Error) => void) | undefined;
  const refused = new Promise<never>((_, reject) => (fail = reject));
  const watch = (error: Error & { code?: string }) => {
    if (error.code !== undefined && CERTIFICATE_ERRORS.has(error.code)) fail?.(error);
    onError(error);
  };
  client.on('error', watch);
  // A cluster reports its nodes' connections (those it discovered, not only the root) apart.
  if ('masters' in client) client.on('node-error', watch);
  try {
    await Promise.race([client.connect(), refused]);
  } catch (err) {
    client.destroy();
    throw explained(err);
  } finally {
    fail = undefined;
  }
}

function explained(err: unknown): unknown {
  const reason = err as Error & { code?: string };
  if (reason.code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new Error(`Redis TLS: the server's certificate is for another host name (${reason.message}); connect through a name the certificate lists`, { cause: err });
  }
  if (reason.code !== undefined && CERTIFICATE_ERRORS.has(reason.code)) {
    return new Error(`Redis TLS: the server's certificate is not trusted (${reason.message}); set REDIS_TLS_CA_FILE to the CA that signed it`, { cause: err });
  }
  return err;
}

/** Single-key commands: the cluster client routes them by key, so one typed surface serves both. */
export const redisCommands = (handle: RedisHandle): RedisClient => handle.client as RedisClient;

/** PING the server, or every master of the cluster. */
export async function pingRedis(handle: RedisHandle): Promise<void> {
  if (handle.kind === 'client') {
    await handle.client.ping();
    return;
  }
  const cluster = handle.client;
  await Promise.all(cluster.masters.map(async (master) => (await cluster.nodeClient(master)).ping()));
}

export async function closeRedis(handle: RedisHandle): Promise<void> {
  if (handle.client.isOpen) await handle.client.close();
}
