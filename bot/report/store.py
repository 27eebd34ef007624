"""SQLite state store of the report engine: runs, jobs, diagnoses, retries, reports, checkpoints.

A plain synchronous API on purpose: the service calls it from a worker thread
(``await asyncio.to_thread(store.upsert_run, rec)``) and the CLI calls it directly. One
connection guarded by a lock, WAL mode so a reader (``pitcrew report --db``) never blocks the
service. Every write is an idempotent upsert keyed by GitHub ids, so a redelivered webhook or an
overlapping back-fill page changes nothing.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.report import changed_paths
from bot.report.records import JobRecord, RunRecord
from bot.report.sketch import bucket
from bot.report.store_org import BACKFILL_ROLLUPS, JOB_ROLLUPS, ORG_INDEXES
from bot.report.times import from_epoch, to_epoch

if TYPE_CHECKING:
    from bot.report.org_sqlite import SqliteOrgSource

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    repo TEXT NOT NULL, run_id INTEGER NOT NULL, attempt INTEGER NOT NULL,
    workflow TEXT NOT NULL, workflow_id INTEGER, run_number INTEGER,
    status TEXT NOT NULL, conclusion TEXT, event TEXT NOT NULL, branch TEXT,
    head_sha TEXT NOT NULL, created_at REAL NOT NULL, run_started_at REAL, updated_at REAL,
    duration_s REAL, queue_s REAL, pull_requests TEXT NOT NULL DEFAULT '[]',
    repo_id INTEGER, dur_b INTEGER,
    PRIMARY KEY (repo, run_id)
);
CREATE INDEX IF NOT EXISTS runs_time ON runs (repo, created_at);
CREATE TABLE IF NOT EXISTS jobs (
    repo TEXT NOT NULL, job_id INTEGER NOT NULL, run_id INTEGER NOT NULL,
    attempt INTEGER NOT NULL, name TEXT NOT NULL, workflow TEXT NOT NULL,
    status TEXT NOT NULL, conclusion TEXT, created_at REAL, started_at REAL,
    completed_at REAL, duration_s REAL, queue_s REAL, labels TEXT NOT NULL DEFAULT '[]',
    runner_name TEXT, head_branch TEXT, head_sha TEXT, steps TEXT NOT NULL DEFAULT '[]',
    runner_group TEXT, queue_b INTEGER,
    PRIMARY KEY (repo, job_id)
);
CREATE INDEX IF NOT EXISTS jobs_run ON jobs (repo, run_id);
CREATE INDEX IF NOT EXISTS jobs_time ON jobs (repo, created_at);
CREATE TABLE IF NOT EXISTS diagnoses (
    repo TEXT NOT NULL, job_id INTEGER NOT NULL, run_id INTEGER NOT NULL,
    category TEXT NOT NULL, rule TEXT, failing_tests TEXT NOT NULL DEFAULT '[]',
    flaky INTEGER NOT NULL DEFAULT 0, retried INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    PRIMARY KEY (repo, job_id)
);
CREATE INDEX IF NOT EXISTS diagnoses_time ON diagnoses (repo, created_at);
CREATE TABLE IF NOT EXISTS retries (
    repo TEXT NOT NULL, run_id INTEGER NOT NULL, attempt INTEGER NOT NULL,
    rule TEXT NOT NULL, job_id INTEGER, created_at REAL NOT NULL,
    PRIMARY KEY (repo, run_id, attempt)
);
CREATE INDEX IF NOT EXISTS retries_time ON retries (repo, created_at);
CREATE TABLE IF NOT EXISTS reports (
    repo TEXT NOT NULL, report_id TEXT NOT NULL, created_at REAL NOT NULL,
    verdict TEXT NOT NULL DEFAULT '', flaky TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (repo, report_id)
);
CREATE INDEX IF NOT EXISTS reports_time ON reports (repo, created_at);
CREATE TABLE IF NOT EXISTS repo_ids (
    repo TEXT NOT NULL, repo_id INTEGER NOT NULL, last_created REAL NOT NULL,
    PRIMARY KEY (repo, repo_id)
);
CREATE TABLE IF NOT EXISTS checkpoints (
    repo TEXT PRIMARY KEY, last_run_id INTEGER, etag TEXT, extra TEXT NOT NULL DEFAULT '{}',
    updated_at REAL NOT NULL
);
"""


@dataclass(slots=True, frozen=True)
class Diagnosis:
    """What the diagnosis engine concluded about one failed job."""

    repo: str
    job_id: int
    run_id: int
    category: str
    rule: str | None = None
    failing_tests: tuple[str, ...] = ()
    #: The diagnosis engine judged the failure flaky (or a retry of it passed).
    flaky: bool = False
    #: Pitcrew re-ran the job because of this diagnosis.
    retried: bool = False
    created_at: datetime | None = None


