"""The org report: every repository of an installation, its CI spend, red default branches,
regressions ranked by minutes lost, and runner-pool capacity.

``build_org_report(source, now=...)`` folds a source's cells (:mod:`bot.report.org_cells`) in one
pass. Run cells arrive ordered by repository and workflow, so only one workflow's days are open at
a time; what is kept across the pass is a few numbers per (repository, workflow), a histogram per
repository and per runner pool × day: memory grows with the number of groups, not with history.

Definitions (also in docs/report.md):

* quantiles (p50/p95 durations and queue times) come from log-bucket histograms
  (:mod:`bot.report.sketch`): within ±1 % of the exact value, identical from every source;
* CI minutes of a repository = summed job durations when the store has jobs of that repository in
  the window or baseline, else summed run durations; the change compares minutes per day;
* a regression is a (repository, workflow) whose median duration or failure rate regressed (the
  repository report's tests); minutes lost = extra median duration × window runs, or extra
  failures × mean run duration;
* a runner pool is a job's label set (plus the runner group when GitHub reports it); its queue
  time is ``started_at − created_at``; its anomaly is the same robust test on per-day medians.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.report import sketch
from bot.report.anomaly import (
    Anomaly,
    AnomalyConfig,
    ShiftInputs,
    check_rate,
    flag_shift,
    fmt_seconds,
    shift_from_summary,
)
from bot.report.branch import branch_from_pushes, branch_timeline
from bot.report.org_cells import (
    BASELINE,
    DAY_S,
    FAILED_,
    SUCCESS,
    WINDOW,
    OrgSource,
    OrgSpan,
    RepoIdentity,
    RunCell,
    repo_key,
)
from bot.report.org_model import OrgConfig, OrgReport, Regression, RepoStats, RunnerStats
from bot.report.times import from_epoch

DECIDED_CODES = frozenset({SUCCESS, FAILED_})


@dataclass(slots=True)
class _Period:
    """Runs of one (repository, workflow) in the window or the baseline."""

    runs: int = 0
    decided: int = 0
    failed: int = 0
    seconds: float = 0.0  # all completed runs
    decided_seconds: float = 0.0
    hist: dict[int, int] = field(default_factory=dict)  # decided durations
    daily_log: dict[date, float] = field(default_factory=dict)  # baseline only
    daily_counts: list[tuple[int, int]] = field(default_factory=list)  # (failed, decided)
    weekdays: Counter[int] = field(default_factory=Counter)  # window only
    days: set[int] = field(default_factory=set)


@dataclass(slots=True)
class _Repo:
    key: str
    runs: int = 0
    decided: int = 0
    successes: int = 0
    run_seconds: dict[str, float] = field(default_factory=lambda: {WINDOW: 0.0, BASELINE: 0.0})
    hist: dict[int, int] = field(default_factory=dict)  # window decided durations
    weekly_run_s: dict[int, float] = field(default_factory=lambda: defaultdict(float))


def _span(now: datetime, config: OrgConfig) -> OrgSpan:
    window_start = now - timedelta(days=config.window_days)
    baseline_start = window_start - timedelta(days=config.baseline_days)
    return OrgSpan(baseline_start.timestamp(), window_start.timestamp(), now.timestamp())


def _week(day: int) -> int:
    """The epoch day of the Monday starting the week of ``day``."""
    return day - (day + 3) % 7


def _day_date(day: int) -> date:
    return date(1970, 1, 1) + timedelta(days=day)


def _r(value: float | None, digits: int = 1) -> float | None:
    return round(value, digits) if value is not None else None


def build_org_report(
    source: OrgSource, *, now: datetime, config: OrgConfig = OrgConfig()
) -> OrgReport:
    """The whole org report from one source, as of ``now``."""
    span = _span(now, config)
    names = _Names(source.identities(span))
    folded = _fold_runs(source.run_cells(span), span, config)
    job_seconds, job_weekly = _job_minutes(source, span, names)
    flaky: Counter[str] = Counter(names.key_of(repo) for repo, _ in source.flaky_tests(span))
    categories: dict[str, Counter[str]] = defaultdict(Counter)
    for name, category, n in source.failure_categories(span):
        categories[names.key_of(name)][category] += n
    for name, n in source.undiagnosed_failures(span):  # counted, never silently left out
        categories[names.key_of(name)]["undiagnosed"] += n
    pushes: dict[str, Counter[str]] = defaultdict(Counter)
    for name, branch, n in source.push_counts(span):
        pushes[names.key_of(name)][branch] += n

    repositories = []
    for key, repo in folded.repos.items():
        display = names.display(key)
        jobs_known = key in job_seconds
        seconds = job_seconds[key] if jobs_known else repo.run_seconds
        weekly = job_weekly[key] if jobs_known else repo.weekly_run_s
        branch = config.default_branches.get(display) or branch_from_pushes(pushes[key])
        health = branch_timeline(
            branch,
            (
                (from_epoch(e.at), e.workflow, e.conclusion)
                for e in heapq.merge(
                    *(source.branch_events(span, n, branch) for n in names.of(key))
                )
            ),
            from_epoch(span.window_start),
            now,
        )
        win_min, base_min = seconds[WINDOW] / 60, seconds[BASELINE] / 60
        change = None
        if base_min > 0:
            ratio = (win_min / config.window_days) / (base_min / config.baseline_days)
            change = round((ratio - 1) * 100, 1)
        repositories.append(
            RepoStats(
                repo=display,
                repo_id=names.repo_id(key),
                runs=repo.runs,
                success_rate=round(repo.successes / repo.decided, 4) if repo.decided else None,
                p95_duration_s=_r(sketch.quantile(repo.hist, 0.95)),
                ci_minutes=round(win_min, 1),
                baseline_ci_minutes=round(base_min, 1),
                ci_minutes_change_pct=change,
                default_branch=branch if health else None,
                default_branch_red_s=(health.red_for_s or 0.0) if health else None,
                default_branch_red_since=health.red_since if health else None,
                failing_workflows=health.failing_workflows if health else [],
                flaky_tests=flaky[key],
                failure_categories=[
                    {"category": c, "count": n}
                    for c, n in sorted(categories[key].items(), key=lambda kv: (-kv[1], kv[0]))[:3]
                ],
                minutes_source="jobs" if jobs_known else "runs",
                former_names=names.former(key),
                deleted=config.live_repos is not None and display not in config.live_repos,
                weekly_minutes={
                    _day_date(w).isoformat(): round(s / 60, 1) for w, s in sorted(weekly.items())
                },
            )
        )
    repositories.sort(key=lambda r: (-r.ci_minutes, r.repo))
    for a in folded.anomalies:
        a.repo = names.display(a.repo or "")
    for g in folded.regressions:
        g.repo = names.display(g.repo)
    runners, runner_anomalies = _runners(source, span, config)
    regressions = sorted(folded.regressions, key=lambda g: (-g.minutes_lost, g.repo, g.workflow))
    anomalies = sorted(folded.anomalies, key=lambda a: (a.repo or "", a.workflow, a.metric))
    report = OrgReport(
        generated_at=now,
        window_start=from_epoch(span.window_start),
        window_end=now,
        baseline_start=from_epoch(span.baseline_start),
        healthy=True,
        verdict="",
        totals={
            "repositories": len(repositories),
            "runs": sum(r.runs for r in repositories),
            "ci_minutes": round(sum(r.ci_minutes for r in repositories), 1),
            "jobs": sum(r.jobs for r in runners),
            "red_default_branches": sum(1 for r in repositories if r.default_branch_red_s),
        },
        repositories=repositories,
        runners=runners,
        regressions=regressions[: config.top_regressions],
        anomalies=runner_anomalies + anomalies,
        data_quality={**source.quality(span), "renamed_repositories": names.renamed()},
        notes=[
            "Quantiles are from log-bucket histograms (within ±1 % of the exact value).",
        ],
    )
    report.healthy, report.verdict = _verdict(report)
    return report


# --- repository names ------------------------------------------------------------------------
class _Names:
    """Repository keys (id, else name) ↔ names; the latest name is shown, older ones listed."""

    def __init__(self, identities: Iterable[RepoIdentity]) -> None:
        self._names: dict[str, list[tuple[float, str]]] = defaultdict(list)
        self._ids: dict[str, int | None] = {}
        self._key_of: dict[str, tuple[float, str]] = {}
        for ident in identities:
            key = repo_key(ident.name, ident.repo_id)
            self._names[key].append((ident.last_created, ident.name))
            self._ids[key] = ident.repo_id
            seen = self._key_of.get(ident.name)
            if seen is None or seen[0] < ident.last_created:
                self._key_of[ident.name] = (ident.last_created, key)

    def key_of(self, name: str) -> str:
        found = self._key_of.get(name)
        return found[1] if found else repo_key(name, None)

    def of(self, key: str) -> list[str]:
        return sorted({n for _, n in self._names.get(key, [])}) or [key.split(":", 1)[1]]

    def display(self, key: str) -> str:
        names = self._names.get(key)
        return max(names)[1] if names else key.split(":", 1)[1]

    def former(self, key: str) -> list[str]:
        latest = self.display(key)
        return sorted({n for _, n in self._names.get(key, []) if n != latest})

    def repo_id(self, key: str) -> int | None:
        return self._ids.get(key)

    def renamed(self) -> int:
        return sum(1 for names in self._names.values() if len({n for _, n in names}) > 1)


# --- runs: one pass, ordered by (repo_key, workflow, period, day) ----------------------------
@dataclass(slots=True)
class _Folded:
    repos: dict[str, _Repo] = field(default_factory=dict)
    regressions: list[Regression] = field(default_factory=list)
    anomalies: list[Anomaly] = field(default_factory=list)


def _fold_runs(cells: Iterable[RunCell], span: OrgSpan, config: OrgConfig) -> _Folded:
    out = _Folded()
    group: tuple[str, str] = ("", "")  # no repository key is empty
    periods: dict[str, _Period] = {}
    day_key: tuple[str, int] | None = None
    day_hist: dict[int, int] = {}
    day_counts = [0, 0]

    def close_day() -> None:
        if day_key is None:
            return
        period, day = day_key
        p = periods[period]
        if period == BASELINE:
            if day_hist:
                median = sketch.quantile(day_hist, 0.5, math.log1p)
                assert median is not None
                p.daily_log[_day_date(day)] = median
            if day_counts[1]:
                p.daily_counts.append((day_counts[0], day_counts[1]))
        else:
            n = sum(day_hist.values())
            if n:
                p.weekdays[(day + 3) % 7] += n
                p.days.add(day)

    def close_group() -> None:
        close_day()
        if periods:
            _judge(group, periods, config.anomaly, out)

    repo = _Repo("")
    p = _Period()
    for key, workflow, period, day, code, dur_b, runs, seconds in cells:
        if key != group[0] or workflow != group[1]:
            close_group()
            group = (key, workflow)
            periods = {WINDOW: _Period(), BASELINE: _Period()}
            day_key = None
            repo = out.repos.get(key) or out.repos.setdefault(key, _Repo(key))
        if day_key is None or period != day_key[0] or day != day_key[1]:
            close_day()
            day_key = (period, day)
            day_hist, day_counts = {}, [0, 0]
            p = periods[period]
        # The hot loop of the org report (one iteration per cell): plain dict arithmetic.
        p.runs += runs
        p.seconds += seconds
        repo.run_seconds[period] += seconds
        repo.weekly_run_s[_week(day)] += seconds
        in_window = period == WINDOW
        if in_window:
            repo.runs += runs
        if code in DECIDED_CODES:
            failed = runs if code == FAILED_ else 0
            p.decided += runs
            p.failed += failed
            day_counts[0] += failed
            day_counts[1] += runs
            if in_window:
                repo.decided += runs
                repo.successes += runs - failed
            if dur_b != sketch.NO_VALUE:
                p.decided_seconds += seconds
                p.hist[dur_b] = p.hist.get(dur_b, 0) + runs
                day_hist[dur_b] = day_hist.get(dur_b, 0) + runs
                if in_window:
                    repo.hist[dur_b] = repo.hist.get(dur_b, 0) + runs
    close_group()
    return out


def _shift_inputs(win: _Period, base: _Period, window_median: float) -> ShiftInputs:
    center = sketch.quantile(base.hist, 0.5, math.log1p) or 0.0
    return ShiftInputs(
        window_median=window_median,
        window_n=sum(win.hist.values()),
        window_weekdays=win.weekdays,
        window_days=len(win.days),
        baseline_n=sum(base.hist.values()),
        baseline_daily_log=base.daily_log,
        baseline_log_median=center,
        baseline_log_mad=sketch.mad(base.hist, center, math.log1p),
    )


def _judge(
    group: tuple[str, str], periods: dict[str, _Period], cfg: AnomalyConfig, out: _Folded
) -> None:
    """Regressions of one (repository, workflow), with the CI minutes they cost."""
    key, workflow = group
    win, base = periods[WINDOW], periods[BASELINE]
    found: list[tuple[Anomaly, float]] = []
    window_median = sketch.quantile(win.hist, 0.5)
    if window_median is not None and base.hist:
        a = flag_shift(
            workflow,
            "duration",
            shift_from_summary(_shift_inputs(win, base, window_median), cfg),
            cfg,
        )
        if a is not None:
            lost = max(0.0, a.window_value - a.baseline_value) * sum(win.hist.values()) / 60
            found.append((a, lost))
    rate = check_rate(
        workflow,
        "failure_rate",
        (win.failed, win.decided),
        (base.failed, base.decided),
        base.daily_counts,
        cfg,
    )
    if rate is not None:
        extra = max(0.0, rate.window_value - rate.baseline_value) * win.decided
        mean = win.decided_seconds / max(1, sum(win.hist.values()))
        found.append((rate, extra * mean / 60))
    for a, lost in found:
        a.repo = key
        a.evidence["minutes_lost"] = round(lost, 1)
        out.anomalies.append(a)
        out.regressions.append(
            Regression(
                repo=key,
                workflow=workflow,
                metric=a.metric,
                minutes_lost=round(lost, 1),
                window_value=a.window_value,
                baseline_value=a.baseline_value,
                change_pct=a.change_pct,
                message=a.message,
            )
        )


# --- jobs ----------------------------------------------------------------------------------
def _job_minutes(
    source: OrgSource, span: OrgSpan, names: _Names
) -> tuple[dict[str, dict[str, float]], dict[str, dict[int, float]]]:
    seconds: dict[str, dict[str, float]] = {}
    weekly: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for cell in source.job_minute_cells(span):
        key = names.key_of(cell.repo)
        per = seconds.setdefault(key, {WINDOW: 0.0, BASELINE: 0.0})
        per[cell.period] += cell.seconds
        weekly[key][_week(cell.day)] += cell.seconds
    return seconds, weekly


@dataclass(slots=True)
class _Pool:
    jobs: int = 0
    hist: dict[str, dict[int, int]] = field(default_factory=lambda: {WINDOW: {}, BASELINE: {}})
    days: dict[tuple[str, int], dict[int, int]] = field(default_factory=dict)
    busy: list[list[int]] = field(default_factory=lambda: [[0] * 24 for _ in range(7)])
    runners: list[dict[str, Any]] = field(default_factory=list)


def _runners(
    source: OrgSource, span: OrgSpan, config: OrgConfig
) -> tuple[list[RunnerStats], list[Anomaly]]:
    pools: dict[tuple[str, str], _Pool] = defaultdict(_Pool)
    for cell in source.queue_cells(span):
        pool = pools[(cell.labels, cell.group)]
        if cell.period == WINDOW:
            pool.jobs += cell.jobs
        if cell.queue_b == sketch.NO_VALUE:
            continue
        sketch.merge(pool.hist[cell.period], [(cell.queue_b, cell.jobs)])
        day = pool.days.setdefault((cell.period, cell.day), {})
        sketch.merge(day, [(cell.queue_b, cell.jobs)])
    for busy in source.busy_cells(span):
        pools[(busy.labels, busy.group)].busy[busy.weekday][busy.hour] += busy.jobs
    for runner in source.runner_cells(span):
        pools[(runner.labels, runner.group)].runners.append(
            {"name": runner.runner, "jobs": runner.jobs,
             "busy_minutes": round(runner.seconds / 60, 1)}
        )  # fmt: skip
    stats: list[RunnerStats] = []
    anomalies: list[Anomaly] = []
    for (labels, group), pool in pools.items():
        name = f"{labels} ({group})" if group else labels
        win, base = pool.hist[WINDOW], pool.hist[BASELINE]
        peak = max(
            ((n, wd, h) for wd, row in enumerate(pool.busy) for h, n in enumerate(row)),
            default=(0, 0, 0),
        )
        weekly: dict[int, dict[int, int]] = defaultdict(dict)
        for (_, day_index), hist in pool.days.items():
            sketch.merge(weekly[_week(day_index)], hist.items())
        stats.append(
            RunnerStats(
                label=labels,
                group=group or None,
                jobs=pool.jobs,
                p50_queue_s=_r(sketch.quantile(win, 0.5)),
                p95_queue_s=_r(sketch.quantile(win, 0.95)),
                baseline_p95_queue_s=_r(sketch.quantile(base, 0.95)),
                busy_hours=pool.busy,
                peak={"weekday": peak[1], "hour": peak[2], "jobs": peak[0]} if peak[0] else None,
                weekly_p95_queue_s={
                    _day_date(w).isoformat(): _r(sketch.quantile(h, 0.95))
                    for w, h in sorted(weekly.items())
                },
                runner_names=sorted(pool.runners, key=lambda r: (-r["jobs"], r["name"]))[
                    : config.top_runner_names
                ],
                runner_names_total=len(pool.runners),
            )
        )
        a = _queue_anomaly(name, pool, config.anomaly)
        if a is not None:
            a.runner_label = labels
            a.evidence.update(
                {
                    "window_p95_s": stats[-1].p95_queue_s,
                    "baseline_p95_s": stats[-1].baseline_p95_queue_s,
                    "window_jobs": pool.jobs,
                    "peak": stats[-1].peak,
                }
            )
            anomalies.append(a)
    stats.sort(key=lambda s: (-s.jobs, s.label, s.group or ""))
    anomalies.sort(key=lambda a: -(a.change_pct or 0))
    return stats, anomalies


def _queue_anomaly(name: str, pool: _Pool, cfg: AnomalyConfig) -> Anomaly | None:
    win, base = pool.hist[WINDOW], pool.hist[BASELINE]
    window_median = sketch.quantile(win, 0.5)
    if window_median is None or not base:
        return None
    weekdays: Counter[int] = Counter()
    days: set[int] = set()
    daily_log: dict[date, float] = {}
    for (period, day), hist in pool.days.items():
        if period == WINDOW:
            weekdays[(day + 3) % 7] += sum(hist.values())
            days.add(day)
        else:
            median = sketch.quantile(hist, 0.5, math.log1p)
            if median is not None:
                daily_log[_day_date(day)] = median
    center = sketch.quantile(base, 0.5, math.log1p) or 0.0
    inputs = ShiftInputs(
        window_median=window_median,
        window_n=sum(win.values()),
        window_weekdays=weekdays,
        window_days=len(days),
        baseline_n=sum(base.values()),
        baseline_daily_log=daily_log,
        baseline_log_median=center,
        baseline_log_mad=sketch.mad(base, center, math.log1p),
    )
    a = flag_shift(f"runner pool {name}", "queue_time", shift_from_summary(inputs, cfg), cfg)
    if a is not None:
        a.message = a.message.replace(" runs vs ", " jobs vs ")
    return a


# --- verdict -------------------------------------------------------------------------------
def _verdict(report: OrgReport) -> tuple[bool, str]:
    reasons: list[str] = []
    red = [r for r in report.repositories if r.default_branch_red_s]
    if red:
        worst = max(red, key=lambda r: r.default_branch_red_s or 0)
        reasons.append(
            f"{len(red)} red default branch{'es' if len(red) > 1 else ''} "
            f"(`{worst.repo}` for {fmt_seconds(worst.default_branch_red_s or 0)})"
        )
    starved = [a for a in report.anomalies if a.runner_label is not None]
    if starved:
        labels = ", ".join(f"`{a.runner_label}` {a.change_pct:+.0f}%" for a in starved[:3]
                           if a.change_pct is not None)  # fmt: skip
        reasons.append(f"runner queue regressed: {labels or len(starved)}")
    if report.regressions:
        lost = sum(g.minutes_lost for g in report.regressions)
        n = len(report.regressions)
        reasons.append(f"{n} regression{'s' if n > 1 else ''} costing {lost:,.0f} CI minutes")
    if not report.repositories:
        return True, "no data: no workflow runs in the window or the baseline"
    if reasons:
        return False, "degraded: " + "; ".join(reasons)
    return True, (
        f"healthy: {report.totals['runs']} runs in {len(report.repositories)} repositories, "
        "no anomalies"
    )


def now_of(latest: float | None) -> datetime:
    """``now`` for an export: just after its latest record (as the repository report does)."""
    if latest is None:
        return datetime.now(UTC)
    return datetime.fromtimestamp(math.floor(latest) + 1, UTC)


__all__ = ["DAY_S", "OrgConfig", "build_org_report", "now_of"]
