import { createHash } from 'node:crypto';
import type { RedisClient } from './redisClient.js';

/** A Lua script and its SHA1, so calls send the digest (EVALSHA) rather than the source. */
export interface RedisScript {
  source: string;
  sha: string;
}

export const redisScript = (source: string): RedisScript => ({ source, sha: createHash('sha1').update(source).digest('hex') });

/**
 * EVALSHA, falling back to EVAL (which also caches the script) on a server that does not know it
 * yet: a new node, a restart, SCRIPT FLUSH. With a cluster client the call goes to the keys' node.
 */
export async function runRedisScript(client: RedisClient, script: RedisScript, keys: string[], args: string[]): Promise<unknown> {
  try {
    return await client.evalSha(script.sha, { keys, arguments: args });
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
    return client.eval(script.source, { keys, arguments: args });
  }
}

/** Both scripts below touch only KEYS[1], so they are valid on Redis Cluster for any key. */

/** INCRBY that sets the expiry only when it creates the key (ARGV: by, ttlMs or 0). */
export const INCR_WITH_TTL = redisScript(`
local created = redis.call('EXISTS', KEYS[1]) == 0
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if created and tonumber(ARGV[2]) > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return value`);

/** Compare-and-set (ARGV: expectAbsent '1'|'0', expected, next, ttlMs or 0 to keep the current expiry). */
export const COMPARE_AND_SET = redisScript(`
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if current then return 0 end
elseif current ~= ARGV[2] then
  return 0
end
if tonumber(ARGV[4]) > 0 then
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
else
  redis.call('SET', KEYS[1], ARGV[3], 'KEEPTTL')
end
return 1`);
