import { redisScript } from '@uitgo/kit/kv';

/**
 * Lua scripts of the Redis geo index. Each touches the keys of one hash tag only (one driver's
 * `{driverId}` or one cell's `{vehicleType:iy:ix}`), so each is valid on Redis Cluster.
 *
 * The driver hash is the truth: vt, st, trip, ver, ts, lat, lng, hd, sp, ac, cell, stamp. A cell
 * holds a copy of what a search needs (position, freshness, hold) for the drivers placed in it.
 * Every decision about a driver's placement is taken atomically on the driver's slot and gets a
 * stamp (Redis TIME in µs, strictly increasing per driver); the cell applies a put or a delete
 * only if its stamp is newer than the one it saw last for that driver (a delete leaves its stamp
 * behind as a tombstone). So replies that reach the cells out of order never leave a driver
 * where it no longer belongs, and a search needs no second look at the driver hashes.
 */

const script = redisScript;

/** The cell of a position, as `cellOf` in domain/geoCells.ts computes it (same double arithmetic). */
const CELL_OF = `
local function cellOf(vt, lat, lng, cpd)
  local iy = math.min(180 * cpd - 1, math.floor((lat + 90) * cpd))
  local ix = math.floor((lng + 180) * cpd)
  if ix == 360 * cpd then ix = 0 end
  return vt .. ':' .. string.format('%d', iy) .. ':' .. string.format('%d', ix)
end`;

/** A stamp newer than the driver's last one; and until when (Redis ms) its reservation holds it, 0 if free. */
const DRIVER_HELPERS = `
local function nextStamp(prev)
  local t = redis.call('TIME')
  local s = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local p = tonumber(prev) or 0
  if s <= p then s = p + 1 end
  return s
end
local function holdUntil(reservationKey)
  local pttl = redis.call('PTTL', reservationKey)
  if pttl <= 0 then return 0 end
  local t = redis.call('TIME')
  return math.floor(tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000) + pttl
end
local function fmt(n) return string.format('%d', n) end
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end`;

/**
 * KEYS: driver hash, reservation. ARGV: ts, lat, lng, hd, sp, ac, cellsPerDegree, ttlSeconds.
 * Returns {-1} for an unknown driver, {0, prevTs, trip} if not newer, else
 * {1, prevTs, trip, oldCell, newCell, stamp, holdUntil}.
 */
export const INGEST = script(`${CELL_OF}${DRIVER_HELPERS}
local h = redis.call('HMGET', KEYS[1], 'st', 'vt', 'ts', 'cell', 'trip', 'stamp')
if not h[1] then return {-1} end
local ts = tonumber(ARGV[1])
local prev = tonumber(h[3]) or -1
if ts <= prev then return {0, prev, h[5] or ''} end
local cell = ''
if h[1] == 'available' then cell = cellOf(h[2], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[7])) end
local stamp = fmt(nextStamp(h[6]))
redis.call('HSET', KEYS[1], 'ts', ARGV[1], 'lat', ARGV[2], 'lng', ARGV[3], 'hd', ARGV[4], 'sp', ARGV[5], 'ac', ARGV[6], 'cell', cell, 'stamp', stamp)
redis.call('EXPIRE', KEYS[1], ARGV[8])
return {1, prev, h[5] or '', h[4] or '', cell, stamp, holdUntil(KEYS[2])}`);

/**
 * KEYS: driver hash, reservation. ARGV: vt, st, trip, version, cellsPerDegree, ttlSeconds.
 * Applies the state unless a newer version is stored; a state other than available lifts a fence.
 * Returns {applied, oldCell, newCell, ts, lat, lng, stamp, holdUntil}.
 */
