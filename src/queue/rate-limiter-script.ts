/**
 * The Lua side of the fleet-wide rate limiter (see rate-limiter.ts for the design). One script call
 * checks — and, in `acquire` mode, records — every limit of a send atomically, so two processes can
 * never both take the last slot of a window, and a send never holds one limit while waiting for
 * another.
 *
 * KEYS: four per limit, in order: the log (sorted set of admitted sends, score = admission time in
 * ms), the cool-down ("no sends before", ms), the slot pointer (the last slot handed to a waiter),
 * the pacing clock (GCRA's theoretical arrival time).
 * ARGV: mode ('peek' | 'acquire'), member (unique per call), horizon ms, reserved ('1' when the caller
 * holds a slot handed out earlier), margin ms, late ms (how much later than usual this send may
 * leave: see below), loose ms (how late a loose admission may leave: see the admitted branch), then
 * per limit: limit, window ms, kind ('r' rate | 'p' pair), burst (how many sends a rate limit lets
 * go back to back).
 *
 * Late sends: the margin covers the usual time between an admission and the provider's arrival. A
 * send that is allowed to leave up to `late` ms later than that (the caller's escalated write
 * deadline, dispatch/admission.ts) may reach the provider anywhere from now to now + late: it is
 * recorded as if admitted `late` ms from now, so its log entry stays in every later send's window
 * as long as the provider can still count it, and its own check counts every entry from one window
 * before now on — including entries recorded ahead of now by other late sends. Recorded at
 * admission time, a request written 100 ms after it could share a provider second with sends
 * admitted after its entry had left the window (measured: 51 arrivals in a sliding second under a
 * limit of 50); checked only from its late moment back, one written early could share a second with
 * the sends just before it (measured: 502 writes in a sliding second under a limit of 500, every
 * one within its write deadline).
 * Returns {admitted 0|1, wait ms, slotted 0|1, binding, tight 0|1, admitted at, recorded after}:
 * `binding` is the 1-based index of the limit that set the wait (0 when admitted), so the caller can
 * say which limit held a send back; `tight` says an admission was taken where a limit is in use (see
 * the admitted branch); `admitted at` is Redis' clock at the admission, in ms, and `recorded after`
 * how far after it the admission was recorded (late or loose), both as strings (Lua numbers reach
 * the caller as integers). The caller's write deadline is the admission plus its usual lag plus
 * `recorded after`: a request never reaches the provider later than its entry's score allows for.
 *
 * Time is Redis' own clock (TIME): every worker process, on any machine, measures the same windows.
 */
export const RATE_LIMIT_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local mode = ARGV[1]
local member = ARGV[2]
local horizon = tonumber(ARGV[3])
local reserved = ARGV[4] == '1'
local margin = tonumber(ARGV[5])
local at = now + tonumber(ARGV[6])
local loose = tonumber(ARGV[7])
local n = #KEYS / 4
local limits, windows, kinds, intervals, tats, saturated, counts = {}, {}, {}, {}, {}, {}, {}
local hardWait = 0
local binding = 0

