"""Run history for the optimizer, from the report store's run and job records.

Plain data in, `RunHistory` out: what the engine's estimates (``timeout``, superseded minutes)
are computed from. The service reads the store; this module only computes.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from bot.optimize.results import ChangedRun, RunHistory

HISTORY_DAYS = 30
_NAME = re.compile(r"""^name:\s*(?:"([^"]*)"|'([^']*)'|([^#\s][^#]*?))\s*(?:#.*)?$""")


def workflow_names(files: Mapping[str, str]) -> dict[str, str]:
    """Run records name a workflow by its ``name:`` (or its path when it has none) → path."""
    names: dict[str, str] = {}
    for path, text in files.items():
        names[path] = path
        for line in text.splitlines():
            match = _NAME.match(line)
            if match:
                names[next(g for g in match.groups() if g is not None).strip()] = path
                break
    return names


def _minutes(seconds: float) -> float:
    return max(0.0, seconds) / 60.0


def history_from_records(
    runs: Iterable[Any],
    jobs: Iterable[Any],
    names: Mapping[str, str],
    now: datetime,
    changes: Iterable[Any] = (),
) -> RunHistory | None:
    """Fill the engine's RunHistory from the report store's runs and jobs (None: no history).

    * job durations: successful jobs, by workflow path and job name (for ``timeout``);
    * superseded minutes: for each pull_request/push run overtaken by a newer run of the same
      workflow on the same branch while it was still going, the time it kept running after the
      newer one was created — what ``cancel-in-progress`` saves. Billed per job when the jobs
      are known, else the run's wall clock.
    * install minutes: the dependency-install steps of each job (``workflow_job`` step
      timings), for ``cache``.
    * changed runs: each push/pull_request run's billed minutes with the files its trigger
      changed (``changes``: the store's changed paths per event and head commit; a run without
      a record is kept as unknown), for ``paths-ignore``.
    """
    runs = [r for r in runs if names.get(r.workflow)]
    if not runs:
        return None
    oldest = min(r.created_at for r in runs)
    window = min(float(HISTORY_DAYS), max(1.0, (now - oldest).total_seconds() / 86400))
    history = RunHistory(window_days=window)
    by_run: dict[int, list[Any]] = {}
    for job in jobs:
        by_run.setdefault(job.run_id, []).append(job)
        path = names.get(job.workflow) if job.workflow else None
        if path is None:
            run = next((r for r in runs if r.run_id == job.run_id), None)
            path = names.get(run.workflow) if run else None
        if path and job.conclusion == "success" and job.duration_s:
            durations = history.job_durations.setdefault(path, {}).setdefault(job.name, [])
            durations.append(_minutes(job.duration_s))
        steps = getattr(job, "steps", None)
        if path and steps:
            history.add_step_timings(path, job.name, steps)
    _add_changed_runs(history, runs, by_run, names, changes)
    groups: dict[tuple[str, str, str], list[Any]] = {}
    for run in runs:
        if run.event in ("pull_request", "push") and run.completed and run.branch:
            groups.setdefault((names[run.workflow], run.branch, run.event), []).append(run)
    for (path, _branch, event), group in groups.items():
        group.sort(key=lambda r: r.created_at)
        for older, newer in itertools.pairwise(group):
            saved = _superseded(older, newer.created_at, by_run.get(older.run_id, []))
            if saved <= 0:
                continue
            history.superseded_minutes[path] = history.superseded_minutes.get(path, 0) + saved
            if event == "pull_request":
                pr = history.superseded_pr_minutes
                pr[path] = pr.get(path, 0) + saved
    return history


def _add_changed_runs(
    history: RunHistory,
    runs: list[Any],
    by_run: Mapping[int, list[Any]],
    names: Mapping[str, str],
    changes: Iterable[Any],
) -> None:
    known = {(c.event, c.sha): c for c in changes}
    for run in runs:
        if run.event not in ("pull_request", "push") or not run.completed:
            continue
        minutes = _billed(run, by_run.get(run.run_id, []))
        change = known.get((run.event, run.head_sha))
        history.changed_runs.setdefault(names[run.workflow], []).append(
            ChangedRun(
                run.event,
                minutes,
                None if change is None else tuple(change.paths),
                bool(change and change.truncated),
            )
        )


def _billed(run: Any, jobs: list[Any]) -> float:
    """Minutes a run kept runners busy: its jobs' durations, else its wall clock."""
    timed = [j for j in jobs if j.started_at and j.completed_at]
    if timed:
        return sum(_minutes((j.completed_at - j.started_at).total_seconds()) for j in timed)
    return _minutes(run.duration_s or 0.0)


def _superseded(older: Any, newer_created: datetime, jobs: list[Any]) -> float:
    """Minutes ``older`` kept running after ``newer_created``."""
    timed = [j for j in jobs if j.started_at and j.completed_at]
    if timed:
        return sum(
            _minutes((j.completed_at - max(j.started_at, newer_created)).total_seconds())
            for j in timed
        )
    end = older.updated_at
    start = older.run_started_at or older.created_at
    if end is None:
        return 0.0
    return _minutes((end - max(start, newer_created)).total_seconds())
