import type { ContextOption } from '../context.js';
import { SpanKind, traced, type Attributes } from '../tracing/tracing.js';
import { assertIncrement, assertTtl, type KeyValueStore, type SetOptions, type TtlOptions } from './keyValueStore.js';
import { closeRedis, openRedis, pingRedis, redisCommands, type RedisClient, type RedisHandle, type RedisTarget } from './redisClient.js';
import { COMPARE_AND_SET, INCR_WITH_TTL, runRedisScript } from './redisScripts.js';

export interface RedisKeyValueStoreOptions {
  /** Prepended to every key (e.g. `gateway:`). Must not contain `{`, or it would change hash slots. */
  keyPrefix?: string;
  /** Connection errors (node-redis reconnects by itself); commands still reject while disconnected. */
  onError?: (error: Error) => void;
}

/** Span attributes of a Redis command (OpenTelemetry's database conventions); keys are left out: they name users. */
export const redisSpanAttributes = (command: string): Attributes => ({ 'db.system': 'redis', 'db.system.name': 'redis', 'db.operation.name': command });
const REDIS = {
  GET: redisSpanAttributes('GET'),
  SET: redisSpanAttributes('SET'),
  GETDEL: redisSpanAttributes('GETDEL'),
  DEL: redisSpanAttributes('DEL'),
  EVALSHA: redisSpanAttributes('EVALSHA'),
  PTTL: redisSpanAttributes('PTTL'),
};

/** KeyValueStore on a single Redis or a Redis Cluster (node-redis v5). */
export class RedisKeyValueStore implements KeyValueStore {
  private readonly prefix: string;

  private readonly client: RedisClient;

  private constructor(
    private readonly redis: RedisHandle,
    options: RedisKeyValueStoreOptions,
  ) {
    this.prefix = options.keyPrefix ?? '';
    this.client = redisCommands(redis);
  }

  /** Connects to a single Redis (`redis://127.0.0.1:6390`) or a Redis Cluster through its root nodes, over TLS if the target says so. */
  static async open(target: RedisTarget, options: RedisKeyValueStoreOptions = {}): Promise<RedisKeyValueStore> {
    if (options.keyPrefix?.includes('{')) throw new Error('keyPrefix must not contain "{" (it would pick the hash slot)');
    return new RedisKeyValueStore(await openRedis(target, options.onError), options);
  }

  async get(key: string, options?: ContextOption): Promise<string | null> {
    return traced(options?.context, 'GET', SpanKind.CLIENT, REDIS.GET, () => this.client.get(this.k(key)));
  }

  async set(key: string, value: string, options: SetOptions & ContextOption = {}): Promise<boolean> {
    assertTtl(options.ttlMs);
    const reply = await traced(options.context, 'SET', SpanKind.CLIENT, REDIS.SET, () =>
      this.client.set(this.k(key), value, {
        ...(options.ttlMs !== undefined && { expiration: { type: 'PX', value: options.ttlMs } }),
        ...(options.onlyIfAbsent && { condition: 'NX' }),
      }),
    );
    return reply === 'OK';
  }

  async getDel(key: string, options?: ContextOption): Promise<string | null> {
    return traced(options?.context, 'GETDEL', SpanKind.CLIENT, REDIS.GETDEL, () => this.client.getDel(this.k(key)));
  }

  async del(key: string, options?: ContextOption): Promise<boolean> {
    return (await traced(options?.context, 'DEL', SpanKind.CLIENT, REDIS.DEL, () => this.client.del(this.k(key)))) > 0;
  }

  async incrBy(key: string, by: number, options: TtlOptions & ContextOption = {}): Promise<number> {
    assertIncrement(by);
    assertTtl(options.ttlMs);
    const reply = await traced(options.context, 'EVALSHA incrBy', SpanKind.CLIENT, REDIS.EVALSHA, () =>
      runRedisScript(this.client, INCR_WITH_TTL, [this.k(key)], [String(by), String(options.ttlMs ?? 0)]),
    );
    return Number(reply);
  }

  async compareAndSet(key: string, expected: string | null, next: string, options: TtlOptions & ContextOption = {}): Promise<boolean> {
    assertTtl(options.ttlMs);
    const reply = await traced(options.context, 'EVALSHA compareAndSet', SpanKind.CLIENT, REDIS.EVALSHA, () =>
      runRedisScript(this.client, COMPARE_AND_SET, [this.k(key)], [expected === null ? '1' : '0', expected ?? '', next, String(options.ttlMs ?? 0)]),
    );
    return Number(reply) === 1;
  }

  async ttlMs(key: string, options?: ContextOption): Promise<number | null> {
    const ttl = await traced(options?.context, 'PTTL', SpanKind.CLIENT, REDIS.PTTL, () => this.client.pTTL(this.k(key)));
    return ttl < 0 ? null : ttl;
  }

  ping(): Promise<void> {
    return pingRedis(this.redis);
  }

  close(): Promise<void> {
    return closeRedis(this.redis);
  }

  private k(key: string): string {
    return this.prefix + key;
  }
}
