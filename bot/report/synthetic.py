"""Seeded, realistic CI histories in GitHub's REST shapes (tests, benchmarks, the fake GitHub).

Realistic means the things that make naive detectors cry wolf: log-normal durations, a random
effect per day (a slow cache day slows every run of that day), fewer runs on weekends, bursts of
re-runs and cancellations superseded by newer pushes. Regressions can be injected from a given
time to check that real changes are found.
"""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.report.times import format_ts, parse_ts


@dataclass(frozen=True)
class WorkflowSpec:
    name: str
    runs_per_day: float = 20.0
    duration_s: float = 600.0  # median run duration
    duration_sigma: float = 0.25  # per-run log-normal spread
    day_sigma: float = 0.08  # per-day log-normal random effect
    queue_s: float = 15.0  # median queue time
    queue_sigma: float = 0.6
    failure_rate: float = 0.06
    day_failure_sd: float = 0.02  # per-day wobble of the failure rate
    cancel_rate: float = 0.04  # of PR runs, cancelled by a newer push
    rerun_rate: float = 0.03
    weekend_factor: float = 0.35
    main_share: float = 0.3  # share of runs that are pushes to the default branch
    jobs: tuple[tuple[str, float], ...] = (("build", 0.35), ("test (ubuntu-latest)", 0.65))
    labels: tuple[str, ...] = ("ubuntu-latest",)


@dataclass(frozen=True)
class Regression:
    """From ``start`` on, multiply ``metric`` of ``workflow`` by ``factor`` (failure_rate: set)."""

    workflow: str
    metric: str  # duration | queue_time | failure_rate
    start: datetime
    factor: float = 1.5
    rate: float | None = None  # for failure_rate: the new rate


@dataclass
class History:
    runs: list[dict[str, Any]] = field(default_factory=list)
    jobs: list[dict[str, Any]] = field(default_factory=list)


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 50:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def generate(
    specs: Sequence[WorkflowSpec],
    start: datetime,
    end: datetime,
    *,
    seed: int = 0,
    repo: str = "octo-org/octo-repo",
    regressions: Sequence[Regression] = (),
    with_jobs: bool = True,
    first_run_id: int = 1_000_000,
) -> History:
    """Generate runs (and jobs) created in [start, end), oldest first, with unique ids."""
    rng = random.Random(seed)
    history = History()
    ids = {"run": first_run_id, "job": first_run_id * 10}
    day = start.replace(hour=0, minute=0, second=0, microsecond=0)
    while day < end:
        for spec in specs:
            _day(rng, spec, day, start, end, repo, regressions, with_jobs, history, ids)
        day += timedelta(days=1)
    history.runs.sort(key=lambda r: (r["created_at"], r["id"]))
    return history


def _active(regs: Sequence[Regression], wf: str, metric: str, at: datetime) -> Regression | None:
    for reg in regs:
        if reg.workflow == wf and reg.metric == metric and at >= reg.start:
            return reg
    return None


def _day(
    rng: random.Random,
    spec: WorkflowSpec,
    day: datetime,
    start: datetime,
    end: datetime,
    repo: str,
    regressions: Sequence[Regression],
    with_jobs: bool,
    history: History,
    ids: dict[str, int],
) -> None:
    weekend = day.weekday() >= 5
    n = _poisson(rng, spec.runs_per_day * (spec.weekend_factor if weekend else 1.0))
    day_effect = math.exp(rng.gauss(0, spec.day_sigma))
    day_fail = min(max(rng.gauss(spec.failure_rate, spec.day_failure_sd), 0.0), 1.0)
    for _ in range(n):
        created = day + timedelta(seconds=rng.randrange(86400))
        if not start <= created < end:
            continue
        for run in _runs(rng, spec, created, day_effect, day_fail, regressions, repo, ids):
            history.runs.append(run)
            if with_jobs:
                history.jobs.extend(_jobs(rng, spec, run, ids))


