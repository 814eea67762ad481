-- SPDX-License-Identifier: Apache-2.0
-- wrk script: replays the pre-signed requests bench/wrk_requests.cpp wrote, each exactly
-- once. Every thread takes its own slice of the file, so no nonce is sent twice.
-- Run: wrk -t2 -c64 -d10s --latency -s bench/wrk/signed.lua URL REQUESTS_FILE 2
-- (the last argument: the thread count, the same as -t).
-- A thread that runs out of requests starts its slice again; the server refuses those
-- replays (409), so they show up among the non-200 answers and as "wrapped".

local threads = {}
local next_id = 0

function setup(thread)
   thread:set("id", next_id)
   next_id = next_id + 1
   table.insert(threads, thread)
end

function init(args)
   local file = args[1]
   local thread_count = tonumber(args[2] or "1")
   local f = assert(io.open(file, "rb"))
   local header = f:read("*l")
   local count, size = header:match("^seba%-wrk%-requests (%d+) (%d+)$")
   assert(count, file .. " is not a wrk_requests file")
   count, size = tonumber(count), tonumber(size)
   per_thread = math.floor(count / thread_count)
   record = size
   f:seek("set", #header + 1 + id * per_thread * size)
   data = f:read(per_thread * size)
   f:close()
   assert(data and #data == per_thread * size, file .. " is shorter than its header says")
   index = 0
   wrapped = 0
   non200 = 0
   statuses = ""
   by_status = {}
end

function request()
   if index == per_thread then
      index = 0
      wrapped = wrapped + 1
   end
   local offset = index * record
   index = index + 1
   return data:sub(offset + 1, offset + record)
end

function response(status, headers, body)
   if status ~= 200 then
      non200 = non200 + 1
      by_status[status] = (by_status[status] or 0) + 1
      local parts = {}
      for code, n in pairs(by_status) do table.insert(parts, code .. "x" .. n) end
      statuses = table.concat(parts, " ")
   end
end

function done(summary, latency, requests)
   local non200_total, wrapped_total, sent = 0, 0, 0
   local codes = {}
   for _, thread in ipairs(threads) do
      non200_total = non200_total + thread:get("non200")
      wrapped_total = wrapped_total + thread:get("wrapped")
      local s = thread:get("statuses")
      if s ~= "" then table.insert(codes, s) end
   end
   local seconds = summary.duration / 1e6
   local e = summary.errors
   io.write(string.format("seba: requests %d in %.2f s: %.0f/s\n", summary.requests, seconds,
                          summary.requests / seconds))
   io.write(string.format("seba: latency ms p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.2f\n",
                          latency:percentile(50) / 1000, latency:percentile(90) / 1000,
                          latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
                          latency.max / 1000))
   io.write(string.format("seba: non-200 %d (%s); socket errors connect %d read %d write %d " ..
                          "timeout %d; slices wrapped %d\n", non200_total,
                          #codes > 0 and table.concat(codes, " ") or "none", e.connect, e.read,
                          e.write, e.timeout, wrapped_total))
end