@dataclass(slots=True, frozen=True)
class Retry:
    """One automatic re-run spent by Pitcrew, and the rule that asked for it."""

    repo: str
    run_id: int
    attempt: int
    rule: str
    job_id: int | None = None
    created_at: datetime | None = None


@dataclass(slots=True, frozen=True)
class ReportEntry:
    repo: str
    report_id: str
    created_at: datetime
    verdict: str
    flaky: frozenset[str]


@dataclass(slots=True, frozen=True)
class Checkpoint:
    """Where the incremental back-fill of one repository stopped."""

    repo: str
    last_run_id: int | None
    etag: str | None
    extra: dict[str, Any]
    updated_at: datetime


_ts = to_epoch
_dt = from_epoch


def _now() -> datetime:
    return datetime.now(UTC)


class ReportStore:
    """The engine's state in one SQLite file (WAL). Thread-safe; every method is synchronous."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA busy_timeout=5000")
        self._conn.executescript(SCHEMA)
        columns = {row[1] for row in self._conn.execute("PRAGMA table_info(jobs)")}
        if "steps" not in columns:  # a store written before step timings were kept
            self._conn.execute("ALTER TABLE jobs ADD COLUMN steps TEXT NOT NULL DEFAULT '[]'")
        self._migrate()
        self._conn.executescript(ORG_INDEXES)
        self._conn.executescript(changed_paths.SQLITE_SCHEMA)
        fresh = not self._conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'jobs_rollup_insert'"
        ).fetchall()
        self._conn.executescript(JOB_ROLLUPS)
        if fresh:  # a store written before the rollups existed: count its jobs once
            self._conn.executescript(f"BEGIN; {BACKFILL_ROLLUPS} COMMIT;")
        self._conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def _migrate(self) -> None:
        """Version 1 → 2: repository id, runner group and histogram buckets (org report)."""
        added = False
        for table, columns in (
            ("runs", (("repo_id", "INTEGER"), ("dur_b", "INTEGER"))),
            ("jobs", (("runner_group", "TEXT"), ("queue_b", "INTEGER"))),
        ):
            have = {row[1] for row in self._conn.execute(f"PRAGMA table_info({table})")}
            for name, kind in columns:
                if name not in have:
                    self._conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
                    added = True
        if added:
            self._conn.create_function("pc_bucket", 1, bucket, deterministic=True)
            self._conn.execute("UPDATE runs SET dur_b = pc_bucket(duration_s)")
            self._conn.execute("UPDATE jobs SET queue_b = pc_bucket(queue_s)")
            self._conn.execute(
                "INSERT OR REPLACE INTO repo_ids SELECT repo, COALESCE(repo_id, 0),"
                " MAX(created_at) FROM runs WHERE repo != '' GROUP BY repo, repo_id"
            )

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> ReportStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write(self, sql: str, rows: Iterable[tuple[Any, ...]]) -> int:
        rows = list(rows)
        if not rows:
            return 0
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.executemany(sql, rows)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
        return len(rows)

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    # --- runs ----------------------------------------------------------------------
    def upsert_runs(self, runs: Iterable[RunRecord]) -> int:
        """Insert or update runs; an older attempt never overwrites a newer one."""
        runs = list(runs)
        self._note_identities(runs)
        return self._write(
            """INSERT INTO runs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            ON CONFLICT (repo, run_id) DO UPDATE SET
              attempt=excluded.attempt, workflow=excluded.workflow,
              workflow_id=excluded.workflow_id, run_number=excluded.run_number,
              status=excluded.status, conclusion=excluded.conclusion, event=excluded.event,
              branch=excluded.branch, head_sha=excluded.head_sha,
              created_at=excluded.created_at, run_started_at=excluded.run_started_at,
              updated_at=excluded.updated_at, duration_s=excluded.duration_s,
              queue_s=COALESCE(excluded.queue_s, runs.queue_s),
              pull_requests=excluded.pull_requests,
              repo_id=excluded.repo_id, dur_b=excluded.dur_b
            WHERE excluded.attempt > runs.attempt
               OR (excluded.attempt = runs.attempt
                   AND COALESCE(excluded.updated_at, 0) >= COALESCE(runs.updated_at, 0))""",
            (
                (
                    r.repo, r.run_id, r.attempt, r.workflow, r.workflow_id, r.run_number,
                    r.status, r.conclusion, r.event, r.branch, r.head_sha,
                    _ts(r.created_at), _ts(r.run_started_at), _ts(r.updated_at),
                    r.duration_s, r.queue_s, json.dumps(list(r.pull_requests)),
                    r.repo_id, bucket(r.duration_s),
                )
                for r in runs
            ),
        )  # fmt: skip

    def _note_identities(self, runs: list[RunRecord]) -> None:
        """Names and ids seen (renames keep the id), with the latest creation time of each."""
        latest: dict[tuple[str, int], float] = {}
        for r in runs:
            if r.repo:
                key = (r.repo, r.repo_id or 0)
                latest[key] = max(latest.get(key, 0.0), r.created_at.timestamp())
        self._write(
            """INSERT INTO repo_ids VALUES (?,?,?) ON CONFLICT (repo, repo_id)
            DO UPDATE SET last_created = MAX(last_created, excluded.last_created)""",
            ((repo, rid, at) for (repo, rid), at in latest.items()),
        )

    def upsert_run(self, run: RunRecord) -> None:
        self.upsert_runs([run])

    def load_runs(self, repo: str | None = None, since: datetime | None = None) -> list[RunRecord]:
        """Runs created at or after ``since`` (all repos when ``repo`` is None), oldest first."""
        sql = (
            "SELECT repo, run_id, workflow, status, conclusion, event, branch, head_sha, attempt,"
            " created_at, run_started_at, updated_at, duration_s, queue_s, workflow_id,"
            " run_number, pull_requests, repo_id FROM runs WHERE created_at >= ?"
        )
        params: list[Any] = [_ts(since) if since else float("-inf")]
        if repo is not None:
            sql += " AND repo = ?"
            params.append(repo)
        sql += " ORDER BY created_at, run_id"
        return [
            RunRecord(
                repo=row[0], run_id=row[1], workflow=row[2], status=row[3], conclusion=row[4],
                event=row[5], branch=row[6], head_sha=row[7], attempt=row[8],
                created_at=_dt(row[9]), run_started_at=_dt(row[10]), updated_at=_dt(row[11]),
                duration_s=row[12], queue_s=row[13], workflow_id=row[14], run_number=row[15],
                pull_requests=tuple(json.loads(row[16])), repo_id=row[17],
            )
            for row in self._read(sql, tuple(params))
        ]  # fmt: skip

    def repos(self) -> list[str]:
        return [row[0] for row in self._read("SELECT DISTINCT repo FROM runs ORDER BY repo")]

    # --- jobs ----------------------------------------------------------------------
    def ingest_many(self, runs: Iterable[RunRecord], jobs: Iterable[JobRecord]) -> tuple[int, int]:
        """Bulk upsert of runs then jobs (a back-fill): one transaction each."""
        return self.upsert_runs(runs), self.upsert_jobs(jobs)

    def upsert_jobs(self, jobs: Iterable[JobRecord]) -> int:
        """Insert or update jobs by job id (a job id is unique per attempt)."""
        return self._write(
            """INSERT INTO jobs (repo, job_id, run_id, attempt, name, workflow, status,
              conclusion, created_at, started_at, completed_at, duration_s, queue_s, labels,
              runner_name, head_branch, head_sha, steps, runner_group, queue_b)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            ON CONFLICT (repo, job_id) DO UPDATE SET
              run_id=excluded.run_id, attempt=excluded.attempt, name=excluded.name,
              workflow=CASE WHEN excluded.workflow != '' THEN excluded.workflow
                            ELSE jobs.workflow END,
              status=excluded.status, conclusion=excluded.conclusion,
              created_at=excluded.created_at, started_at=excluded.started_at,
              completed_at=excluded.completed_at, duration_s=excluded.duration_s,
              queue_s=excluded.queue_s, labels=excluded.labels,
              runner_name=excluded.runner_name, head_branch=excluded.head_branch,
              head_sha=excluded.head_sha,
              steps=CASE WHEN excluded.steps != '[]' THEN excluded.steps ELSE jobs.steps END,
              runner_group=excluded.runner_group, queue_b=excluded.queue_b""",
            (
                (
                    j.repo, j.job_id, j.run_id, j.attempt, j.name, j.workflow, j.status,
                    j.conclusion, _ts(j.created_at), _ts(j.started_at), _ts(j.completed_at),
                    j.duration_s, j.queue_s, json.dumps(list(j.labels)), j.runner_name,
                    j.head_branch, j.head_sha, json.dumps([list(s) for s in j.steps]),
                    j.runner_group_name, bucket(j.queue_s),
                )
                for j in jobs
            ),
        )  # fmt: skip

    def upsert_job(self, job: JobRecord) -> None:
        self.upsert_jobs([job])

    def load_jobs(self, repo: str | None = None, since: datetime | None = None) -> list[JobRecord]:
        """Jobs (with their diagnosis category, if any) whose job or run started since ``since``."""
        sql = (
            "SELECT j.repo, j.run_id, j.job_id, j.name, j.workflow, j.status, j.conclusion,"
            " j.attempt, j.created_at, j.started_at, j.completed_at, j.duration_s, j.queue_s,"
            " j.labels, j.runner_name, j.head_branch, j.head_sha, d.category, d.failing_tests,"
            " j.steps, j.runner_group"
            " FROM jobs j LEFT JOIN diagnoses d ON d.repo = j.repo AND d.job_id = j.job_id"
            " WHERE COALESCE(j.created_at, j.started_at, 0) >= ?"
        )
        params: list[Any] = [_ts(since) if since else float("-inf")]
        if repo is not None:
            sql += " AND j.repo = ?"
            params.append(repo)
        sql += " ORDER BY j.run_id, j.job_id"
        return [
            JobRecord(
                repo=row[0], run_id=row[1], job_id=row[2], name=row[3], workflow=row[4],
                status=row[5], conclusion=row[6], attempt=row[7], created_at=_dt(row[8]),
                started_at=_dt(row[9]), completed_at=_dt(row[10]), duration_s=row[11],
                queue_s=row[12], labels=tuple(json.loads(row[13])), runner_name=row[14],
                head_branch=row[15], head_sha=row[16], category=row[17],
                failing_tests=tuple(json.loads(row[18])) if row[18] else (),
                steps=tuple((str(n), float(s)) for n, s in json.loads(row[19] or "[]")),
                runner_group_name=row[20],
            )
            for row in self._read(sql, tuple(params))
        ]  # fmt: skip

    # --- diagnoses and retries ------------------------------------------------------
    def upsert_diagnosis(self, diag: Diagnosis) -> None:
        """Record (or replace) the diagnosis of one job."""
        self._write(
            """INSERT INTO diagnoses VALUES (?,?,?,?,?,?,?,?,?)
            ON CONFLICT (repo, job_id) DO UPDATE SET
              run_id=excluded.run_id, category=excluded.category, rule=excluded.rule,
              failing_tests=excluded.failing_tests, flaky=excluded.flaky,
              retried=MAX(diagnoses.retried, excluded.retried)""",
            [
                (
                    diag.repo, diag.job_id, diag.run_id, diag.category, diag.rule,
                    json.dumps(sorted(diag.failing_tests)), int(diag.flaky), int(diag.retried),
                    _ts(diag.created_at or _now()),
                )
            ],
        )  # fmt: skip

    def load_diagnoses(
        self, repo: str | None = None, since: datetime | None = None
    ) -> list[Diagnosis]:
        sql = (
            "SELECT repo, job_id, run_id, category, rule, failing_tests, flaky, retried,"
            " created_at FROM diagnoses WHERE created_at >= ?"
        )
        params: list[Any] = [_ts(since) if since else float("-inf")]
        if repo is not None:
            sql += " AND repo = ?"
            params.append(repo)
        return [
            Diagnosis(
                repo=row[0], job_id=row[1], run_id=row[2], category=row[3], rule=row[4],
                failing_tests=tuple(json.loads(row[5])), flaky=bool(row[6]),
                retried=bool(row[7]), created_at=_dt(row[8]),
            )
            for row in self._read(sql + " ORDER BY created_at, job_id", tuple(params))
        ]  # fmt: skip

    def record_retry(self, retry: Retry) -> bool:
        """Record one automatic re-run; False if this (run, attempt) was already recorded."""
        with self._lock:
            cur = self._conn.execute(
                "INSERT OR IGNORE INTO retries VALUES (?,?,?,?,?,?)",
                (
                    retry.repo,
                    retry.run_id,
                    retry.attempt,
                    retry.rule,
                    retry.job_id,
                    _ts(retry.created_at or _now()),
                ),
            )
            return cur.rowcount == 1

    def load_retries(self, repo: str | None = None, since: datetime | None = None) -> list[Retry]:
        sql = (
            "SELECT repo, run_id, attempt, rule, job_id, created_at FROM retries"
            " WHERE created_at >= ?"
        )
        params: list[Any] = [_ts(since) if since else float("-inf")]
        if repo is not None:
            sql += " AND repo = ?"
            params.append(repo)
        return [
            Retry(row[0], row[1], row[2], row[3], row[4], _dt(row[5]))
            for row in self._read(sql + " ORDER BY created_at", tuple(params))
        ]

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
        self._write(
            """INSERT INTO reports VALUES (?,?,?,?,?)
            ON CONFLICT (repo, report_id) DO UPDATE SET created_at=excluded.created_at,
              verdict=excluded.verdict, flaky=excluded.flaky""",
            [(repo, str(report_id), _ts(created_at or _now()), verdict, json.dumps(sorted(flaky)))],
        )

    def last_report(self, repo: str, before: datetime | None = None) -> ReportEntry | None:
        """The most recent report of ``repo`` (strictly before ``before`` if given)."""
        sql = "SELECT repo, report_id, created_at, verdict, flaky FROM reports WHERE repo = ?"
        params: list[Any] = [repo]
        if before is not None:
            sql += " AND created_at < ?"
            params.append(_ts(before))
        rows = self._read(sql + " ORDER BY created_at DESC LIMIT 1", tuple(params))
        if not rows:
            return None
        row = rows[0]
        return ReportEntry(row[0], row[1], _dt(row[2]), row[3], frozenset(json.loads(row[4])))

    # --- back-fill checkpoints -------------------------------------------------------
    def get_checkpoint(self, repo: str) -> Checkpoint | None:
        rows = self._read(
            "SELECT repo, last_run_id, etag, extra, updated_at FROM checkpoints WHERE repo = ?",
            (repo,),
        )
        if not rows:
            return None
        row = rows[0]
        return Checkpoint(row[0], row[1], row[2], json.loads(row[3]), _dt(row[4]))

    def set_checkpoint(
        self,
        repo: str,
        *,
        last_run_id: int | None,
        etag: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        """Move the back-fill checkpoint; ``last_run_id`` never goes backwards."""
        self._write(
            """INSERT INTO checkpoints VALUES (?,?,?,?,?)
            ON CONFLICT (repo) DO UPDATE SET
              last_run_id=MAX(COALESCE(checkpoints.last_run_id, 0),
                              COALESCE(excluded.last_run_id, 0)),
              etag=excluded.etag, extra=excluded.extra, updated_at=excluded.updated_at""",
            [(repo, last_run_id, etag, json.dumps(extra or {}), _ts(_now()))],
        )

    # --- retention ------------------------------------------------------------------
    def prune(self, older_than: datetime) -> dict[str, int]:
        """Delete history created before ``older_than``; returns rows deleted per table.

        Reports keep at least the latest entry per repo so "new/resolved since last report"
        still has something to compare with after a long pause.
        """
        cutoff = _ts(older_than)
        deleted: dict[str, int] = {}
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                for table, column in (
                    ("runs", "created_at"),
                    ("jobs", "COALESCE(created_at, started_at, 0)"),
                    ("diagnoses", "created_at"),
                    ("retries", "created_at"),
                ):
                    cur = self._conn.execute(f"DELETE FROM {table} WHERE {column} < ?", (cutoff,))
                    deleted[table] = cur.rowcount
                cur = self._conn.execute(
                    """DELETE FROM reports WHERE created_at < ? AND created_at <
                       (SELECT MAX(r2.created_at) FROM reports r2 WHERE r2.repo = reports.repo)""",
                    (cutoff,),
                )
                deleted["reports"] = cur.rowcount
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
        log.info("report store pruned", extra={"deleted": deleted})
        return deleted

    def org_source(self, owner: str | None = None) -> SqliteOrgSource:
        """The org report's cells, grouped by SQLite (a read connection of its own)."""
        from bot.report.org_sqlite import SqliteOrgSource

        return SqliteOrgSource(self.path, owner, migrate=False)

    def counts(self) -> dict[str, int]:
        """Row counts per table (for /status and tests)."""
        tables = ("runs", "jobs", "diagnoses", "retries", "reports", "checkpoints")
        return {t: self._read(f"SELECT COUNT(*) FROM {t}")[0][0] for t in tables}

    # --- changed paths per head commit (the optimizer's paths-ignore estimate) ------------
    def record_changed_paths(self, repo: str, change: changed_paths.ChangedPaths) -> None:
        now = _now()
        self._write(changed_paths.SQLITE_PRUNE, [((now - changed_paths.RETENTION).timestamp(),)])
        self._write(changed_paths.SQLITE_UPSERT, [changed_paths.sqlite_row(repo, change, now)])

    def load_changed_paths(self, repo: str, since: datetime) -> list[changed_paths.ChangedPaths]:
        rows = self._read(changed_paths.SQLITE_SELECT, (repo, since.timestamp()))
        return changed_paths.from_sqlite(rows)