def _runs(
    rng: random.Random,
    spec: WorkflowSpec,
    created: datetime,
    day_effect: float,
    day_fail: float,
    regressions: Sequence[Regression],
    repo: str,
    ids: dict[str, int],
) -> Iterator[dict[str, Any]]:
    on_main = rng.random() < spec.main_share
    branch = "main" if on_main else f"feature-{rng.randrange(40)}"
    duration = spec.duration_s * day_effect * math.exp(rng.gauss(0, spec.duration_sigma))
    queue = spec.queue_s * math.exp(rng.gauss(0, spec.queue_sigma))
    fail_p = day_fail
    if reg := _active(regressions, spec.name, "duration", created):
        duration *= reg.factor
    if reg := _active(regressions, spec.name, "queue_time", created):
        queue *= reg.factor
    if reg := _active(regressions, spec.name, "failure_rate", created):
        fail_p = reg.rate if reg.rate is not None else min(1.0, fail_p * reg.factor)
    cancelled = not on_main and rng.random() < spec.cancel_rate
    attempt = 2 if rng.random() < spec.rerun_rate else 1
    if cancelled:
        conclusion, duration = "cancelled", duration * rng.uniform(0.05, 0.6)
    elif attempt == 2:
        conclusion = "success" if rng.random() > fail_p / 2 else "failure"
    else:
        conclusion = "failure" if rng.random() < fail_p else "success"
    started = created + timedelta(seconds=round(queue))
    if attempt == 2:  # the latest attempt started after the first one finished
        started += timedelta(seconds=round(duration) + rng.randrange(60, 3600))
    updated = started + timedelta(seconds=max(1, round(duration)))
    yield _run_obj(spec, repo, ids, created, started, updated, branch, conclusion, attempt, rng)
    if cancelled:  # the push that cancelled it
        newer = updated - timedelta(seconds=3)
        dur = spec.duration_s * day_effect * math.exp(rng.gauss(0, spec.duration_sigma))
        s2 = newer + timedelta(seconds=round(queue))
        u2 = s2 + timedelta(seconds=max(1, round(dur)))
        yield _run_obj(spec, repo, ids, newer, s2, u2, branch, "success", 1, rng)


def _run_obj(
    spec: WorkflowSpec,
    repo: str,
    ids: dict[str, int],
    created: datetime,
    started: datetime,
    updated: datetime,
    branch: str,
    conclusion: str,
    attempt: int,
    rng: random.Random,
) -> dict[str, Any]:
    ids["run"] += 1
    run_id = ids["run"]
    owner = repo.split("/")[0]
    return {
        "id": run_id,
        "name": spec.name,
        "head_branch": branch,
        "head_sha": f"{rng.getrandbits(160):040x}",
        "path": f".github/workflows/{spec.name.lower().replace(' ', '-')}.yml",
        "run_number": run_id - 1_000_000,
        "event": "push" if branch == "main" else "pull_request",
        "status": "completed",
        "conclusion": conclusion,
        "workflow_id": zlib.crc32(spec.name.encode()) % 1_000_000,
        "url": f"https://api.github.com/repos/{repo}/actions/runs/{run_id}",
        "html_url": f"https://github.com/{repo}/actions/runs/{run_id}",
        "pull_requests": [],
        "created_at": format_ts(created),
        "updated_at": format_ts(updated),
        "run_attempt": attempt,
        "run_started_at": format_ts(started),
        "repository": {
            "id": zlib.crc32(repo.encode()),
            "full_name": repo,
            "name": repo.split("/")[1],
            "owner": {"login": owner},
        },
    }


def _jobs(
    rng: random.Random, spec: WorkflowSpec, run: dict[str, Any], ids: dict[str, int]
) -> list[dict[str, Any]]:
    started = _parsed(run["run_started_at"])
    updated = _parsed(run["updated_at"])
    total = (updated - started).total_seconds()
    failing = rng.randrange(len(spec.jobs)) if run["conclusion"] == "failure" else -1
    out = []
    t = started
    for i, (name, share) in enumerate(spec.jobs):
        ids["job"] += 1
        job_created = t
        job_started = t + timedelta(seconds=rng.randrange(1, 8))
        job_done = job_started + timedelta(seconds=max(1, round(total * share) - 4))
        conclusion = "failure" if i == failing else run["conclusion"]
        if run["conclusion"] == "failure" and i != failing:
            conclusion = "success"
        out.append({
            "id": ids["job"],
            "run_id": run["id"],
            "run_attempt": run["run_attempt"],
            "run_url": run["url"],
            "workflow_name": run["name"],
            "head_branch": run["head_branch"],
            "head_sha": run["head_sha"],
            "name": name,
            "status": "completed",
            "conclusion": conclusion,
            "created_at": format_ts(job_created),
            "started_at": format_ts(job_started),
            "completed_at": format_ts(job_done),
            "labels": list(spec.labels),
            "runner_name": "GitHub Actions 2",
        })  # fmt: skip
        t = job_done
    return out


def pages(items: Sequence[dict[str, Any]], key: str, per_page: int = 100) -> list[dict[str, Any]]:
    """Split items into API pages ``{"total_count", key: [...]}`` (newest first, like GitHub)."""
    ordered = list(reversed(items))
    return [
        {"total_count": len(items), key: ordered[i : i + per_page]}
        for i in range(0, len(ordered), per_page)
    ] or [{"total_count": 0, key: []}]


def concatenated(pages_: Sequence[dict[str, Any]]) -> str:
    """Pages written back to back, as ``gh api --paginate`` does."""
    import json

    return "".join(json.dumps(p, separators=(",", ":")) for p in pages_)


def _parsed(text: str) -> datetime:
    value = parse_ts(text)
    assert value is not None  # generate() always writes both timestamps
    return value
