"""The report engine's state store on Redis, so every replica sees the same run history.

Same public API and semantics as :class:`bot.report.store.ReportStore` (synchronous, thread-safe:
redis-py's client pools connections). Layout, all keys under the hash tag ``{<namespace>}`` so a
Redis Cluster keeps them on one slot (like :class:`bot.kvstore.RedisKVStore`)::

    {ns}:report:repos                 set   every repository ever written
    {ns}:report:runs:<repo>           hash  run_id -> JSON (all fields but queue_s)
    {ns}:report:runs_meta:<repo>      hash  run_id -> "<attempt> <updated_at>" (for the compare)
    {ns}:report:runs_queue:<repo>     hash  run_id -> queue_s (kept when an update has none)
    {ns}:report:runs_t:<repo>         zset  run_id by created_at
    {ns}:report:jobs:<repo>           hash  job_id -> JSON (all fields but workflow)
    {ns}:report:jobs_wf:<repo>        hash  job_id -> workflow (an empty one never overwrites)
    {ns}:report:jobs_t:<repo>         zset  job_id by COALESCE(created_at, started_at, 0)
    {ns}:report:diag:<repo>           hash  job_id -> JSON
    {ns}:report:diag_retried:<repo>   hash  job_id -> "0" | "1" (only ever goes up)
    {ns}:report:diag_t:<repo>         zset  job_id by created_at (first write wins, as in SQLite)
    {ns}:report:retries:<repo>        hash  "<run_id>:<attempt>" -> JSON (HSETNX: dedupe)
    {ns}:report:retries_t:<repo>      zset  "<run_id>:<attempt>" by created_at
    {ns}:report:reports:<repo>        hash  report_id -> JSON (verdict, flaky)
    {ns}:report:reports_t:<repo>      zset  report_id by created_at
    {ns}:report:org_runs:<repo>       zset  compact run facts of the org report by created_at
    {ns}:report:org_runs_m:<repo>     hash  run_id -> its current fact (replaced on update)
    {ns}:report:org_ids:<repo>        hash  repository id ("" unknown) -> latest created_at
    {ns}:report:org_jobs:<repo>       zset  compact job facts by COALESCE(created_at, started_at)
    {ns}:report:org_jobs_m:<repo>     hash  job_id -> its current fact
    {ns}:report:org_pool_hours:<owner> hash "labels␟group␟hour␟queue bucket" -> jobs
    {ns}:report:org_repo_hours:<repo> hash  j|s|n|k<hour> -> jobs, seconds, unlabelled, skewed
    {ns}:report:ckpt                  hash  repo -> JSON (etag, extra, updated_at)
    {ns}:report:ckpt_run              hash  repo -> last_run_id (never goes backwards)
    {ns}:report:changed[_t]:<repo>    changed paths per head commit (bot.report.changed_paths)

Timestamps are stored as float seconds (JSON and zset scores are exact doubles), so a record
loaded from Redis equals the one loaded from SQLite. Compare-and-set writes run as Lua scripts
that never re-encode numbers (Lua's ``tostring`` would round them).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from bot.report import changed_paths
from bot.report.org_cells import encode_job_fact, encode_run_fact, job_fact, run_fact
from bot.report.org_redis import (
    PRUNE_FACTS,
    PRUNE_JOB_FACTS,
    UPSERT_JOB_FACT,
    RedisOrgSource,
    owner_of,
)
from bot.report.records import JobRecord, RunRecord
from bot.report.store import Checkpoint, Diagnosis, ReportEntry, Retry, _dt, _now, _ts

log = logging.getLogger(__name__)

__all__ = ["RedisReportStore"]

_CHUNK = 500

#: KEYS: runs, runs_meta, runs_queue, runs_t. ARGV: groups of
#: (run_id, attempt, updated_at or 0, created_at, json, queue_s or "").
_UPSERT_RUNS = """
local n = 0
for i = 1, #ARGV, 8 do
  local id, attempt, upd = ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
  local win = true
  local meta = redis.call('HGET', KEYS[2], id)
  if meta then
    local sp = string.find(meta, ' ', 1, true)
    local oa, ou = tonumber(string.sub(meta, 1, sp - 1)), tonumber(string.sub(meta, sp + 1))
    win = attempt > oa or (attempt == oa and upd >= ou)
  end
  if win then
    redis.call('HSET', KEYS[1], id, ARGV[i + 4])
    redis.call('HSET', KEYS[2], id, ARGV[i + 1] .. ' ' .. ARGV[i + 2])
    redis.call('ZADD', KEYS[4], ARGV[i + 3], id)
    if ARGV[i + 5] ~= '' then redis.call('HSET', KEYS[3], id, ARGV[i + 5]) end
    local old = redis.call('HGET', KEYS[6], id)
    if old then redis.call('ZREM', KEYS[5], old) end
    redis.call('ZADD', KEYS[5], ARGV[i + 3], ARGV[i + 6])
    redis.call('HSET', KEYS[6], id, ARGV[i + 6])
    n = n + 1
  end
  local seen = redis.call('HGET', KEYS[7], ARGV[i + 7])
  if (not seen) or tonumber(seen) < tonumber(ARGV[i + 3]) then
    redis.call('HSET', KEYS[7], ARGV[i + 7], ARGV[i + 3])
  end