-- The hard check: a sliding window per limit. Entries older than the window are dropped; when the
-- window already holds 'limit' entries, the caller must wait until the oldest of the last 'limit'
-- leaves it. No fixed buckets, so no 2x burst at a bucket edge.
-- Pacing (rate limits only): GCRA. Sends are spaced window/limit apart, with up to 'burst' back to
-- back to catch up after a late one. Without it the window would let all 'limit' sends go in the
-- same millisecond; they then reach the provider smeared over the next few hundred ms (sockets,
-- event loops, the provider's own queue) and bunch up with the next window's — the provider would
-- count more than 'limit' in one of its seconds although we never admitted more in one of ours.
for i = 1, n do
  local log = KEYS[4 * i - 3]
  local base = 7 + 4 * (i - 1)
  limits[i] = tonumber(ARGV[base + 1])
  windows[i] = tonumber(ARGV[base + 2]) + margin
  kinds[i] = ARGV[base + 3]
  intervals[i] = windows[i] / limits[i]
  redis.call('ZREMRANGEBYSCORE', log, '-inf', now - windows[i])
  -- Every entry from now - window on counts, those recorded ahead of now (late sends) too.
  local count = redis.call('ZCARD', log)
  counts[i] = count
  local wait = 0
  if count >= limits[i] then
    local oldest = redis.call('ZRANGE', log, count - limits[i], count - limits[i], 'WITHSCORES')
    wait = tonumber(oldest[2]) + windows[i] - now
  end
  if kinds[i] == 'r' then
    tats[i] = tonumber(redis.call('GET', KEYS[4 * i]) or '0')
    local paced = tats[i] - (tonumber(ARGV[base + 4]) - 1) * intervals[i] - now
    if paced > wait then wait = paced end
  end
  local coolUntil = tonumber(redis.call('GET', KEYS[4 * i - 2]) or '0')
  if coolUntil > now and coolUntil - now > wait then wait = coolUntil - now end
  if wait > 0 and kinds[i] == 'r' then saturated[i] = true end
  if wait > hardWait then
    hardWait = wait
    binding = i
  end
end

if hardWait <= 0 then
  -- 'tight': some limit of this send is in use — a pair limit always, a rate limit when its window
  -- now holds more than half its limit or its pacing is running ahead of now. A tight admission must
  -- be written within the caller's usual lag (plus its announced lateness). A loose one may leave up
  -- to 'loose' ms later and is recorded that far ahead, as a late send is: a channel far below its
  -- limits does not give admissions back for a stall of a few tens of ms, yet a request admitted as a
  -- campaign starts on an idle channel and written 30–140 ms later (a cold process; measured at
  -- 500/s: 13 of 50 loose admissions in a run) stays counted for as long as the provider can count
  -- it — without this, 501 requests left in one sliding second under a limit of 500.
  local tight = 0
  for i = 1, n do
    if kinds[i] == 'p' or counts[i] + 1 > limits[i] / 2 or tats[i] > now then tight = 1 end
  end
  if tight == 0 and now + loose > at then at = now + loose end
  if mode == 'acquire' then
    for i = 1, n do
      redis.call('ZADD', KEYS[4 * i - 3], at, member)
      redis.call('PEXPIRE', KEYS[4 * i - 3], math.ceil(windows[i] + at - now) + 1000)
      if kinds[i] == 'r' then
        local tat = math.max(tats[i], now) + intervals[i]
        redis.call('SET', KEYS[4 * i], string.format('%.3f', tat), 'PX', math.ceil(tat - now + windows[i]))
      end
    end
  end
  return {1, 0, 0, 0, tight, string.format('%.3f', now), string.format('%.3f', at - now)}
end

-- Refused. A caller that already holds a slot waits only for the window to free. A new caller is
-- given the next free slot on each saturated throughput limit (pointer + window/limit), so N waiters
-- come back spaced at the limit's own pace instead of all at once; slots are handed out at most
-- 'horizon' ahead — beyond it the caller comes back at the horizon without a slot and asks again.
local wait = hardWait
local slotted = 0
if not reserved then
  local capped = false
  for i = 1, n do
    if saturated[i] then
      local ptrKey = KEYS[4 * i - 1]
      local ptr = tonumber(redis.call('GET', ptrKey) or '0')
      local slot = math.max(now + hardWait, ptr + intervals[i])
      if slot - now > horizon then
        slot = now + horizon
        capped = true
      else
        redis.call('SET', ptrKey, string.format('%.3f', slot), 'PX', math.ceil(slot - now) + 1000)
      end
      if slot - now > wait then
        wait = slot - now
        binding = i
      end
      slotted = 1
    end
  end
  if capped then slotted = 0 end
end
return {0, math.ceil(wait), slotted, binding, 1}
`;

/**
 * Extends a key's cool-down to now + ARGV[1] ms (never shortens one already longer).
 * KEYS[1]: the cool-down key.
 */
export const COOL_DOWN_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local untilMs = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current >= untilMs then return 0 end
redis.call('SET', KEYS[1], string.format('%.3f', untilMs), 'PX', math.ceil(tonumber(ARGV[1])) + 1000)
return 1
`;

/**
 * Gives an admission back: removes `member` from each limit's log and, for a rate limit, moves its
 * pacing clock back one spacing (never before now), so the pacing slot the admission took is not
 * lost either. Only when the member was still in the log: a second release changes nothing.
 * KEYS: two per limit, the log and the pacing clock. ARGV: member, margin ms, then per limit:
 * limit, window ms, kind ('r' | 'p').
 */
export const RELEASE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local member = ARGV[1]
local margin = tonumber(ARGV[2])
for i = 1, #KEYS / 2 do
  local base = 2 + 3 * (i - 1)
  local removed = redis.call('ZREM', KEYS[2 * i - 1], member)
  if removed == 1 and ARGV[base + 3] == 'r' then
    local interval = (tonumber(ARGV[base + 2]) + margin) / tonumber(ARGV[base + 1])
    local tat = tonumber(redis.call('GET', KEYS[2 * i]) or '0')
    if tat > now then
      local back = math.max(now, tat - interval)
      redis.call('SET', KEYS[2 * i], string.format('%.3f', back), 'PX', math.ceil(back - now + tonumber(ARGV[base + 2]) + margin))
    end
  end
end
return 1
`;
