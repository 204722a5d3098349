-- Drivers' location updates (see scripts/bench/locationLoad.ts, the autocannon form): each request
-- signs as the next driver in turn. WRK_MODE=single: PUT /drivers/me/location, one fix recorded
-- now; WRK_MODE=batch: POST /drivers/me/locations, the last two seconds' 100 fixes, 20 ms apart.
-- WRK_TOKENS_FILE: the drivers' access tokens, one per line. Fixes are uniform over the
-- benchmark's box (lat 10.70-10.90, lng 106.60-106.80).
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
local function point(ms)
  return string.format('{"lat":%.7f,"lng":%.7f,"speedKmh":32,"recordedAt":"%s"}',
    10.70 + math.random() * 0.2, 106.60 + math.random() * 0.2, iso(ms))
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
  local headers = {
    ["Authorization"] = "Bearer " .. tokens[(turn % #tokens) + 1],
    ["Content-Type"] = "application/json",
  }
  if mode == "single" then
    return wrk.format("PUT", "/api/v1/drivers/me/location", headers, point(nowMs()))
  end
  local start = nowMs() - 2000
  local points = {}
  for i = 0, 99 do points[i + 1] = point(start + i * 20) end
  return wrk.format("POST", "/api/v1/drivers/me/locations", headers, '{"points":[' .. table.concat(points, ",") .. "]}")
end
