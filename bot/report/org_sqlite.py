"""The org report's cells straight from SQLite: ``GROUP BY`` over indexed columns, streamed.

Each query scans the span through an index on creation time and returns one row per group
(repository × workflow × day × outcome × duration bucket, runner pool × day × queue bucket…);
SQLite sorts the groups in its own bounded page cache (spilling to temporary files), so the
Python side holds one row at a time. The histogram buckets are columns written at ingest
(:func:`bot.report.sketch.bucket`), so these cells equal those of
:class:`bot.report.org_cells.MemorySource`.

A separate read-only connection: WAL lets the service keep writing while a report is built.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bot.report.org_cells import (
    HOSTED_GROUP,
    QUALITY_KEYS,
    BranchEvent,
    BusyCell,
    JobMinutesCell,
    OrgSpan,
    QueueCell,
    RepoIdentity,
    RunCell,
    RunnerCell,
    edge_ranges,
    labels_from_json,
    whole_hours,
)
from bot.report.records import DECIDED, FAILED

_MINE = "(:prefix = '' OR substr(repo, 1, length(:prefix)) = :prefix)"
_IN_SPAN = f"created_at >= :bs AND created_at < :now AND {_MINE}"
_JOB_T = "COALESCE(created_at, started_at, 0)"  # the expression of index jobs_when
_JOB_SPAN = f"{_JOB_T} >= :bs AND {_JOB_T} < :now AND {_MINE}"
_PERIOD = "CASE WHEN {t} >= :ws THEN 'w' ELSE 'b' END"
_DAY = "CAST({t} / 86400 AS INTEGER)"
_FAILED = ", ".join(f"'{c}'" for c in sorted(FAILED))
_DECIDED = ", ".join(f"'{c}'" for c in sorted(DECIDED))

_RUN_CELLS = f"""
SELECT CASE WHEN repo_id IS NULL THEN 'name:' || repo ELSE 'id:' || repo_id END AS k,
       workflow, {_PERIOD.format(t="created_at")} AS period, {_DAY.format(t="created_at")} AS day,
       CASE WHEN status != 'completed' THEN 'p'
            WHEN conclusion = 'success' THEN 's'
            WHEN conclusion IN ({_FAILED}) THEN 'f'
            WHEN conclusion = 'cancelled' THEN 'c'
            ELSE 'o' END AS outcome,
       CASE WHEN status = 'completed' THEN COALESCE(dur_b, -1) ELSE -1 END AS b,
       COUNT(*), TOTAL(CASE WHEN status = 'completed' THEN duration_s END)
FROM runs INDEXED BY runs_org WHERE {_IN_SPAN} AND repo != ''
GROUP BY k, workflow, period, day, outcome, b
ORDER BY k, workflow, period, day, outcome, b
"""

_JOB_MINUTES = f"""
SELECT repo, {_PERIOD.format(t=_JOB_T)} AS period, {_DAY.format(t=_JOB_T)} AS day, COUNT(*),
       TOTAL(CASE WHEN status = 'completed' THEN duration_s END)
FROM jobs INDEXED BY jobs_when WHERE {_JOB_SPAN}
GROUP BY repo, period, day ORDER BY repo, period, day
"""

_QUEUE = f"""
SELECT labels, COALESCE(runner_group, '') AS g, {_PERIOD.format(t=_JOB_T)} AS period,
       {_DAY.format(t=_JOB_T)} AS day, COALESCE(queue_b, -1) AS b, COUNT(*)
FROM jobs INDEXED BY jobs_when WHERE {_JOB_SPAN}
GROUP BY labels, g, period, day, b ORDER BY labels, g, period, day, b
"""

_BUSY = f"""
SELECT labels, COALESCE(runner_group, '') AS g, ({_DAY.format(t=_JOB_T)} + 3) % 7 AS wd,
       CAST({_JOB_T} / 3600 AS INTEGER) % 24 AS hour, COUNT(*)
FROM jobs INDEXED BY jobs_when
WHERE {_JOB_T} >= MAX(:ws, :bs) AND {_JOB_T} < :now AND {_MINE}
GROUP BY labels, g, wd, hour
"""

_WINDOW_JOBS = f"{_JOB_T} >= MAX(:ws, :bs) AND {_JOB_T} < :now AND {_MINE}"

#: Self-hosted as :func:`bot.report.org_cells.self_hosted_runner` decides it.
_RUNNERS = f"""
SELECT labels, COALESCE(runner_group, '') AS g, runner_name, COUNT(*),
       TOTAL(CASE WHEN status = 'completed' THEN duration_s END)