export const SET_DRIVER = script(`${CELL_OF}${DRIVER_HELPERS}
local h = redis.call('HMGET', KEYS[1], 'ver', 'cell', 'ts', 'lat', 'lng', 'stamp')
if h[1] and tonumber(h[1]) > tonumber(ARGV[4]) then return {0, '', '', '', '', '', '0', 0} end
local cell = ''
if ARGV[2] == 'available' and h[3] then cell = cellOf(ARGV[1], tonumber(h[4]), tonumber(h[5]), tonumber(ARGV[5])) end
local stamp = fmt(nextStamp(h[6]))
redis.call('HSET', KEYS[1], 'vt', ARGV[1], 'st', ARGV[2], 'trip', ARGV[3], 'ver', ARGV[4], 'cell', cell, 'stamp', stamp)
if ARGV[2] ~= 'available' then redis.call('HDEL', KEYS[1], 'fence') end
redis.call('EXPIRE', KEYS[1], ARGV[6])
return {1, h[2] or '', cell, h[3] or '', h[4] or '', h[5] or '', stamp, holdUntil(KEYS[2])}`);

/**
 * KEYS: driver hash, reservation. ARGV: tripId, reservation JSON, ttlMs.
 * Returns {'reserved', json, cell, stamp, holdUntil, ts, lat, lng} | {'existing'|'held', json} |
 * {'unavailable', st} | {'unknown'}; a fenced driver is unavailable (their availability is changing).
 */
export const RESERVE = script(`${DRIVER_HELPERS}
local h = redis.call('HMGET', KEYS[1], 'st', 'cell', 'stamp', 'ts', 'lat', 'lng', 'fence')
if h[7] and tonumber(h[7]) > nowMs() then return {'unavailable', h[1] or 'offline'} end
if not h[1] then return {'unknown'} end
local cur = redis.call('GET', KEYS[2])
if cur then
  if cjson.decode(cur).tripId == ARGV[1] then return {'existing', cur} end
  return {'held', cur}
end
if h[1] ~= 'available' then return {'unavailable', h[1]} end
redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3])
local stamp = fmt(nextStamp(h[3]))
redis.call('HSET', KEYS[1], 'stamp', stamp)
return {'reserved', ARGV[2], h[2] or '', stamp, fmt(holdUntil(KEYS[2])), h[4] or '', h[5] or '', h[6] or ''}`);

/**
 * KEYS: reservation, driver hash. ARGV: reservationId or '', tripId or ''. Compare-and-delete.
 * Returns {0} if nothing matched, else {1, cell, stamp, ts, lat, lng}.
 */
export const RELEASE = script(`${DRIVER_HELPERS}
local cur = redis.call('GET', KEYS[1])
if not cur then return {0} end
local r = cjson.decode(cur)
if not ((ARGV[1] ~= '' and r.reservationId == ARGV[1]) or (ARGV[1] == '' and r.tripId == ARGV[2])) then return {0} end
redis.call('DEL', KEYS[1])
local h = redis.call('HMGET', KEYS[2], 'cell', 'stamp', 'ts', 'lat', 'lng')
if not h[2] then return {1, '', '0', '', '', ''} end
local stamp = fmt(nextStamp(h[2]))
redis.call('HSET', KEYS[2], 'stamp', stamp)
return {1, h[1] or '', stamp, h[3] or '', h[4] or '', h[5] or ''}`);

/**
 * KEYS: driver hash, reservation. ARGV: allowed tripId or '', forMs. Unless a reservation of
 * another trip holds the driver ({'held', json}), closes them to reservations for forMs
 * ({'fenced'}); a driver the index does not know gets a hash holding only the fence, expiring with it.
 */
export const FENCE = script(`${DRIVER_HELPERS}
local cur = redis.call('GET', KEYS[2])
if cur and cjson.decode(cur).tripId ~= ARGV[1] then return {'held', cur} end
local known = redis.call('EXISTS', KEYS[1]) == 1
redis.call('HSET', KEYS[1], 'fence', fmt(nowMs() + tonumber(ARGV[2])))
if not known then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return {'fenced'}`);

/** KEYS: driver hash, reservation. Forgets the driver. Returns {cell, stamp}. */
export const REMOVE = script(`${DRIVER_HELPERS}
local h = redis.call('HMGET', KEYS[1], 'cell', 'stamp')
redis.call('DEL', KEYS[1], KEYS[2])
return {h[1] or '', fmt(nextStamp(h[2]))}`);

/**
 * KEYS: cell geo set, ts zset, positions hash, stamps zset, holds zset.
 * ARGV: lng, lat, driverId, ts, stamp, holdUntil (0 = free). Returns 0 if ignored, 1 if applied,
 * 2 if applied to an empty cell (which then goes on the sweeper's list).
 */
