import { redisScript as script } from '@uitgo/kit/kv';

/**
 * Lua scripts of the Redis trip read model. Each touches the keys of one hash tag only (a
 * trip's `{id}`, one owner's `{p:<id>}`, `{d:<id>}` or `{all}`, or the lease), so each is valid
 * on Redis Cluster.
 */
/**
 * Writes the trip only if it is newer than the stored one. KEYS[1] the trip hash; ARGV
 * updatedAt ms, JSON, status, driverId or ''. Returns the state that won and the driver the
 * write replaced: {written 1|0, updatedAt, status, driverId or '', replaced driverId or ''}.
 */
export const PUT_TRIP = script(`
local u, s, d = unpack(redis.call('HMGET', KEYS[1], 'u', 's', 'd'))
if u and not s then
  -- stored before status lists were kept: the state is in the JSON only
  local t = cjson.decode(redis.call('HGET', KEYS[1], 'j'))
  s, d = t.status, type(t.driverId) == 'string' and t.driverId or ''
end
if u and tonumber(u) >= tonumber(ARGV[1]) then return {0, u, s, d, ''} end
redis.call('HSET', KEYS[1], 'u', ARGV[1], 'j', ARGV[2], 's', ARGV[3], 'd', ARGV[4])
return {1, ARGV[1], ARGV[3], ARGV[4], d or ''}`);

/**
 * Lists one state of a trip in one owner's lists. KEYS[1] the owner's list, KEYS[2..7] its
 * status lists, KEYS[8] its tombstones (trips the owner lost); ARGV[1] the list member
 * `<created>:<id>`, ARGV[2] the status member `<created>:<id>:<updatedAt>`, ARGV[3] which status
 * list takes it (1-6, as KEYS[2..7]) or 0 when in this state the owner no longer has the trip,
 * ARGV[4] tombstones of trips created before this (a list member) are pruned.
 * Does nothing if an entry of a state at least as new is there (a tombstone too: a state of a
 * trip that a racing write took from the owner does not come back); else drops the trip's older
 * entries, so a trip is in one status list of an owner at most, and lists it, or (0) drops it from
 * the owner's list and leaves a tombstone.
 */
export const LIST_STATE = script(`
local base, member, into = ARGV[1], ARGV[2], tonumber(ARGV[3])
local version = tonumber(string.sub(member, #base + 2))
local tombstones = KEYS[#KEYS]
local older = {}
for i = 2, #KEYS do
  for _, m in ipairs(redis.call('ZRANGE', KEYS[i], '[' .. base .. ':', '(' .. base .. ';', 'BYLEX')) do
    if tonumber(string.sub(m, #base + 2)) >= version then
      -- the owner has the trip in that newer state: keep it in the owner's list
      if KEYS[i] ~= tombstones then redis.call('ZADD', KEYS[1], 0, base) end
      return 0
    end
    older[#older + 1] = {KEYS[i], m}
  end
end
for _, entry in ipairs(older) do redis.call('ZREM', entry[1], entry[2]) end
if into == 0 then
  redis.call('ZREM', KEYS[1], base)
  redis.call('ZADD', tombstones, 0, member)
  redis.call('ZREMRANGEBYLEX', tombstones, '-', '(' .. ARGV[4])
else
  redis.call('ZADD', KEYS[1], 0, base)
  redis.call('ZADD', KEYS[into + 1], 0, member)
end
return 1`);

/** Extends the lease in KEYS[1] if ARGV[1] still holds it, by ARGV[2] ms. */
export const RENEW_LEASE = script(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])`);

/** Ends the lease in KEYS[1] if ARGV[1] still holds it. */
export const RELEASE_LEASE = script(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])`);
