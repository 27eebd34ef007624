"""The Lua scripts of :class:`bot.report.redis_store.RedisReportStore`.

Every write that must stay consistent with the org report's rollups runs as one script, so a
record, its compact *fact* (:mod:`bot.report.org_cells`) and the rollup counts derived from that
fact change together. A script never re-encodes a number it was given (Lua's ``tostring`` would
round it); the only numbers it computes are integer day/hour indexes and millisecond sums.

Idempotence: each record keeps its current fact (``org_runs_m``/``org_jobs_m``: id → fact), so
an update first takes the old fact's counts out of the rollups and then adds the new one's; a
re-delivery of an unchanged record changes nothing. A counter that comes back to zero is deleted,
so rollups stay as small as the history they describe.

Fact fields, separated by ``\\x1f`` (see ``encode_run_fact``/``encode_job_fact``):

* run: run_id, repo_id, workflow, outcome, seconds, event, branch, at, conclusion, no_start,
  skew, duration bucket;
* job: job_id, labels, group, queue bucket, seconds, no_labels, skew.
"""

from __future__ import annotations

#: Shared helpers. ``split`` cuts a fact into its fields; ``bump`` adds to a counter and drops
#: it at zero.
_COMMON = """
local function split(fact)
  local f = {}
  for part in string.gmatch(fact .. '\\31', '([^\\31]*)\\31') do f[#f + 1] = part end
  return f
end
local function bump(key, field, by)
  if by ~= 0 and redis.call('HINCRBY', key, field, by) == 0 then redis.call('HDEL', key, field) end
end
"""

#: Runs: adds (sign 1) or removes (-1) one run fact's counts in its repository's day rollup
#: ``days`` and its entry in ``pushes`` (decided non-PR runs, the default-branch timeline).
#: Day rollup fields (all integers)::
#:
#:   c␟repo_id␟workflow␟day␟outcome␟bucket   runs
#:   m␟repo_id␟workflow␟day␟outcome␟has      milliseconds of completed runs (has: bucket ≠ -1)
#:   p␟branch␟day                            push runs
#:   q␟day / k␟day                           completed without a start / clock skew
_ROLL_RUN = """
local function roll_run(days, pushes, fact, created, sign)
  local f = split(fact)
  local day = string.format('%d', math.floor(tonumber(created) / 86400))
  local cell = f[2] .. '\\31' .. f[3] .. '\\31' .. day .. '\\31' .. f[4]
  bump(days, 'c\\31' .. cell .. '\\31' .. f[12], sign)
  if f[5] ~= '' then
    local has = '1'
    if f[12] == '-1' then has = '0' end
    local ms = math.floor(tonumber(f[5]) * 1000 + 0.5)
    bump(days, 'm\\31' .. cell .. '\\31' .. has, sign * ms)
  end
  if f[6] == 'push' and f[7] ~= '' then bump(days, 'p\\31' .. f[7] .. '\\31' .. day, sign) end
  if f[10] == '1' then bump(days, 'q\\31' .. day, sign) end
  if f[11] == '1' then bump(days, 'k\\31' .. day, sign) end
  if f[6] ~= 'pull_request' and (f[4] == 's' or f[4] == 'f') then
    local member = f[1] .. '\\31' .. f[7] .. '\\31' .. f[3] .. '\\31' .. f[9] .. '\\31' .. f[8]
    if sign > 0 then
      redis.call('ZADD', pushes, created, member)
    else
      redis.call('ZREM', pushes, member)
    end
  end
end
"""

