import { closeRedis, openRedis, pingRedis, redisCommands, runRedisScript, type RedisClient, type RedisHandle, type RedisScript, type RedisTarget } from '@uitgo/kit/kv';

export type { RedisTarget };

/**
 * One Redis or a Redis Cluster behind the commands the geo index uses. Commands issued in the
 * same tick are written together (node-redis pipelines them per connection), so `Promise.all`
 * over a batch costs one round trip per node.
 */
export class RedisConnection {
  private constructor(private readonly redis: RedisHandle) {}

  static async open(target: RedisTarget, onError: (error: Error) => void = () => {}): Promise<RedisConnection> {
    return new RedisConnection(await openRedis(target, onError));
  }

  /** Single-key commands: the cluster client routes them by key, so one typed surface serves both. */
  get commands(): RedisClient {
    return redisCommands(this.redis);
  }

  /** EVALSHA, loading the script on a node that does not know it yet. */
  run(script: RedisScript, keys: string[], args: string[]): Promise<unknown> {
    return runRedisScript(this.commands, script, keys, args);
  }

  ping(): Promise<void> {
    return pingRedis(this.redis);
  }

  close(): Promise<void> {
    return closeRedis(this.redis);
  }
}