FROM jobs INDEXED BY jobs_runners
WHERE runner_name IS NOT NULL AND runner_name != '' AND {_WINDOW_JOBS}
  AND (instr(labels, '"self-hosted"') > 0 OR COALESCE(runner_group, '') NOT IN ('', :hosted))
GROUP BY labels, g, runner_name
"""

_UNDIAGNOSED = f"""
SELECT repo, COUNT(*) FROM jobs INDEXED BY jobs_failed
WHERE conclusion IN ('failure', 'startup_failure', 'timed_out') AND {_WINDOW_JOBS}
  AND NOT EXISTS (SELECT 1 FROM diagnoses d WHERE d.repo = jobs.repo AND d.job_id = jobs.job_id
                  AND d.created_at >= MAX(:ws, :bs) AND d.created_at < :now)
GROUP BY repo ORDER BY repo
"""

_BRANCH = f"""
SELECT COALESCE(updated_at, created_at) AS at, run_id, workflow, conclusion FROM runs
WHERE repo = :repo AND {_IN_SPAN} AND branch = :branch AND event != 'pull_request'
  AND status = 'completed' AND conclusion IN ({_DECIDED})
  AND COALESCE(updated_at, created_at) <= :now
ORDER BY at, run_id
"""

_FLAKY = f"""
SELECT DISTINCT d.repo, t.value FROM diagnoses d
LEFT JOIN runs r ON r.repo = d.repo AND r.run_id = d.run_id, json_each(d.failing_tests) t
WHERE d.created_at >= :ws AND d.created_at < :now AND (d.flaky = 1 OR r.conclusion = 'success')
  AND {_MINE.replace("repo", "d.repo")}
ORDER BY d.repo, t.value
"""

#: Whole hours of the span, from the hour rollups the jobs' triggers keep (bot.report.store).
_HOURS = "hour >= :h_lo AND hour < :h_hi AND hour != :h_cut"
_OWNER = "(:prefix = '' OR owner || '/' = :prefix)"
_HOUR_PERIOD = "CASE WHEN hour * 3600 >= :ws THEN 'w' ELSE 'b' END"

_ROLLED_MINUTES = f"""
SELECT repo, {_HOUR_PERIOD} AS period, hour / 24 AS day, SUM(jobs), TOTAL(seconds)
FROM job_repo_hours WHERE {_HOURS} AND {_MINE}
GROUP BY repo, period, day HAVING SUM(jobs) > 0
"""

_ROLLED_QUEUE = f"""
SELECT labels, grp, {_HOUR_PERIOD} AS period, hour / 24 AS day, queue_b, SUM(jobs)
FROM job_pool_hours WHERE {_HOURS} AND {_OWNER}
GROUP BY labels, grp, period, day, queue_b HAVING SUM(jobs) > 0
"""

_ROLLED_BUSY = f"""
SELECT labels, grp, (hour / 24 + 3) % 7 AS wd, hour % 24 AS h, SUM(jobs)
FROM job_pool_hours WHERE {_HOURS} AND hour * 3600 >= :ws AND {_OWNER}
GROUP BY labels, grp, wd, h HAVING SUM(jobs) > 0
"""

_ROLLED_QUALITY = f"""
SELECT TOTAL(no_labels), TOTAL(skew) FROM job_repo_hours WHERE {_HOURS} AND {_MINE}
"""

_RUN_QUALITY = f"""
SELECT TOTAL(repo = ''), TOTAL(status = 'completed' AND run_started_at IS NULL),
       TOTAL(run_started_at < created_at)
