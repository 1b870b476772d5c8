-- wrk script for bench/run: POSTs one JSON body, optionally on a fixed open-loop schedule.
--   BENCH_BODY     file holding the request body (required)
--   BENCH_HEADERS  extra headers, "Name: value|Name2: value2"
--   BENCH_RATE     requests/s for the whole run (0 or unset: closed loop, as fast as the connections go)
--   BENCH_THREADS  must equal wrk's -t (the rate is split evenly between threads)
-- At the end it prints one line "BENCH_JSON {...}" with the figures bench/run reads.

local function slurp(path)
  local f = assert(io.open(path, "rb"), "cannot open BENCH_BODY " .. tostring(path))
  local text = f:read("*a")
  f:close()
  return text
end

wrk.method = "POST"
wrk.body = slurp(os.getenv("BENCH_BODY"))
wrk.headers["Content-Type"] = "application/json"
for pair in string.gmatch(os.getenv("BENCH_HEADERS") or "", "[^|]+") do
  local name, value = pair:match("^%s*([^:]-)%s*:%s*(.-)%s*$")
  if name and name ~= "" then wrk.headers[name] = value end
end

-- Schedule bookkeeping lives in each thread's Lua state; done() reads it through the thread handles.
late_sends = 0      -- requests sent more than 1 ms behind their slot (no idle connection was free)
late_max_ms = 0     -- worst lateness seen
local all_threads = {}
function setup(thread) all_threads[#all_threads + 1] = thread end

local rate = tonumber(os.getenv("BENCH_RATE") or "0") or 0
if rate > 0 then
  local ffi = require("ffi")
  ffi.cdef [[
    struct bench_timespec { long sec; long nsec; };
    int clock_gettime(int clock_id, struct bench_timespec *tp);
  ]]
  local CLOCK_MONOTONIC = 1
  local ts = ffi.new("struct bench_timespec")
  local function monotonic_ms()
    ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
    return tonumber(ts.sec) * 1e3 + tonumber(ts.nsec) / 1e6
  end
  local per_thread = tonumber(os.getenv("BENCH_THREADS") or "1") or 1
  local gap_ms = 1e3 * per_thread / rate
  local next_slot = nil
  -- wrk asks for a delay each time a connection is free to send; hand out the next slot of an absolute
  -- timetable, so the rate does not drift with the latency of the target.
  function delay()
    local now = monotonic_ms()
    next_slot = (next_slot or now) + gap_ms
    local wait = next_slot - now
    if wait >= 0 then return math.floor(wait + 0.5) end
    if -wait > 1 then
      late_sends = late_sends + 1
      if -wait > late_max_ms then late_max_ms = -wait end
    end
    return 0
  end
end

function done(summary, latency, requests)
  local late, late_max = 0, 0
  for _, t in ipairs(all_threads) do
    late = late + (tonumber(t:get("late_sends")) or 0)
    late_max = math.max(late_max, tonumber(t:get("late_max_ms")) or 0)
  end
  local e = summary.errors
  local secs = summary.duration / 1e6
  local us = function(p) return latency:percentile(p) / 1e3 end
  io.write(string.format(
    'BENCH_JSON {"reqs":%d,"secs":%.3f,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,' ..
    '"p999_ms":%.3f,"max_ms":%.3f,"mean_ms":%.3f,"errors":%d,"connect_errors":%d,"read_errors":%d,' ..
    '"write_errors":%d,"timeouts":%d,"non2xx":%d,"late_sends":%d,"late_max_ms":%.1f,"target_rps":%s}\n',
    summary.requests, secs, summary.requests / secs, us(50), us(90), us(99), us(99.9),
    latency.max / 1e3, latency.mean / 1e3, e.connect + e.read + e.write + e.timeout,
    e.connect, e.read, e.write, e.timeout, e.status, late, late_max, tostring(rate)))
end