export const CELL_PUT = script(`
local seen = redis.call('ZSCORE', KEYS[4], ARGV[3])
if seen and math.abs(tonumber(seen)) >= tonumber(ARGV[5]) then return 0 end
local wasEmpty = redis.call('EXISTS', KEYS[2]) == 0
redis.call('GEOADD', KEYS[1], ARGV[1], ARGV[2], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[3], ARGV[4] .. ',' .. ARGV[2] .. ',' .. ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[5], ARGV[3])
if ARGV[6] ~= '0' then redis.call('ZADD', KEYS[5], ARGV[6], ARGV[3]) else redis.call('ZREM', KEYS[5], ARGV[3]) end
if wasEmpty then return 2 end
return 1`);

/** KEYS: as CELL_PUT. ARGV: driverId, stamp. Removes the entry unless a newer decision was applied; returns 1 if applied. */
export const CELL_DEL = script(`
local seen = redis.call('ZSCORE', KEYS[4], ARGV[1])
if seen and math.abs(tonumber(seen)) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[5], ARGV[1])
redis.call('ZADD', KEYS[4], '-' .. ARGV[2], ARGV[1])
return 1`);

/**
 * KEYS: as CELL_PUT. ARGV: cutoff ts, max entries, tombstone cutoff stamp.
 * Removes entries older than the freshness cutoff (their stamps become tombstones), tombstones
 * older than the tombstone cutoff and lapsed holds. Returns {removed, remaining}.
 */
export const CELL_SWEEP = script(`
local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
if #stale > 0 then
  redis.call('ZREM', KEYS[1], unpack(stale))
  redis.call('ZREM', KEYS[2], unpack(stale))
  redis.call('HDEL', KEYS[3], unpack(stale))
  redis.call('ZREM', KEYS[5], unpack(stale))
  for _, id in ipairs(stale) do
    local seen = redis.call('ZSCORE', KEYS[4], id)
    if seen and tonumber(seen) > 0 then redis.call('ZADD', KEYS[4], '-' .. seen, id) end
  end
end
redis.call('ZREMRANGEBYSCORE', KEYS[4], '(-' .. ARGV[3], '(0')
local t = redis.call('TIME')
redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', string.format('%d', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)))
return {#stale, redis.call('ZCARD', KEYS[2])}`);

/**
 * KEYS: cell geo set, ts zset (unused: freshness is read with the position), positions hash, holds zset.
 * ARGV: lng, lat, radius (m), limit, freshness cutoff ts, first COUNT, tie slack (m).
 * The cell's `limit` nearest drivers within the radius that are fresh and not held (plus any
 * within the slack of the last one, as GEO distances are quantized), nearest first, as a flat
 * list of driverId, "ts,lat,lng" (the exact position, for exact distances).
 */
export const CELL_SEARCH = script(`
local limit = tonumber(ARGV[4])
local cutoff = tonumber(ARGV[5])
local slack = tonumber(ARGV[7])
local now = nil
if redis.call('EXISTS', KEYS[4]) == 1 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
end
local n = tonumber(ARGV[6])
while true do
  local found = redis.call('GEOSEARCH', KEYS[1], 'FROMLONLAT', ARGV[1], ARGV[2], 'BYRADIUS', ARGV[3], 'm', 'ASC', 'COUNT', n, 'WITHDIST')
  local out = {}
  local kept = 0
  local last = nil
  for _, m in ipairs(found) do
    local dist = tonumber(m[2])
    if last and dist > last + slack then return out end
    local at = redis.call('HGET', KEYS[3], m[1])
    if at and tonumber(string.match(at, '^[^,]+')) >= cutoff then
      local held = false
      if now then
        local until_ = redis.call('ZSCORE', KEYS[4], m[1])
        held = until_ and tonumber(until_) > now
      end
      if not held then
        out[#out + 1] = m[1]
        out[#out + 1] = at
        kept = kept + 1
        if kept == limit then last = dist end
      end
    end
  end
  if #found < n then return out end
  n = n * 4
end`);