FROM runs INDEXED BY runs_org WHERE {_IN_SPAN}
"""

_JOB_QUALITY = f"""
SELECT TOTAL(labels = '[]'), TOTAL(started_at < created_at)
FROM jobs INDEXED BY jobs_when WHERE {_JOB_SPAN}
"""


class SqliteOrgSource:
    """:class:`~bot.report.org_cells.OrgSource` over the SQLite report store."""

    def __init__(self, path: Path | str, owner: str | None = None, *, migrate: bool = True) -> None:
        """``owner``: only that account's repositories (``owner/…``); None: every one."""
        from bot.report.store import ReportStore

        self._prefix = f"{owner}/" if owner else ""
        if migrate:  # opening the store migrates an old file (the columns and indexes used here)
            ReportStore(path).close()
        self._conn = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> SqliteOrgSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _rows(self, sql: str, span: OrgSpan, **extra: Any) -> Iterator[tuple[Any, ...]]:
        params = {"bs": span.baseline_start, "ws": span.window_start, "now": span.now,
                  "prefix": self._prefix, **extra}  # fmt: skip
        yield from self._conn.execute(sql, params)

    def identities(self, span: OrgSpan) -> Iterator[RepoIdentity]:
        sql = f"SELECT repo, repo_id, last_created FROM repo_ids WHERE {_MINE} ORDER BY repo"
        for name, repo_id, last in self._rows(sql, span):
            yield RepoIdentity(name, repo_id or None, last)

    def run_cells(self, span: OrgSpan) -> Iterator[RunCell]:
        for row in self._rows(_RUN_CELLS, span):
            yield RunCell(*row)

    def _edges(self, span: OrgSpan) -> list[dict[str, float]]:
        """The partial hours at the span's edges (read from the jobs table), as (bs, now)."""
        return [{"bs": a, "now": b} for a, b in edge_ranges(span)]

    def _hour_params(self, span: OrgSpan) -> dict[str, int]:
        lo, cut, hi = whole_hours(span)
        return {"h_lo": lo, "h_hi": hi, "h_cut": -1 if cut is None else cut}

    def _job_rows(self, raw: str, rolled: str, span: OrgSpan) -> Iterator[tuple[Any, ...]]:
        yield from self._rows(rolled, span, **self._hour_params(span))
        for edge in self._edges(span):
            yield from self._rows(raw, span, **edge)

    def job_minute_cells(self, span: OrgSpan) -> Iterator[JobMinutesCell]:
        for row in self._job_rows(_JOB_MINUTES, _ROLLED_MINUTES, span):
            yield JobMinutesCell(*row)

    def queue_cells(self, span: OrgSpan) -> Iterator[QueueCell]:
        names: dict[str, str] = {}
        for labels, *rest in self._job_rows(_QUEUE, _ROLLED_QUEUE, span):
            name = names.get(labels) or names.setdefault(labels, labels_from_json(labels))
            yield QueueCell(name, *rest)

    def busy_cells(self, span: OrgSpan) -> Iterator[BusyCell]:
        for labels, *rest in self._job_rows(_BUSY, _ROLLED_BUSY, span):
            yield BusyCell(labels_from_json(labels), *rest)

    def push_counts(self, span: OrgSpan) -> Iterator[tuple[str, str, int]]:
        sql = (
            f"SELECT repo, branch, COUNT(*) FROM runs INDEXED BY runs_org WHERE {_IN_SPAN} "
            "AND event = 'push' AND branch IS NOT NULL AND branch != '' AND repo != '' "
            "GROUP BY repo, branch"
        )
        yield from self._rows(sql, span)

    def branch_events(self, span: OrgSpan, repo: str, branch: str) -> Iterator[BranchEvent]:
        for row in self._rows(_BRANCH, span, repo=repo, branch=branch):
            yield BranchEvent(*row)

    def flaky_tests(self, span: OrgSpan) -> Iterator[tuple[str, str]]:
        yield from self._rows(_FLAKY, span)

    def failure_categories(self, span: OrgSpan) -> Iterator[tuple[str, str, int]]:
        sql = (
            "SELECT repo, category, COUNT(*) FROM diagnoses WHERE created_at >= :ws"
            f" AND created_at < :now AND {_MINE} GROUP BY repo, category"
        )
        yield from self._rows(sql, span)

    def runner_cells(self, span: OrgSpan) -> Iterator[RunnerCell]:
        for labels, *rest in self._rows(_RUNNERS, span, hosted=HOSTED_GROUP):
            yield RunnerCell(labels_from_json(labels), *rest)

    def undiagnosed_failures(self, span: OrgSpan) -> Iterator[tuple[str, int]]:
        yield from self._rows(_UNDIAGNOSED, span)

    def quality(self, span: OrgSpan) -> dict[str, int]:
        runs = next(self._rows(_RUN_QUALITY, span))
        jobs = [next(self._rows(_ROLLED_QUALITY, span, **self._hour_params(span)))]
        jobs += [next(self._rows(_JOB_QUALITY, span, **edge)) for edge in self._edges(span)]
        no_labels, skew = (sum(row[i] for row in jobs) for i in (0, 1))
        return dict(zip(QUALITY_KEYS, (int(v) for v in (*runs, no_labels, skew)), strict=True))
