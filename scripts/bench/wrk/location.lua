-- Drivers' location updates (see scripts/bench/locationLoad.ts, the autocannon form): each request
-- signs as the next driver in turn. WRK_MODE=single: PUT /drivers/me/location, one fix recorded
-- now; WRK_MODE=batch: POST /drivers/me/locations, the last two seconds' 100 fixes, 20 ms apart.
-- WRK_TOKENS_FILE: the drivers' access tokens, one per line. The drivers start uniformly over
-- the benchmark's box (lat 10.70-10.90, lng 106.60-106.80).
dofile("scripts/bench/wrk/report.lua")

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_usec; } uitgo_timeval;
  int gettimeofday(uitgo_timeval *tv, void *tz);
]]
local tv = ffi.new("uitgo_timeval")
local function nowMs()
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) * 1000 + math.floor(tonumber(tv.tv_usec) / 1000)
end
local function iso(ms)
  return os.date("!%Y-%m-%dT%H:%M:%S", math.floor(ms / 1000)) .. string.format(".%03dZ", ms % 1000)
end
-- Drivers move on as scripts/bench/movement.ts has them: heading kept within +-30 degrees a fix,
-- turned back at the box's edges; a single fix as far as 30 km/h takes a driver reporting every
-- 4 s (33 m), a batch's fixes as far as their 20 ms apart.
local LAT_MIN, LAT_MAX, LNG_MIN, LNG_MAX = 10.70, 10.90, 106.60, 106.80
local M_PER_DEG_LAT = 111195
local M_PER_DEG_LNG = M_PER_DEG_LAT * math.cos(math.rad((LAT_MIN + LAT_MAX) / 2))
local SPEED_MS = 30 / 3.6
local fleet = {}
local function move(driver, stepM)
  local d = fleet[driver]
  if d == nil then
    d = { lat = LAT_MIN + math.random() * (LAT_MAX - LAT_MIN), lng = LNG_MIN + math.random() * (LNG_MAX - LNG_MIN), heading = math.random() * 2 * math.pi }
    fleet[driver] = d
  end
  local heading = d.heading + (math.random() - 0.5) * (math.pi / 3)
  local lat = d.lat + math.cos(heading) * stepM / M_PER_DEG_LAT
  local lng = d.lng + math.sin(heading) * stepM / M_PER_DEG_LNG
  if lat < LAT_MIN or lat > LAT_MAX then
    lat = (lat < LAT_MIN) and (2 * LAT_MIN - lat) or (2 * LAT_MAX - lat)
    heading = math.pi - heading
  end
  if lng < LNG_MIN or lng > LNG_MAX then
    lng = (lng < LNG_MIN) and (2 * LNG_MIN - lng) or (2 * LNG_MAX - lng)
    heading = -heading
  end
  d.lat, d.lng, d.heading = lat, lng, heading
  return lat, lng
end
local function point(driver, stepM, ms)
  local lat, lng = move(driver, stepM)
  return string.format('{"lat":%.7f,"lng":%.7f,"speedKmh":30,"recordedAt":"%s"}', lat, lng, iso(ms))
end

local mode = os.getenv("WRK_MODE") or "single"
local tokens = {}
for line in io.lines(os.getenv("WRK_TOKENS_FILE")) do
  if #line > 0 then tokens[#tokens + 1] = line end
end
local turn = 0

init = function(args)
  math.randomseed(nowMs())
end

request = function()
  turn = turn + 1
  local driver = (turn % #tokens) + 1
  local headers = {
    ["Authorization"] = "Bearer " .. tokens[driver],
    ["Content-Type"] = "application/json",
  }
  if mode == "single" then
    return wrk.format("PUT", "/api/v1/drivers/me/location", headers, point(driver, SPEED_MS * 4, nowMs()))
  end
  local start = nowMs() - 2000
  local points = {}
  for i = 0, 99 do points[i + 1] = point(driver, SPEED_MS * 0.02, start + i * 20) end
  return wrk.format("POST", "/api/v1/drivers/me/locations", headers, '{"points":[' .. table.concat(points, ",") .. "]}")
end
