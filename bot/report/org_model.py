"""The org report's data model (``pitcrew report --org``); JSON via :func:`org_report_to_dict`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.report.anomaly import Anomaly, AnomalyConfig
from bot.report.model import to_jsonable


@dataclass(frozen=True, slots=True)
class OrgConfig:
    window_days: float = 7.0
    baseline_days: float = 28.0
    anomaly: AnomalyConfig = field(default_factory=AnomalyConfig)
    #: Regressions listed (ranked by CI minutes lost).
    top_regressions: int = 10
    #: Repositories drawn in the weekly-minutes chart.
    chart_repos: int = 5
    #: Default branch per repository (``owner/name`` → branch); guessed from pushes otherwise.
    default_branches: dict[str, str] = field(default_factory=dict)
    #: Repositories the installation still has; others are marked ``deleted`` (None: unknown).
    live_repos: frozenset[str] | None = None
    #: Self-hosted runners listed per pool (the busiest; ``runner_names_total`` counts all).
    top_runner_names: int = 10


@dataclass(slots=True)
class RepoStats:
    repo: str
    repo_id: int | None
    runs: int
    success_rate: float | None
    p95_duration_s: float | None
    ci_minutes: float
    baseline_ci_minutes: float
    ci_minutes_change_pct: float | None
    default_branch: str | None
    default_branch_red_s: float | None  # current red streak; 0 when green, None when unknown
    default_branch_red_since: datetime | None
    failing_workflows: list[str]
    flaky_tests: int
    minutes_source: str  # "jobs" or "runs"
    #: Top failure categories of the window's failed jobs: ``{category, count}``; failed jobs
    #: without a diagnosis count as ``undiagnosed``.
    failure_categories: list[dict[str, Any]] = field(default_factory=list)
    former_names: list[str] = field(default_factory=list)
    deleted: bool = False
    weekly_minutes: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class RunnerStats:
    label: str
    group: str | None
    jobs: int
    p50_queue_s: float | None
    p95_queue_s: float | None
    baseline_p95_queue_s: float | None
    #: Queued jobs per [weekday (Monday = 0)][hour UTC] in the window.
    busy_hours: list[list[int]]
    peak: dict[str, int] | None
    weekly_p95_queue_s: dict[str, float | None] = field(default_factory=dict)
    #: Self-hosted runners of the pool in the window, when GitHub reports their names:
    #: ``{name, jobs, busy_minutes}``, busiest first.
    runner_names: list[dict[str, Any]] = field(default_factory=list)
    runner_names_total: int = 0


@dataclass(slots=True)
class Regression:
    repo: str
    workflow: str
    metric: str
    minutes_lost: float
    window_value: float
    baseline_value: float
    change_pct: float | None
    message: str


@dataclass(slots=True)
class OrgReport:
    generated_at: datetime
    window_start: datetime
    window_end: datetime
    baseline_start: datetime
    healthy: bool
    verdict: str
    totals: dict[str, Any]
    repositories: list[RepoStats]
    runners: list[RunnerStats]
    regressions: list[Regression]
    anomalies: list[Anomaly]
    data_quality: dict[str, int]
    notes: list[str] = field(default_factory=list)


def org_report_to_dict(report: OrgReport) -> dict[str, Any]:
    """The JSON form (``pitcrew report --org --format json``)."""
    out: dict[str, Any] = to_jsonable(report)
    return out
