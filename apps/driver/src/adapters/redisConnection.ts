import { createClient, createCluster } from 'redis';
import type { RedisScript } from './redisGeoScripts.js';

type RedisClient = ReturnType<typeof createClient>;
type RedisCluster = ReturnType<typeof createCluster>;

export type RedisTarget = { kind: 'redis'; url: string } | { kind: 'redis-cluster'; nodes: string[] };

/**
 * One Redis or a Redis Cluster behind the commands the geo index uses. Commands issued in the
 * same tick are written together (node-redis pipelines them per connection), so `Promise.all`
 * over a batch costs one round trip per node.
 */
export class RedisConnection {
  private constructor(private readonly redis: { kind: 'client'; client: RedisClient } | { kind: 'cluster'; client: RedisCluster }) {}

  static async open(target: RedisTarget, onError: (error: Error) => void = () => {}): Promise<RedisConnection> {
    if (target.kind === 'redis') {
      const client = createClient({ url: target.url });
      client.on('error', onError);
      await client.connect();
      return new RedisConnection({ kind: 'client', client });
    }
    if (target.nodes.length === 0) throw new Error('a Redis Cluster needs at least one root node');
    const client = createCluster({ rootNodes: target.nodes.map((node) => ({ url: node.includes('://') ? node : `redis://${node}` })) });
    client.on('error', onError);
    await client.connect();
    return new RedisConnection({ kind: 'cluster', client });
  }

  /** Single-key commands: the cluster client routes them by key, so one typed surface serves both. */
  get commands(): RedisClient {
    return this.redis.client as RedisClient;
  }

  /** EVALSHA, loading the script on a node that does not know it yet. */
  async run(script: RedisScript, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await this.commands.evalSha(script.sha, { keys, arguments: args });
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return this.commands.eval(script.source, { keys, arguments: args });
    }
  }

  async ping(): Promise<void> {
    if (this.redis.kind === 'client') {
      await this.redis.client.ping();
      return;
    }
    const cluster = this.redis.client;
    await Promise.all(cluster.masters.map(async (master) => (await cluster.nodeClient(master)).ping()));
  }

  async close(): Promise<void> {
    if (this.redis.client.isOpen) await this.redis.client.close();
  }
}
