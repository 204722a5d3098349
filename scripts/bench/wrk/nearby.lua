-- GET /api/v1/drivers/nearby (3 km, 10 nearest, car4) around random points of the benchmark's box
-- (lat 10.70-10.90, lng 106.60-106.80), as one passenger (WRK_TOKEN); see scripts/bench/nearbyLoad.ts.
dofile("scripts/bench/wrk/report.lua")

local headers = { ["Authorization"] = "Bearer " .. os.getenv("WRK_TOKEN") }

init = function(args)
  math.randomseed(os.time())
end

request = function()
  local path = string.format("/api/v1/drivers/nearby?lat=%.6f&lng=%.6f&radiusM=3000&limit=10&vehicleType=car4",
    10.70 + math.random() * 0.2, 106.60 + math.random() * 0.2)
  return wrk.format("GET", path, headers)
end