#: KEYS: runs, runs_meta, runs_queue, runs_t, org_runs_m, org_ids, org_run_days, org_pushes.
#: ARGV: groups of (run_id, attempt, updated_at or 0, created_at, json, queue_s or "", fact,
#: repo_id or ""). An older attempt (or an older update of the same attempt) never wins.
UPSERT_RUNS = (
    _COMMON
    + _ROLL_RUN
    + """
local n = 0
for i = 1, #ARGV, 8 do
  local id, attempt, upd = ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
  local created, fact = ARGV[i + 3], ARGV[i + 6]
  local win = true
  local meta = redis.call('HGET', KEYS[2], id)
  if meta then
    local sp = string.find(meta, ' ', 1, true)
    local oa, ou = tonumber(string.sub(meta, 1, sp - 1)), tonumber(string.sub(meta, sp + 1))
    win = attempt > oa or (attempt == oa and upd >= ou)
  end
  if win then
    local old = redis.call('HGET', KEYS[5], id)
    local old_created = redis.call('ZSCORE', KEYS[4], id)
    if not (old == fact and old_created and tonumber(old_created) == tonumber(created)) then
      if old and old_created then roll_run(KEYS[7], KEYS[8], old, old_created, -1) end
      roll_run(KEYS[7], KEYS[8], fact, created, 1)
      redis.call('HSET', KEYS[5], id, fact)
    end
    redis.call('HSET', KEYS[1], id, ARGV[i + 4])
    redis.call('HSET', KEYS[2], id, ARGV[i + 1] .. ' ' .. ARGV[i + 2])
    redis.call('ZADD', KEYS[4], created, id)
    if ARGV[i + 5] ~= '' then redis.call('HSET', KEYS[3], id, ARGV[i + 5]) end
    n = n + 1
  end
  local seen = redis.call('HGET', KEYS[6], ARGV[i + 7])
  if (not seen) or tonumber(seen) < tonumber(created) then
    redis.call('HSET', KEYS[6], ARGV[i + 7], created)
  end
end
return n
"""
)


def _prune_facts(roll: str, roll_call: str) -> str:
    """A script that takes the facts scored before ARGV[1] in KEYS[1] (facts in hash KEYS[2]) out
    of their rollups with ``roll_call`` (a Lua call on ``fact`` and ``score``), then drops them."""
    return (
        _COMMON
        + roll
        + """
local members = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1], 'WITHSCORES')
local n = 0
for i = 1, #members, 2 do
  local fact = redis.call('HGET', KEYS[2], members[i])
  if fact then
    local score = members[i + 1]
    """
        + roll_call
        + """
    redis.call('HDEL', KEYS[2], members[i])
    n = n + 1
  end
end
return n
"""
    )


#: KEYS: runs_t, org_runs_m, org_run_days, org_pushes. ARGV: cutoff. Takes the counts of runs
#: created before the cutoff out of the rollups (run before the runs themselves are pruned).
PRUNE_RUN_FACTS = _prune_facts(_ROLL_RUN, "roll_run(KEYS[3], KEYS[4], fact, score, -1)")

#: Jobs: adds or removes one job fact's counts in the hour rollups: ``pool`` the owner's hash
#: ("labels␟group␟hour␟queue bucket" → jobs), ``repo`` the repository's hash (j<hour> jobs,
#: s<hour> seconds, n<hour> without labels, k<hour> clock skew, f<hour> failed), ``runners`` the
#: owner's self-hosted runners ("c|s␟labels␟group␟runner␟hour" → jobs, seconds).
_ROLL_JOB = """
local function add_seconds(key, count_field, field, value)
  if redis.call('HEXISTS', key, count_field) == 1 then
    redis.call('HINCRBYFLOAT', key, field, value)
  else
    redis.call('HDEL', key, field)  -- the group's last job went: no float residue
  end
end
local function roll_job(pool, repo, runners, fact, score, sign)
  local f = split(fact)
  local hour = string.format('%d', math.floor(tonumber(score) / 3600))
  bump(pool, f[2] .. '\\31' .. f[3] .. '\\31' .. hour .. '\\31' .. f[4], sign)
  bump(repo, 'j' .. hour, sign)
  if f[5] ~= '' then add_seconds(repo, 'j' .. hour, 's' .. hour, sign * tonumber(f[5])) end
  if f[6] == '1' then bump(repo, 'n' .. hour, sign) end
  if f[7] == '1' then bump(repo, 'k' .. hour, sign) end
  if f[8] == '1' then bump(repo, 'f' .. hour, sign) end
  if f[9] and f[9] ~= '' then
    local cell = f[2] .. '\\31' .. f[3] .. '\\31' .. f[9] .. '\\31' .. hour
    bump(runners, 'c\\31' .. cell, sign)
    if f[5] ~= '' then
      add_seconds(runners, 'c\\31' .. cell, 's\\31' .. cell, sign * tonumber(f[5]))
    end
  end
end
"""

