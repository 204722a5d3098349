import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeReal, infraEndpoints, testTlsCaFile } from '../testing/index.js';
import { keyValueStoreContract } from './keyValueStore.contract.js';
import { openRedis, redisCommands, redisTargetOf } from './redisClient.js';
import { INCR_WITH_TTL } from './redisScripts.js';
import { RedisKeyValueStore } from './redisKeyValueStore.js';

const realTime = { elapse: async () => {}, shortTtlMs: 250 };

await describeReal('RedisKeyValueStore (single node)', ['redis'], () => {
  keyValueStoreContract('redis', async () => ({
    ...realTime,
    store: await RedisKeyValueStore.open({ kind: 'redis', url: infraEndpoints('redis')[0]! }, { keyPrefix: 'uitgo-test:' }),
  }));

  it('sends its scripts by digest, and loads them again on a server that forgot them (SCRIPT FLUSH, restart)', async () => {
    const url = infraEndpoints('redis')[0]!;
    const store = await RedisKeyValueStore.open({ kind: 'redis', url }, { keyPrefix: 'uitgo-test:' });
    const admin = redisCommands(await openRedis({ kind: 'redis', url }));
    try {
      await admin.scriptFlush();
      const key = `script-${randomUUID()}`;
      expect(await store.incrBy(key, 2, { ttlMs: 10_000 })).toBe(2);
      expect(await admin.scriptExists(INCR_WITH_TTL.sha)).toEqual([1]);
      const calls = async (command: string) => Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(await admin.info('commandstats'))?.[1] ?? 0);
      const evalShaBefore = await calls('evalsha');
      expect(await store.incrBy(key, 3)).toBe(5);
      // Other test files may share this server (and fall back to EVAL after the flush): only our EVALSHA is certain.
      expect(await calls('evalsha')).toBeGreaterThan(evalShaBefore);
    } finally {
      await store.close();
      await admin.quit();
    }
  });
});

await describeReal('RedisKeyValueStore (cluster)', ['redis-cluster'], () => {
  keyValueStoreContract('redis-cluster', async () => ({
    ...realTime,
    store: await RedisKeyValueStore.open({ kind: 'redis-cluster', nodes: infraEndpoints('redis-cluster') }, { keyPrefix: 'uitgo-test:' }),
  }));
});

// In-transit encryption (ElastiCache with transit encryption): `pnpm infra:up` serves TLS beside
// plaintext on the same servers, with a certificate from its own CA.
await describeReal('RedisKeyValueStore over TLS (single node)', ['redis-tls'], () => {
  const ca = () => readFileSync(testTlsCaFile(), 'utf8');
  keyValueStoreContract('redis-tls', async () => ({
    ...realTime,
    store: await RedisKeyValueStore.open({ kind: 'redis', url: infraEndpoints('redis-tls')[0]!, tls: { ca: ca() } }, { keyPrefix: 'uitgo-test:' }),
  }));

  describe('TLS settings', () => {
    it('REDIS_TLS turns a redis:// URL into TLS, verified against REDIS_TLS_CA_FILE', async () => {
      const plainUrl = infraEndpoints('redis-tls')[0]!.replace('rediss://', 'redis://');
      const target = redisTargetOf({ REDIS_URL: plainUrl, REDIS_TLS: true, REDIS_TLS_CA_FILE: testTlsCaFile() });
      expect(target).toMatchObject({ kind: 'redis', tls: { ca: ca() } });
      const store = await RedisKeyValueStore.open(target);
      await expect(store.ping()).resolves.toBeUndefined();
      await store.close();
    });

    it('refuses a server whose certificate it cannot verify, saying which setting to fix', async () => {
      // Node's bundled roots do not know the test CA: the handshake fails instead of trusting it.
      await expect(openRedis({ kind: 'redis', url: infraEndpoints('redis-tls')[0]!, tls: {} })).rejects.toThrow(/not trusted.*REDIS_TLS_CA_FILE/);
      await expect(openRedis({ kind: 'redis-cluster', nodes: infraEndpoints('redis-cluster-tls'), tls: {} })).rejects.toThrow(/not trusted|certificate/);
    });

    it('names an unreadable CA file', () => {
      expect(() => redisTargetOf({ REDIS_URL: 'rediss://127.0.0.1:1', REDIS_TLS_CA_FILE: '/nonexistent/ca.pem' })).toThrow(/REDIS_TLS_CA_FILE cannot be read/);
    });
  });
});

await describeReal('RedisKeyValueStore over TLS (cluster)', ['redis-cluster-tls'], () => {
  keyValueStoreContract('redis-cluster-tls', async () => ({
    ...realTime,
    store: await RedisKeyValueStore.open(
      redisTargetOf({ REDIS_CLUSTER_NODES: infraEndpoints('redis-cluster-tls').join(','), REDIS_TLS: true, REDIS_TLS_CA_FILE: testTlsCaFile() }),
      { keyPrefix: 'uitgo-test:' },
    ),
  }));
});
