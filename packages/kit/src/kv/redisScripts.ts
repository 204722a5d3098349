/** Both scripts touch only KEYS[1], so they are valid on Redis Cluster for any key. */

/** INCRBY that sets the expiry only when it creates the key (ARGV: by, ttlMs or 0). */
export const INCR_WITH_TTL = `
local created = redis.call('EXISTS', KEYS[1]) == 0
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if created and tonumber(ARGV[2]) > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return value`;

/** Compare-and-set (ARGV: expectAbsent '1'|'0', expected, next, ttlMs or 0 to keep the current expiry). */
export const COMPARE_AND_SET = `
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
return 1`;
