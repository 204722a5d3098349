-- Prints wrk's result as one JSON line (read by scripts/bench/wrk.ts).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"total":%d,"durationUs":%d,"non2xx":%d,"errors":%d,"p50Us":%d,"p99Us":%d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