end
return n
"""

#: KEYS: ckpt, ckpt_run. ARGV: repo, last_run_id or "", json.
_SET_CHECKPOINT = """
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
_PRUNE = """
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


def _f(value: float | None) -> str:
    return repr(float(value)) if value is not None else ""


def _score(since: datetime | None) -> str:
    return repr(_ts(since)) if since is not None else "-inf"


def _loads(raw: bytes | None) -> Any:
    return json.loads(raw) if raw is not None else None


class RedisReportStore:
    """:class:`~bot.report.store.ReportStore` on Redis, shared by every replica."""

    def __init__(self, url: str, namespace: str) -> None:
        import redis

        # Any: redis-py types replies as unions that depend on decode_responses (off here).
        self._redis: Any = redis.Redis.from_url(url)
        self.namespace = namespace
        self._prefix = f"{{{namespace}}}:report:"
        self._upsert_runs = self._redis.register_script(_UPSERT_RUNS)
        self._set_checkpoint = self._redis.register_script(_SET_CHECKPOINT)
        self._prune = self._redis.register_script(_PRUNE)
        self._upsert_job_fact = self._redis.register_script(UPSERT_JOB_FACT)
        self._prune_job_facts = self._redis.register_script(PRUNE_JOB_FACTS)
        self._prune_facts = self._redis.register_script(PRUNE_FACTS)

    def close(self) -> None:
        self._redis.close()

    def __enter__(self) -> RedisReportStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- keys -----------------------------------------------------------------------
    def _k(self, kind: str, repo: str | None = None) -> str:
        return f"{self._prefix}{kind}" if repo is None else f"{self._prefix}{kind}:{repo}"

    def _all_repos(self) -> list[str]:
        return sorted(m.decode() for m in self._redis.smembers(self._k("repos")))

    def _targets(self, repo: str | None) -> list[str]:
        return [repo] if repo is not None else self._all_repos()

    def _range(
        self, data: str, zset: str, repos: list[str], since: datetime | None, *extra: str
    ) -> list[tuple[str, list[tuple[bytes, float, list[Any]]]]]:
        """Per repo: (member, score, [HMGET of data and extra hashes]) for members since."""
        if not repos:
            return []
        pipe = self._redis.pipeline(transaction=False)
        for repo in repos:
            pipe.zrangebyscore(self._k(zset, repo), _score(since), "+inf", withscores=True)
        ranges = pipe.execute()
        pipe = self._redis.pipeline(transaction=False)
        wanted = []
        for repo, members in zip(repos, ranges, strict=True):
            if not members:
                continue
            ids = [m for m, _ in members]
            for kind in (data, *extra):
                pipe.hmget(self._k(kind, repo), ids)
            wanted.append((repo, members))
        values = pipe.execute() if wanted else []
        width = 1 + len(extra)
        out = []
        for index, (repo, members) in enumerate(wanted):
            columns = values[index * width : (index + 1) * width]
            rows = [
                (member, score, [col[i] for col in columns])
                for i, (member, score) in enumerate(members)
                if columns[0][i] is not None  # deleted between the two round trips
            ]
            out.append((repo, rows))
        return out

    # --- runs ----------------------------------------------------------------------
    def upsert_runs(self, runs: Iterable[RunRecord]) -> int:
        """Insert or update runs; an older attempt never overwrites a newer one."""
        by_repo: dict[str, list[RunRecord]] = {}
        count = 0
        for r in runs:
            by_repo.setdefault(r.repo, []).append(r)
            count += 1
        if not count:
            return 0
        self._redis.sadd(self._k("repos"), *by_repo)
        for repo, records in by_repo.items():
            kinds = (
                "runs",
                "runs_meta",
                "runs_queue",
                "runs_t",
                "org_runs",
                "org_runs_m",
                "org_ids",
            )
            keys = [self._k(k, repo) for k in kinds]
            for start in range(0, len(records), _CHUNK):
                args: list[Any] = []
                for r in records[start : start + _CHUNK]:
                    data = {
                        "run_id": r.run_id, "workflow": r.workflow, "status": r.status,
                        "conclusion": r.conclusion, "event": r.event, "branch": r.branch,
                        "head_sha": r.head_sha, "attempt": r.attempt,
                        "created_at": _ts(r.created_at), "run_started_at": _ts(r.run_started_at),
                        "updated_at": _ts(r.updated_at), "duration_s": r.duration_s,
                        "workflow_id": r.workflow_id, "run_number": r.run_number,
                        "pull_requests": list(r.pull_requests), "repo_id": r.repo_id,
                    }  # fmt: skip
                    args += [
                        r.run_id,
                        int(r.attempt),
                        _f(_ts(r.updated_at)) or "0.0",
                        _f(_ts(r.created_at)),
                        json.dumps(data),
                        _f(r.queue_s),
                        encode_run_fact(run_fact(r)),
                        "" if r.repo_id is None else str(r.repo_id),
                    ]
                self._upsert_runs(keys=keys, args=args)
        return count

    def upsert_run(self, run: RunRecord) -> None:
        self.upsert_runs([run])

    def load_runs(self, repo: str | None = None, since: datetime | None = None) -> list[RunRecord]:
        """Runs created at or after ``since`` (all repos when ``repo`` is None), oldest first."""
        out: list[RunRecord] = []
        for name, rows in self._range("runs", "runs_t", self._targets(repo), since, "runs_queue"):
            for _, _, (raw, queue) in rows:
                d = json.loads(raw)
                out.append(
                    RunRecord(
                        repo=name, run_id=d["run_id"], workflow=d["workflow"],
                        status=d["status"], conclusion=d["conclusion"], event=d["event"],
                        branch=d["branch"], head_sha=d["head_sha"], attempt=d["attempt"],
                        created_at=_dt(d["created_at"]),
                        run_started_at=_dt(d["run_started_at"]), updated_at=_dt(d["updated_at"]),
                        duration_s=d["duration_s"],
                        queue_s=float(queue) if queue is not None else None,
                        workflow_id=d["workflow_id"], run_number=d["run_number"],
                        pull_requests=tuple(d["pull_requests"]), repo_id=d.get("repo_id"),
                    )
                )  # fmt: skip
        out.sort(key=lambda r: (r.created_at, r.run_id))
        return out

    def repos(self) -> list[str]:
        names = self._all_repos()
        pipe = self._redis.pipeline(transaction=False)
        for name in names:
            pipe.zcard(self._k("runs_t", name))
        return [n for n, size in zip(names, pipe.execute() if names else [], strict=True) if size]

    # --- jobs ----------------------------------------------------------------------
    def upsert_jobs(self, jobs: Iterable[JobRecord]) -> int:
        """Insert or update jobs by job id (a job id is unique per attempt)."""
        jobs = list(jobs)
        # One MULTI per chunk: a back-fill of thousands of jobs never blocks Redis for long.
        for start in range(0, len(jobs), _CHUNK):
            self._upsert_job_chunk(jobs[start : start + _CHUNK])
        return len(jobs)

    def _upsert_job_chunk(self, jobs: list[JobRecord]) -> None:
        pipe = self._redis.pipeline(transaction=True)
        pipe.sadd(self._k("repos"), *{j.repo for j in jobs})
        for j in jobs:
            data = {
                "run_id": j.run_id, "job_id": j.job_id, "name": j.name, "status": j.status,
                "conclusion": j.conclusion, "attempt": j.attempt,
                "created_at": _ts(j.created_at), "started_at": _ts(j.started_at),
                "completed_at": _ts(j.completed_at), "duration_s": j.duration_s,
                "queue_s": j.queue_s, "labels": list(j.labels), "runner_name": j.runner_name,
                "head_branch": j.head_branch, "head_sha": j.head_sha,
                "steps": [list(s) for s in j.steps],
                "runner_group_name": j.runner_group_name,
            }  # fmt: skip
            when = _ts(j.created_at) if j.created_at is not None else _ts(j.started_at)
            pipe.hset(self._k("jobs", j.repo), str(j.job_id), json.dumps(data))
            if j.workflow != "":
                pipe.hset(self._k("jobs_wf", j.repo), str(j.job_id), j.workflow)
            pipe.zadd(self._k("jobs_t", j.repo), {str(j.job_id): when if when is not None else 0})
            if when is not None:
                keys = [
                    self._k("org_jobs", j.repo), self._k("org_jobs_m", j.repo),
                    self._k("org_pool_hours", owner_of(j.repo)), self._k("org_repo_hours", j.repo),
                ]  # fmt: skip
                fact = encode_job_fact(job_fact(j))
                self._upsert_job_fact(keys=keys, args=[j.job_id, repr(when), fact], client=pipe)
        pipe.execute()

    def upsert_job(self, job: JobRecord) -> None:
        self.upsert_jobs([job])

    def load_jobs(self, repo: str | None = None, since: datetime | None = None) -> list[JobRecord]:
        """Jobs (with their diagnosis category, if any) whose job or run started since ``since``."""
        out: list[JobRecord] = []
        ranges = self._range("jobs", "jobs_t", self._targets(repo), since, "jobs_wf", "diag")
        for name, rows in ranges:
            for _, _, (raw, workflow, diag_raw) in rows:
                d = json.loads(raw)
                diag = _loads(diag_raw)
                out.append(
                    JobRecord(
                        repo=name, run_id=d["run_id"], job_id=d["job_id"], name=d["name"],
                        workflow=workflow.decode() if workflow is not None else "",
                        status=d["status"], conclusion=d["conclusion"], attempt=d["attempt"],
                        created_at=_dt(d["created_at"]), started_at=_dt(d["started_at"]),
                        completed_at=_dt(d["completed_at"]), duration_s=d["duration_s"],
                        queue_s=d["queue_s"], labels=tuple(d["labels"]),
                        runner_name=d["runner_name"], head_branch=d["head_branch"],
                        head_sha=d["head_sha"], category=diag["category"] if diag else None,
                        failing_tests=tuple(diag["failing_tests"]) if diag else (),
                        steps=tuple((str(n), float(s)) for n, s in d.get("steps") or ()),
                        runner_group_name=d.get("runner_group_name"),
                    )
                )  # fmt: skip
        out.sort(key=lambda j: (j.run_id, j.job_id))
        return out

    # --- diagnoses and retries ------------------------------------------------------
    def upsert_diagnosis(self, diag: Diagnosis) -> None:
        """Record (or replace) the diagnosis of one job."""
        member = str(diag.job_id)
        data = {
            "run_id": diag.run_id,
            "category": diag.category,
            "rule": diag.rule,
            "failing_tests": sorted(diag.failing_tests),
            "flaky": bool(diag.flaky),
        }
        pipe = self._redis.pipeline(transaction=True)
        pipe.sadd(self._k("repos"), diag.repo)
        pipe.hset(self._k("diag", diag.repo), member, json.dumps(data))
        if diag.retried:
            pipe.hset(self._k("diag_retried", diag.repo), member, "1")
        else:
            pipe.hsetnx(self._k("diag_retried", diag.repo), member, "0")
        # created_at is set once, like the SQLite upsert that leaves it alone on conflict
        pipe.zadd(self._k("diag_t", diag.repo), {member: _ts(diag.created_at or _now())}, nx=True)
        pipe.execute()

    def load_diagnoses(
        self, repo: str | None = None, since: datetime | None = None
    ) -> list[Diagnosis]:
        out: list[Diagnosis] = []
        for name, rows in self._range("diag", "diag_t", self._targets(repo), since, "diag_retried"):
            for member, score, (raw, retried) in rows:
                d = json.loads(raw)
                out.append(
                    Diagnosis(
                        repo=name, job_id=int(member), run_id=d["run_id"],
                        category=d["category"], rule=d["rule"],
                        failing_tests=tuple(d["failing_tests"]), flaky=bool(d["flaky"]),
                        retried=retried == b"1", created_at=_dt(score),
                    )
                )  # fmt: skip
        out.sort(key=lambda d: (d.created_at, d.job_id))
        return out

    def record_retry(self, retry: Retry) -> bool:
        """Record one automatic re-run; False if this (run, attempt) was already recorded."""
        member = f"{retry.run_id}:{retry.attempt}"
        data = json.dumps({"rule": retry.rule, "job_id": retry.job_id})
        pipe = self._redis.pipeline(transaction=True)
        pipe.sadd(self._k("repos"), retry.repo)
        pipe.hsetnx(self._k("retries", retry.repo), member, data)
        pipe.zadd(
            self._k("retries_t", retry.repo), {member: _ts(retry.created_at or _now())}, nx=True
        )
        return bool(pipe.execute()[1])

    def load_retries(self, repo: str | None = None, since: datetime | None = None) -> list[Retry]:
        out: list[tuple[tuple[float, str, int, int], Retry]] = []
        for name, rows in self._range("retries", "retries_t", self._targets(repo), since):
            for member, score, (raw,) in rows:
                d = json.loads(raw)
                run_id, attempt = (int(x) for x in member.decode().split(":"))
                rec = Retry(name, run_id, attempt, d["rule"], d["job_id"], _dt(score))
                out.append(((score, name, run_id, attempt), rec))
        out.sort(key=lambda pair: pair[0])
        return [rec for _, rec in out]

    # --- report history -------------------------------------------------------------
    def save_report(
        self,
        repo: str,
        report_id: str,
        *,
        flaky: Iterable[str] = (),
        verdict: str = "",
        created_at: datetime | None = None,
    ) -> None:
        """Remember a posted report: its id (e.g. the issue comment id), time and flaky set."""
        member = str(report_id)
        pipe = self._redis.pipeline(transaction=True)
        pipe.sadd(self._k("repos"), repo)
        pipe.hset(
            self._k("reports", repo),
            member,
            json.dumps({"verdict": verdict, "flaky": sorted(flaky)}),
        )
        pipe.zadd(self._k("reports_t", repo), {member: _ts(created_at or _now())})
        pipe.execute()

    def last_report(self, repo: str, before: datetime | None = None) -> ReportEntry | None:
        """The most recent report of ``repo`` (strictly before ``before`` if given)."""
        top = "+inf" if before is None else f"({_ts(before)!r}"
        for _ in range(3):  # retry if pruned between the two reads
            found = self._redis.zrevrangebyscore(
                self._k("reports_t", repo), top, "-inf", start=0, num=1, withscores=True
            )
            if not found:
                return None
            member, score = found[0]
            raw = self._redis.hget(self._k("reports", repo), member)
            if raw is not None:
                d = json.loads(raw)
                return ReportEntry(
                    repo, member.decode(), _dt(score), d["verdict"], frozenset(d["flaky"])
                )
        return None

    # --- back-fill checkpoints -------------------------------------------------------
    def get_checkpoint(self, repo: str) -> Checkpoint | None:
        pipe = self._redis.pipeline(transaction=True)
        pipe.hget(self._k("ckpt"), repo)
        pipe.hget(self._k("ckpt_run"), repo)
        raw, last = pipe.execute()
        if raw is None:
            return None
        d = json.loads(raw)
        return Checkpoint(
            repo,
            int(last) if last is not None else None,
            d["etag"],
            d["extra"],
            _dt(d["updated_at"]),
        )

    def set_checkpoint(
        self,
        repo: str,
        *,
        last_run_id: int | None,
        etag: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        """Move the back-fill checkpoint; ``last_run_id`` never goes backwards."""
        data = json.dumps({"etag": etag, "extra": extra or {}, "updated_at": _ts(_now())})
        self._set_checkpoint(
            keys=[self._k("ckpt"), self._k("ckpt_run")],
            args=[repo, "" if last_run_id is None else str(int(last_run_id)), data],
        )

    # --- retention ------------------------------------------------------------------
    def prune(self, older_than: datetime) -> dict[str, int]:
        """Delete history created before ``older_than``; returns rows deleted per table.

        Reports keep at least the latest entry per repo, as in the SQLite store. The whole
        prune runs as one MULTI/EXEC, so no replica sees it half done.
        """
        cutoff = repr(_ts(older_than))
        tables = {
            "runs": ("runs_t", "runs", "runs_meta", "runs_queue"),
            "jobs": ("jobs_t", "jobs", "jobs_wf"),
            "diagnoses": ("diag_t", "diag", "diag_retried"),
            "retries": ("retries_t", "retries"),
            "reports": ("reports_t", "reports"),
        }
        repos = self._all_repos()
        pipe = self._redis.pipeline(transaction=True)
        order: list[str] = []
        for repo in repos:
            for table, kinds in tables.items():
                keep = "1" if table == "reports" else "0"
                keys = [self._k(kind, repo) for kind in kinds]
                self._prune(keys=keys, args=[cutoff, keep], client=pipe)
                order.append(table)
            keys = [self._k("org_runs", repo), self._k("org_runs_m", repo)]
            self._prune_facts(keys=keys, args=[cutoff], client=pipe)
            keys = [
                self._k("org_jobs", repo), self._k("org_jobs_m", repo),
                self._k("org_pool_hours", owner_of(repo)), self._k("org_repo_hours", repo),
            ]  # fmt: skip
            self._prune_job_facts(keys=keys, args=[cutoff], client=pipe)
            order += ["", ""]
        deleted = dict.fromkeys(tables, 0)
        for table, n in zip(order, pipe.execute() if order else [], strict=True):
            if table:
                deleted[table] += int(n)
        log.info("report store pruned", extra={"deleted": deleted})
        return deleted

    def counts(self) -> dict[str, int]:
        """Row counts per table (for /status and tests)."""
        kinds = {
            "runs": "runs",
            "jobs": "jobs",
            "diagnoses": "diag",
            "retries": "retries",
            "reports": "reports",
        }
        repos = self._all_repos()
        pipe = self._redis.pipeline(transaction=False)
        for repo in repos:
            for kind in kinds.values():
                pipe.hlen(self._k(kind, repo))
        pipe.hlen(self._k("ckpt"))
        sizes = pipe.execute()
        out = dict.fromkeys(kinds, 0)
        for index, size in enumerate(sizes[:-1]):
            out[list(kinds)[index % len(kinds)]] += int(size)
        out["checkpoints"] = int(sizes[-1])
        return out

    # --- org report -----------------------------------------------------------------
    def org_source(self, owner: str | None = None) -> RedisOrgSource:
        """The org report's cells, streamed from the compact per-repository fact sets."""
        return RedisOrgSource(self._redis, self._k, self._all_repos, self.load_diagnoses, owner)

    # --- changed paths per head commit (the optimizer's paths-ignore estimate) ------------
    def record_changed_paths(self, repo: str, change: changed_paths.ChangedPaths) -> None:
        keys = (self._k("changed", repo), self._k("changed_t", repo))
        changed_paths.redis_record(self._redis, keys, change, _now())

    def load_changed_paths(self, repo: str, since: datetime) -> list[changed_paths.ChangedPaths]:
        keys = (self._k("changed", repo), self._k("changed_t", repo))
        return changed_paths.redis_load(self._redis, keys, since)
