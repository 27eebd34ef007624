"""The report's data model: configuration, per-group statistics and the report itself.

Plain dataclasses (computed by :mod:`bot.report.stats`, rendered by :mod:`bot.report.render`),
and their JSON form (``pitcrew report --format json``).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bot.report.anomaly import Anomaly, AnomalyConfig
from bot.report.times import format_ts


@dataclass(frozen=True, slots=True)
class ReportConfig:
    window: timedelta = timedelta(days=7)
    baseline: timedelta = timedelta(days=28)
    default_branch: str | None = None  # guessed from push events when None
    anomaly: AnomalyConfig = field(default_factory=AnomalyConfig)
    #: Job-level anomalies are checked for at most this many jobs (by window runs).
    max_jobs_checked: int = 200


@dataclass(frozen=True, slots=True)
class OpenPR:
    """An open pull request, as the service knows it (optional input)."""

    number: int
    created_at: datetime
    needs_rebase: bool = False
    title: str = ""


@dataclass(slots=True)
class DailyPoint:
    day: date
    runs: int
    p50_duration_s: float | None
    failure_rate: float | None


@dataclass(slots=True)
class BaselineStats:
    runs: int
    success_rate: float | None
    p50_duration_s: float | None
    p95_duration_s: float | None
    p50_queue_s: float | None


@dataclass(slots=True)
class WorkflowStats:
    name: str
    runs: int
    completed: int
    successes: int
    failures: int
    cancelled: int
    success_rate: float | None
    p50_duration_s: float | None
    p95_duration_s: float | None
    p50_queue_s: float | None
    p95_queue_s: float | None
    rerun_rate: float | None
    ci_minutes: float
    cancelled_minutes: float
    superseded_minutes: float
    baseline: BaselineStats | None = None
    daily: list[DailyPoint] = field(default_factory=list)


@dataclass(slots=True)
class JobStats:
    workflow: str
    name: str
    runs: int
    success_rate: float | None
    p50_duration_s: float | None
    p95_duration_s: float | None
    p50_queue_s: float | None
    p95_queue_s: float | None
    labels: list[str] = field(default_factory=list)


@dataclass(slots=True)
class BranchHealth:
    branch: str
    green: bool | None  # None: no decided run on the branch yet
    red_since: datetime | None
    red_for_s: float | None  # current red streak
    red_in_window_s: float  # total red time inside the window
    failing_workflows: list[str]
    last_run_at: datetime | None


@dataclass(slots=True)
class FlakyTests:
    current: list[str]
    new: list[str]
    resolved: list[str]
    previous_report: str | None


@dataclass(slots=True)
class Report:
    repo: str
    generated_at: datetime
    window_start: datetime
    window_end: datetime
    baseline_start: datetime
    healthy: bool
    verdict: str
    totals: WorkflowStats
    workflows: list[WorkflowStats]
    jobs: list[JobStats]
    anomalies: list[Anomaly]
    failure_categories: list[dict[str, Any]]
    flaky: FlakyTests
    retries: dict[str, Any]
    default_branch: BranchHealth | None
    pull_requests: dict[str, Any] | None
    slos: list[Any] = field(default_factory=list)


# --- JSON ----------------------------------------------------------------------------------
def to_jsonable(obj: Any) -> Any:
    """Dataclasses/datetimes → JSON-ready structures (ISO-8601 UTC with Z)."""
    if is_dataclass(obj) and not isinstance(obj, type):
        return {k: to_jsonable(v) for k, v in asdict(obj).items()}
    if isinstance(obj, datetime):
        return format_ts(obj)
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def report_to_dict(report: Report) -> dict[str, Any]:
    """The JSON form of a report (``pitcrew report --format json``)."""
    out: dict[str, Any] = to_jsonable(report)
    return out
