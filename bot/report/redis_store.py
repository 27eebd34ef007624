"""The report engine's state store on Redis, so every replica sees the same run history.

Same public API and semantics as :class:`bot.report.store.ReportStore` (synchronous, thread-safe:
redis-py's client pools connections). Layout, all keys under the hash tag ``{<namespace>}`` so a
Redis Cluster keeps them on one slot (like :class:`bot.kvstore.RedisKVStore`)::

    {ns}:report:repos                 set   every repository ever written
    {ns}:report:runs:<repo>           hash  run_id -> JSON array (all fields but queue_s)
    {ns}:report:runs_meta:<repo>      hash  run_id -> "<attempt> <updated_at>" (for the compare)
    {ns}:report:runs_queue:<repo>     hash  run_id -> queue_s (kept when an update has none)
    {ns}:report:runs_t:<repo>         zset  run_id by created_at
    {ns}:report:jobs:<repo>           hash  job_id -> JSON array, the workflow first (an empty
                                            one never overwrites; older records: JSON objects
                                            without it, which is in jobs_wf)
    {ns}:report:jobs_wf:<repo>        hash  job_id -> workflow (older layout; read, not written)
    {ns}:report:jobs_t:<repo>         zset  job_id by COALESCE(created_at, started_at, 0)
    {ns}:report:diag:<repo>           hash  job_id -> JSON
    {ns}:report:diag_retried:<repo>   hash  job_id -> "0" | "1" (only ever goes up)
    {ns}:report:diag_t:<repo>         zset  job_id by created_at (first write wins, as in SQLite)
    {ns}:report:retries:<repo>        hash  "<run_id>:<attempt>" -> JSON (HSETNX: dedupe)
    {ns}:report:retries_t:<repo>      zset  "<run_id>:<attempt>" by created_at
    {ns}:report:reports:<repo>        hash  report_id -> JSON (verdict, flaky)
    {ns}:report:reports_t:<repo>      zset  report_id by created_at
    {ns}:report:jobs_steps:<repo>     hash  job_id -> JSON step timings (an empty list never
                                            overwrites; older records keep them in the JSON)
    {ns}:report:org_runs_m:<repo>     hash  run_id -> its compact fact (replaced on update)
    {ns}:report:org_run_days:<repo>   hash  day rollups of run facts (see bot.report.redis_lua)
    {ns}:report:org_pushes:<repo>     zset  decided non-PR runs "id␟branch␟workflow␟concl␟at"
                                            by created_at (the default-branch timeline)
    {ns}:report:org_ids:<repo>        hash  repository id ("" unknown) -> latest created_at
    {ns}:report:org_jobs_m:<repo>     hash  job_id -> its compact fact (jobs with a time)
    {ns}:report:org_pool_hours:<owner> hash "labels␟group␟hour␟queue bucket" -> jobs
    {ns}:report:org_repo_hours:<repo> hash  j|s|n|k|f<hour> -> jobs, seconds, unlabelled,
                                            skewed, failed
    {ns}:report:org_runner_hours:<owner> hash "c|s␟labels␟group␟runner␟hour" -> jobs, seconds
                                            of self-hosted runners
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
from bot.report.org_cells import (
    decode_run_fact,
    encode_job_fact,
    encode_run_fact,
    job_fact,
    run_fact,
)
from bot.report.org_redis import RedisOrgSource, owner_of
from bot.report.records import JobRecord, RunRecord
from bot.report.redis_lua import (
    ADD_RUN_FACTS,
    PRUNE,
    PRUNE_JOB_FACTS,
    PRUNE_RUN_FACTS,
    SET_CHECKPOINT,
    UPSERT_JOBS,
    UPSERT_RUNS,
)
from bot.report.store import Checkpoint, Diagnosis, ReportEntry, Retry, _dt, _now, _ts

log = logging.getLogger(__name__)

__all__ = ["RedisReportStore"]

#: Records per script call; a script blocks Redis while it runs, so calls stay short.
_CHUNK = 500
#: Script calls sent per pipeline round trip.
_PIPELINE = 20


#: The layout of the org report's keys; a store written before it is migrated on open.
_ORG_LAYOUT = b"2"


#: Records are JSON arrays of these fields (records of the older layout: JSON objects).
_RUN_FIELDS = (
    "run_id", "workflow", "status", "conclusion", "event", "branch", "head_sha", "attempt",
    "created_at", "run_started_at", "updated_at", "duration_s", "workflow_id", "run_number",
    "pull_requests", "repo_id",
)  # fmt: skip
_JOB_FIELDS = (
    "workflow", "run_id", "job_id", "name", "status", "conclusion", "attempt", "created_at",
    "started_at", "completed_at", "duration_s", "queue_s", "labels", "runner_name",
    "head_branch", "head_sha", "runner_group_name",
)  # fmt: skip


def _compact(values: list[Any]) -> str:
    return json.dumps(values, separators=(",", ":"))


def _record(raw: bytes, fields: tuple[str, ...]) -> dict[str, Any]:
    data = json.loads(raw)
    return dict(zip(fields, data, strict=True)) if isinstance(data, list) else dict(data)


def _by_repo(records: Iterable[Any]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for r in records:
        out.setdefault(r.repo, []).append(r)
    return out


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
        self._upsert_runs = self._redis.register_script(UPSERT_RUNS)
        self._set_checkpoint = self._redis.register_script(SET_CHECKPOINT)
        self._prune = self._redis.register_script(PRUNE)
        self._upsert_jobs = self._redis.register_script(UPSERT_JOBS)
        self._prune_job_facts = self._redis.register_script(PRUNE_JOB_FACTS)
        self._prune_run_facts = self._redis.register_script(PRUNE_RUN_FACTS)
        self._add_run_facts = self._redis.register_script(ADD_RUN_FACTS)
        if self._redis.get(self._k("org_layout")) != _ORG_LAYOUT:
            self._migrate_org_layout()

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

    def _migrate_org_layout(self) -> None:
        """Layout 1 kept every fact twice (a zset member too), had no run day rollups and facts
        without their duration bucket: rebuild each repository's rollups from its facts (from
        scratch, so an interrupted migration simply runs again), then drop the fact zsets."""
        for repo in self._all_repos():
            days, pushes = self._k("org_run_days", repo), self._k("org_pushes", repo)
            self._redis.delete(days, pushes)
            keys = [self._k("org_runs_m", repo), days, pushes]
            offset = 0
            while True:
                chunk = self._redis.zrange(
                    self._k("runs_t", repo), offset, offset + _CHUNK - 1, withscores=True
                )
                if not chunk:
                    break
                facts = self._redis.hmget(self._k("org_runs_m", repo), [m for m, _ in chunk])
                args: list[Any] = []
                for (member, created), raw in zip(chunk, facts, strict=True):
                    if raw is not None:
                        fact = decode_run_fact(repo, created, raw.decode())
                        args += [member, repr(created), encode_run_fact(fact)]
                if args:
                    self._add_run_facts(keys=keys, args=args)
                offset += _CHUNK
            self._redis.delete(self._k("org_runs", repo), self._k("org_jobs", repo))
        self._redis.set(self._k("org_layout"), _ORG_LAYOUT)

    # --- runs ----------------------------------------------------------------------
    def upsert_runs(self, runs: Iterable[RunRecord]) -> int:
        """Insert or update runs; an older attempt never overwrites a newer one."""
        return self.ingest_many(runs, ())[0]

    def ingest_many(self, runs: Iterable[RunRecord], jobs: Iterable[JobRecord]) -> tuple[int, int]:
        """Bulk upsert (a back-fill, the bench): one script call per 500 records of a repository,
        :data:`_PIPELINE` calls per round trip. Each call is atomic (record, fact and rollups
        change together); the batch as a whole is not, as with ``upsert_runs``/``upsert_jobs``."""
        pipe = self._redis.pipeline(transaction=False)
        calls = 0
        run_groups = _by_repo(runs)
        job_groups = _by_repo(jobs)
        repos = {*run_groups, *job_groups}
        if repos:
            pipe.sadd(self._k("repos"), *repos)
        for repo, records in run_groups.items():
            for start in range(0, len(records), _CHUNK):
                self._run_call(pipe, repo, records[start : start + _CHUNK])
                calls = self._flush(pipe, calls + 1)
        for repo, found in job_groups.items():
            for start in range(0, len(found), _CHUNK):
                self._job_call(pipe, repo, found[start : start + _CHUNK])
                calls = self._flush(pipe, calls + 1)
        pipe.execute()
        return sum(map(len, run_groups.values())), sum(map(len, job_groups.values()))

    def _flush(self, pipe: Any, calls: int) -> int:
        if calls < _PIPELINE:
            return calls
        pipe.execute()
        return 0

    def _run_call(self, pipe: Any, repo: str, records: list[RunRecord]) -> None:
        kinds = ("runs", "runs_meta", "runs_queue", "runs_t", "org_runs_m", "org_ids",
                 "org_run_days", "org_pushes")  # fmt: skip
        args: list[Any] = []
        for r in records:
            data = [
                r.run_id, r.workflow, r.status, r.conclusion, r.event, r.branch, r.head_sha,
                r.attempt, _ts(r.created_at), _ts(r.run_started_at), _ts(r.updated_at),
                r.duration_s, r.workflow_id, r.run_number, list(r.pull_requests), r.repo_id,
            ]  # fmt: skip
            args += [
                r.run_id, int(r.attempt), _f(_ts(r.updated_at)) or "0.0", _f(_ts(r.created_at)),
                _compact(data), _f(r.queue_s), encode_run_fact(run_fact(r)),
                "" if r.repo_id is None else str(r.repo_id),
            ]  # fmt: skip
        self._upsert_runs(keys=[self._k(k, repo) for k in kinds], args=args, client=pipe)

    def upsert_run(self, run: RunRecord) -> None:
        self.upsert_runs([run])

    def load_runs(self, repo: str | None = None, since: datetime | None = None) -> list[RunRecord]:
        """Runs created at or after ``since`` (all repos when ``repo`` is None), oldest first."""
        out: list[RunRecord] = []
        for name, rows in self._range("runs", "runs_t", self._targets(repo), since, "runs_queue"):
            for _, _, (raw, queue) in rows:
                d = _record(raw, _RUN_FIELDS)
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
        return self.ingest_many((), jobs)[1]

    def _job_call(self, pipe: Any, repo: str, jobs: list[JobRecord]) -> None:
        keys = [
            self._k(kind, repo)
            for kind in ("jobs", "jobs_wf", "jobs_steps", "jobs_t", "org_jobs_m")
        ] + [
            self._k("org_pool_hours", owner_of(repo)), self._k("org_repo_hours", repo),
            self._k("org_runner_hours", owner_of(repo)),
        ]  # fmt: skip
        args: list[Any] = []
        for j in jobs:
            rest = [
                j.run_id, j.job_id, j.name, j.status, j.conclusion, j.attempt,
                _ts(j.created_at), _ts(j.started_at), _ts(j.completed_at), j.duration_s,
                j.queue_s, list(j.labels), j.runner_name, j.head_branch, j.head_sha,
                j.runner_group_name,
            ]  # fmt: skip
            when = _ts(j.created_at) if j.created_at is not None else _ts(j.started_at)
            args += [
                j.job_id, "" if when is None else repr(when), _compact(rest)[1:], j.workflow,
                json.dumps([list(step) for step in j.steps]) if j.steps else "",
                "" if when is None else encode_job_fact(job_fact(j)),
            ]  # fmt: skip
        self._upsert_jobs(keys=keys, args=args, client=pipe)

    def upsert_job(self, job: JobRecord) -> None:
        self.upsert_jobs([job])

    def load_jobs(self, repo: str | None = None, since: datetime | None = None) -> list[JobRecord]:
        """Jobs (with their diagnosis category, if any) whose job or run started since ``since``."""
        out: list[JobRecord] = []
        ranges = self._range(
            "jobs", "jobs_t", self._targets(repo), since, "jobs_wf", "diag", "jobs_steps"
        )
        for name, rows in ranges:
            for _, _, (raw, workflow, diag_raw, steps_raw) in rows:
                d = _record(raw, _JOB_FIELDS)
                if "workflow" not in d:  # a record of the older layout: in its own hash
                    d["workflow"] = workflow.decode() if workflow is not None else ""
                steps = json.loads(steps_raw) if steps_raw is not None else d.get("steps")
                diag = _loads(diag_raw)
                out.append(
                    JobRecord(
                        repo=name, run_id=d["run_id"], job_id=d["job_id"], name=d["name"],
                        workflow=d["workflow"],
                        status=d["status"], conclusion=d["conclusion"], attempt=d["attempt"],
                        created_at=_dt(d["created_at"]), started_at=_dt(d["started_at"]),
                        completed_at=_dt(d["completed_at"]), duration_s=d["duration_s"],
                        queue_s=d["queue_s"], labels=tuple(d["labels"]),
                        runner_name=d["runner_name"], head_branch=d["head_branch"],
                        head_sha=d["head_sha"], category=diag["category"] if diag else None,
                        failing_tests=tuple(diag["failing_tests"]) if diag else (),
                        steps=tuple((str(n), float(s)) for n, s in steps or ()),
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
            "jobs": ("jobs_t", "jobs", "jobs_wf", "jobs_steps"),
            "diagnoses": ("diag_t", "diag", "diag_retried"),
            "retries": ("retries_t", "retries"),
            "reports": ("reports_t", "reports"),
        }
        repos = self._all_repos()
        pipe = self._redis.pipeline(transaction=True)
        order: list[str] = []
        for repo in repos:
            # the facts' rollup counts go first: these scripts read the time zsets
            keys = [self._k(k, repo) for k in ("runs_t", "org_runs_m", "org_run_days",
                                                "org_pushes")]  # fmt: skip
            self._prune_run_facts(keys=keys, args=[cutoff], client=pipe)
            keys = [
                self._k("jobs_t", repo), self._k("org_jobs_m", repo),
                self._k("org_pool_hours", owner_of(repo)), self._k("org_repo_hours", repo),
                self._k("org_runner_hours", owner_of(repo)),
            ]  # fmt: skip
            self._prune_job_facts(keys=keys, args=[cutoff], client=pipe)
            order += ["", ""]
            for table, kinds in tables.items():
                keep = "1" if table == "reports" else "0"
                keys = [self._k(kind, repo) for kind in kinds]
                self._prune(keys=keys, args=[cutoff, keep], client=pipe)
                order.append(table)
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
