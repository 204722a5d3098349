import { createHash } from 'node:crypto';

/**
 * Lua scripts of the Redis geo index. Each touches the keys of one hash tag only (one driver's
 * `{driverId}` or one cell's `{vehicleType:iy:ix}`), so each is valid on Redis Cluster.
 * The driver hash holds: vt, st, trip, ver, ts, lat, lng, hd, sp, ac, cell.
 */
export interface RedisScript {
  source: string;
  sha: string;
}

const script = (source: string): RedisScript => ({ source, sha: createHash('sha1').update(source).digest('hex') });

/** The cell of a position, as `cellOf` in domain/geoCells.ts computes it (same double arithmetic). */
const CELL_OF = `
local function cellOf(vt, lat, lng, cpd)
  return vt .. ':' .. string.format('%d', math.floor((lat + 90) * cpd)) .. ':' .. string.format('%d', math.floor((lng + 180) * cpd))
end`;

/**
 * KEYS: driver hash. ARGV: ts, lat, lng, hd, sp, ac, cellsPerDegree, ttlSeconds.
 * Returns {-1} for an unknown driver, {0, prevTs, trip} if not newer, else {1, prevTs, trip, oldCell, newCell}.
 */
export const INGEST = script(`${CELL_OF}
local h = redis.call('HMGET', KEYS[1], 'st', 'vt', 'ts', 'cell', 'trip')
if not h[1] then return {-1} end
local ts = tonumber(ARGV[1])
local prev = tonumber(h[3]) or -1
if ts <= prev then return {0, prev, h[5] or ''} end
local cell = ''
if h[1] == 'available' then cell = cellOf(h[2], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[7])) end
redis.call('HSET', KEYS[1], 'ts', ARGV[1], 'lat', ARGV[2], 'lng', ARGV[3], 'hd', ARGV[4], 'sp', ARGV[5], 'ac', ARGV[6], 'cell', cell)
redis.call('EXPIRE', KEYS[1], ARGV[8])
return {1, prev, h[5] or '', h[4] or '', cell}`);

/**
 * KEYS: driver hash. ARGV: vt, st, trip, version, cellsPerDegree, ttlSeconds.
 * Applies the state unless a newer version is stored. Returns {applied, oldCell, newCell, ts, lat, lng}.
 */
export const SET_DRIVER = script(`${CELL_OF}
local h = redis.call('HMGET', KEYS[1], 'ver', 'cell', 'ts', 'lat', 'lng')
if h[1] and tonumber(h[1]) > tonumber(ARGV[4]) then return {0, '', '', '', '', ''} end
local cell = ''
if ARGV[2] == 'available' and h[3] then cell = cellOf(ARGV[1], tonumber(h[4]), tonumber(h[5]), tonumber(ARGV[5])) end
redis.call('HSET', KEYS[1], 'vt', ARGV[1], 'st', ARGV[2], 'trip', ARGV[3], 'ver', ARGV[4], 'cell', cell)
redis.call('EXPIRE', KEYS[1], ARGV[6])
return {1, h[2] or '', cell, h[3] or '', h[4] or '', h[5] or ''}`);

/** KEYS: cell geo set, cell freshness zset. ARGV: lng, lat, driverId, ts. Never replaces a newer entry. */
export const CELL_PUT = script(`
local cur = redis.call('ZSCORE', KEYS[2], ARGV[3])
if cur and tonumber(cur) >= tonumber(ARGV[4]) then return 0 end
redis.call('GEOADD', KEYS[1], ARGV[1], ARGV[2], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
return 1`);

/** KEYS: cell geo set, cell freshness zset. ARGV: driverId, ts ('inf' always). Leaves an entry newer than ts. */
export const CELL_DEL = script(`
local cur = redis.call('ZSCORE', KEYS[2], ARGV[1])
if not cur then return 0 end
if ARGV[2] ~= 'inf' and tonumber(cur) > tonumber(ARGV[2]) then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1`);

/** KEYS: cell geo set, cell freshness zset. ARGV: cutoff ts, max entries. Returns {removed, remaining}. */
export const CELL_SWEEP = script(`
local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
if #stale > 0 then
  redis.call('ZREM', KEYS[1], unpack(stale))
  redis.call('ZREM', KEYS[2], unpack(stale))
end
return {#stale, redis.call('ZCARD', KEYS[2])}`);

/**
 * KEYS: driver hash, reservation. ARGV: tripId, reservation JSON, ttlMs.
 * Returns {'reserved'|'existing'|'held', json} or {'unavailable', st} or {'unknown'}.
 */
export const RESERVE = script(`
local st = redis.call('HGET', KEYS[1], 'st')
if not st then return {'unknown'} end
local cur = redis.call('GET', KEYS[2])
if cur then
  if cjson.decode(cur).tripId == ARGV[1] then return {'existing', cur} end
  return {'held', cur}
end
if st ~= 'available' then return {'unavailable', st} end
redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3])
return {'reserved', ARGV[2]}`);

/** KEYS: reservation. ARGV: reservationId or '', tripId or ''. Compare-and-delete; returns 1 if deleted. */
export const RELEASE = script(`
local cur = redis.call('GET', KEYS[1])
if not cur then return 0 end
local r = cjson.decode(cur)
if (ARGV[1] ~= '' and r.reservationId == ARGV[1]) or (ARGV[1] == '' and r.tripId == ARGV[2]) then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0`);