#: KEYS: jobs, jobs_wf, jobs_steps, jobs_t, org_jobs_m, org_pool_hours (owner),
#: org_repo_hours, org_runner_hours (owner). ARGV: groups of (job_id, time or "", json,
#: workflow or "", steps or "", fact or ""). The record arrives as the tail of a JSON array
#: (its fields after the workflow); the script puts the workflow first. An empty workflow or
#: step list never overwrites a known one (as in SQLite). Only the workflow string (and, once,
#: the step list of a record of the older layout) is ever re-encoded by ``cjson``.
UPSERT_JOBS = (
    _COMMON
    + _ROLL_JOB
    + """
for i = 1, #ARGV, 6 do
  local id, score, fact = ARGV[i], ARGV[i + 1], ARGV[i + 5]
  if score == '' then score = '0' end
  local old = redis.call('HGET', KEYS[5], id)
  local old_score = redis.call('ZSCORE', KEYS[4], id)
  if not (old == fact and old_score and tonumber(old_score) == tonumber(score)) then
    if old and old_score then roll_job(KEYS[6], KEYS[7], KEYS[8], old, old_score, -1) end
    if fact ~= '' then
      roll_job(KEYS[6], KEYS[7], KEYS[8], fact, score, 1)
      redis.call('HSET', KEYS[5], id, fact)
    elseif old then
      redis.call('HDEL', KEYS[5], id)
    end
  end
  local workflow = ARGV[i + 3]
  local record = redis.call('HGET', KEYS[1], id)
  if record and string.sub(record, 1, 1) == '{' then  -- the older layout: a JSON object
    if workflow == '' then workflow = redis.call('HGET', KEYS[2], id) or '' end
    local steps = cjson.decode(record).steps
    if ARGV[i + 4] == '' and type(steps) == 'table' and #steps > 0
        and redis.call('HEXISTS', KEYS[3], id) == 0 then
      redis.call('HSET', KEYS[3], id, cjson.encode(steps))  -- step timings kept, not dropped
    end
  elseif record and workflow == '' then  -- keep the workflow the stored record knows
    workflow = cjson.decode(record)[1]
  end
  redis.call('HSET', KEYS[1], id, '[' .. cjson.encode(workflow) .. ',' .. ARGV[i + 2])
  if ARGV[i + 4] ~= '' then redis.call('HSET', KEYS[3], id, ARGV[i + 4]) end
  redis.call('ZADD', KEYS[4], score, id)
end
return #ARGV / 6
"""
)

#: KEYS: jobs_t, org_jobs_m, org_pool_hours, org_repo_hours, org_runner_hours. ARGV: cutoff. As
#: :data:`PRUNE_RUN_FACTS`, for jobs.
PRUNE_JOB_FACTS = _prune_facts(_ROLL_JOB, "roll_job(KEYS[3], KEYS[4], KEYS[5], fact, score, -1)")

#: KEYS: ckpt, ckpt_run. ARGV: repo, last_run_id or "", json.
SET_CHECKPOINT = """
local new = ARGV[2]
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  local old = redis.call('HGET', KEYS[2], ARGV[1]) or '0'
  if new == '' then new = '0' end
  if tonumber(old) > tonumber(new) then new = old end
end
if new == '' then
  redis.call('HDEL', KEYS[2], ARGV[1])
else
  redis.call('HSET', KEYS[2], ARGV[1], new)
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
"""

#: KEYS: zset, hashes... ARGV: cutoff, "1" to keep the highest-scored member.
#: Deletes members scored strictly below the cutoff (and below the max when keeping it).
PRUNE = """
local bound = ARGV[1]
if ARGV[2] == '1' then
  local top = redis.call('ZREVRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  if #top == 0 then return 0 end
  if tonumber(top[2]) < tonumber(bound) then bound = top[2] end
end
local members = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. bound)
for _, m in ipairs(members) do
  redis.call('ZREM', KEYS[1], m)
  for k = 2, #KEYS do redis.call('HDEL', KEYS[k], m) end
end
return #members
"""

#: KEYS: org_runs_m, org_run_days, org_pushes. ARGV: groups of (run_id, created_at, fact).
#: Adds runs to rollups rebuilt from scratch (the one-time migration of an older store).
ADD_RUN_FACTS = (
    _COMMON
    + _ROLL_RUN
    + """
for i = 1, #ARGV, 3 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 2])
  roll_run(KEYS[2], KEYS[3], ARGV[i + 2], ARGV[i + 1], 1)
end
return #ARGV / 3
"""
)
