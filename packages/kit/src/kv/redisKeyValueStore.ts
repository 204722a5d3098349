import { createClient, createCluster } from 'redis';
import type { ContextOption } from '../context.js';
import { SpanKind, traced, type Attributes } from '../tracing/tracing.js';
import { assertIncrement, assertTtl, type KeyValueStore, type SetOptions, type TtlOptions } from './keyValueStore.js';
import { COMPARE_AND_SET, INCR_WITH_TTL } from './redisScripts.js';

type RedisClient = ReturnType<typeof createClient>;
type RedisCluster = ReturnType<typeof createCluster>;

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
  EVAL: redisSpanAttributes('EVAL'),
  PTTL: redisSpanAttributes('PTTL'),
};

/** KeyValueStore on a single Redis or a Redis Cluster (node-redis v5). */
export class RedisKeyValueStore implements KeyValueStore {
  private readonly prefix: string;

  private constructor(
    private readonly redis: { kind: 'client'; client: RedisClient } | { kind: 'cluster'; client: RedisCluster },
    options: RedisKeyValueStoreOptions,
  ) {
    this.prefix = options.keyPrefix ?? '';
    if (this.prefix.includes('{')) throw new Error('keyPrefix must not contain "{" (it would pick the hash slot)');
  }

  /** Connects to a single Redis, e.g. `redis://127.0.0.1:6390`. */
  static async connect(url: string, options: RedisKeyValueStoreOptions = {}): Promise<RedisKeyValueStore> {
    const client = createClient({ url });
    client.on('error', options.onError ?? (() => {}));
    await client.connect();
    return new RedisKeyValueStore({ kind: 'client', client }, options);
  }

  /** Connects to a Redis Cluster through its root nodes (`host:port` or `redis://host:port`). */
  static async connectCluster(nodes: string[], options: RedisKeyValueStoreOptions = {}): Promise<RedisKeyValueStore> {
    if (nodes.length === 0) throw new Error('a Redis Cluster needs at least one root node');
    const rootNodes = nodes.map((node) => ({ url: node.includes('://') ? node : `redis://${node}` }));
    const client = createCluster({ rootNodes });
    client.on('error', options.onError ?? (() => {}));
    await client.connect();
    return new RedisKeyValueStore({ kind: 'cluster', client }, options);
  }

  private get client(): RedisClient {
    // Both shapes expose the same single-key commands; the cluster routes them by key.
    return this.redis.client as RedisClient;
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
    const reply = await traced(options.context, 'EVAL incrBy', SpanKind.CLIENT, REDIS.EVAL, () =>
      this.client.eval(INCR_WITH_TTL, {
        keys: [this.k(key)],
        arguments: [String(by), String(options.ttlMs ?? 0)],
      }),
    );
    return Number(reply);
  }

  async compareAndSet(key: string, expected: string | null, next: string, options: TtlOptions & ContextOption = {}): Promise<boolean> {
    assertTtl(options.ttlMs);
    const reply = await traced(options.context, 'EVAL compareAndSet', SpanKind.CLIENT, REDIS.EVAL, () =>
      this.client.eval(COMPARE_AND_SET, {
        keys: [this.k(key)],
        arguments: [expected === null ? '1' : '0', expected ?? '', next, String(options.ttlMs ?? 0)],
      }),
    );
    return Number(reply) === 1;
  }

  async ttlMs(key: string, options?: ContextOption): Promise<number | null> {
    const ttl = await traced(options?.context, 'PTTL', SpanKind.CLIENT, REDIS.PTTL, () => this.client.pTTL(this.k(key)));
    return ttl < 0 ? null : ttl;
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

  private k(key: string): string {
    return this.prefix + key;
  }
}
