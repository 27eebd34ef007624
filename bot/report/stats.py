"""CI health statistics over a window, against a baseline, from plain run/job records.

``analyze(...)`` is the engine's entry point: pure, no I/O, deterministic for a given ``now``.
Windows are half-open on run creation time: window = [now − window, now), baseline =
[now − window − baseline, now − window).

Definitions (also in docs/report.md):

* *decided* runs have conclusion success, failure, timed_out or startup_failure; success and
  failure rates are over decided runs (cancelled/skipped runs say nothing about the code);
* duration = ``updated_at − run_started_at`` of the latest attempt; queue = ``run_started_at −
  created_at`` of first attempts; re-run rate = share of runs whose latest attempt is > 1;
* superseded = a cancelled run for which a newer run of the same workflow and branch was created
  before it was cancelled (``cancel-in-progress`` concurrency); its minutes are also counted in
  cancelled minutes;
* CI minutes = sum of job durations when jobs are known for the workflow, else run durations.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.report.anomaly import Anomaly, AnomalyConfig, check_continuous, check_rate, fmt_seconds
from bot.report.branch import branch_health, guess_default_branch
from bot.report.model import (
    BaselineStats,
    DailyPoint,
    FlakyTests,
    JobStats,
    OpenPR,
    Report,
    ReportConfig,
    WorkflowStats,
)
from bot.report.records import DECIDED, FAILED, JobRecord, RunRecord
from bot.report.store import Diagnosis, Retry

SUPERSEDE_SLACK_S = 120.0  # a cancel lands shortly after the superseding run is created


# --- small helpers ----------------------------------------------------------------------
def quantile(sorted_values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated quantile (NumPy's default) of pre-sorted values."""
    if not sorted_values:
        return None
    pos = (len(sorted_values) - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def _q(values: Iterable[float | None], q: float) -> float | None:
    vals = sorted(v for v in values if v is not None)
    res = quantile(vals, q)
    return round(res, 1) if res is not None else None


def _round(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _decided(runs: Iterable[RunRecord]) -> list[RunRecord]:
    return [r for r in runs if r.completed and r.conclusion in DECIDED]


def superseded_ids(runs: Sequence[RunRecord]) -> set[int]:
    """Cancelled runs that a newer run of the same workflow and branch replaced."""
    by_key: dict[tuple[str, str | None], list[RunRecord]] = defaultdict(list)
    for r in runs:
        by_key[(r.workflow, r.branch)].append(r)
    out: set[int] = set()
    for group in by_key.values():
        group.sort(key=lambda r: r.created_at)
        created = [r.created_at for r in group]
        for i, r in enumerate(group):
            if r.conclusion != "cancelled" or r.updated_at is None:
                continue
            j = bisect_left(created, r.created_at, lo=i + 1)
            while j < len(group) and group[j].created_at == r.created_at:
                j += 1  # strictly newer
            limit = r.updated_at + timedelta(seconds=SUPERSEDE_SLACK_S)
            if j < len(group) and group[j].created_at <= limit:
                out.add(r.run_id)
    return out


# --- per-group statistics -----------------------------------------------------------------
def workflow_stats(
    name: str,
    runs: Sequence[RunRecord],
    superseded: set[int],
    job_minutes: float | None = None,
) -> WorkflowStats:
    decided = _decided(runs)
    successes = sum(1 for r in decided if r.conclusion == "success")
    failures = sum(1 for r in decided if r.conclusion in FAILED)
    cancelled = [r for r in runs if r.conclusion == "cancelled"]
    durations = [r.duration_s for r in runs if r.completed and r.duration_s is not None]
    run_minutes = sum(durations) / 60
    return WorkflowStats(
        name=name,
        runs=len(runs),
        completed=sum(1 for r in runs if r.completed),
        successes=successes,
        failures=failures,
        cancelled=len(cancelled),
        success_rate=_rate(successes, len(decided)),
        p50_duration_s=_q((r.duration_s for r in decided), 0.5),
        p95_duration_s=_q((r.duration_s for r in decided), 0.95),
        p50_queue_s=_q((r.queue_s for r in runs), 0.5),
        p95_queue_s=_q((r.queue_s for r in runs), 0.95),
        rerun_rate=_rate(sum(1 for r in runs if r.attempt > 1), len(runs)),
        ci_minutes=round(job_minutes if job_minutes is not None else run_minutes, 1),
        cancelled_minutes=round(sum(r.duration_s or 0 for r in cancelled) / 60, 1),
        superseded_minutes=round(
            sum(r.duration_s or 0 for r in cancelled if r.run_id in superseded) / 60, 1
        ),
    )


def baseline_stats(runs: Sequence[RunRecord]) -> BaselineStats:
    decided = _decided(runs)
    return BaselineStats(
        runs=len(runs),
        success_rate=_rate(sum(1 for r in decided if r.conclusion == "success"), len(decided)),
        p50_duration_s=_q((r.duration_s for r in decided), 0.5),
        p95_duration_s=_q((r.duration_s for r in decided), 0.95),
        p50_queue_s=_q((r.queue_s for r in runs), 0.5),
    )


def daily_series(runs: Sequence[RunRecord], start: datetime, end: datetime) -> list[DailyPoint]:
    """One point per UTC day from ``start`` to ``end`` (days without runs have None values)."""
    by_day: dict[date, list[RunRecord]] = defaultdict(list)
    for r in runs:
        by_day[r.created_at.date()].append(r)
    points = []
    day = start.date()
    while day < end.date() or (day == end.date() and end.time() != datetime.min.time()):
        rs = by_day.get(day, [])
        decided = _decided(rs)
        points.append(
            DailyPoint(
                day=day,
                runs=len(rs),
                p50_duration_s=_q((r.duration_s for r in decided), 0.5),
                failure_rate=_rate(sum(1 for r in decided if r.conclusion in FAILED), len(decided)),
            )
        )
        day += timedelta(days=1)
    return points


def job_stats(workflow: str, name: str, jobs: Sequence[JobRecord]) -> JobStats:
    decided = [j for j in jobs if j.status == "completed" and j.conclusion in DECIDED]
    labels = Counter(label for j in jobs for label in j.labels)
    return JobStats(
        workflow=workflow,
        name=name,
        runs=len(jobs),
        success_rate=_rate(sum(1 for j in decided if j.conclusion == "success"), len(decided)),
        p50_duration_s=_q((j.duration_s for j in decided), 0.5),
        p95_duration_s=_q((j.duration_s for j in decided), 0.95),
        p50_queue_s=_q((j.queue_s for j in jobs), 0.5),
        p95_queue_s=_q((j.queue_s for j in jobs), 0.95),
        labels=[label for label, _ in labels.most_common(5)],
    )


def flaky_tests(
    diagnoses: Sequence[Diagnosis],
    runs_by_id: dict[int, RunRecord],
    previous: Iterable[str] | None,
    previous_report: str | None = None,
) -> FlakyTests:
    """Tests seen flaky in the window: diagnosed flaky, or failed in a run that finally passed."""
    current: set[str] = set()
    for d in diagnoses:
        run = runs_by_id.get(d.run_id)
        if d.flaky or (run is not None and run.conclusion == "success"):
            current.update(d.failing_tests)
    prev = set(previous or ())
    return FlakyTests(
        current=sorted(current),
        new=sorted(current - prev),
        resolved=sorted(prev - current) if previous is not None else [],
        previous_report=previous_report,
    )


def pr_summary(prs: Sequence[OpenPR], now: datetime) -> dict[str, Any]:
    ages = sorted((now - pr.created_at).total_seconds() / 86400 for pr in prs)
    oldest = min(prs, key=lambda pr: pr.created_at) if prs else None
    return {
        "open": len(prs),
        "needing_rebase": sorted(pr.number for pr in prs if pr.needs_rebase),
        "age_p50_days": _round(quantile(ages, 0.5)),
        "age_max_days": round(ages[-1], 1) if ages else None,
        "oldest": oldest.number if oldest else None,
    }


# --- anomalies ---------------------------------------------------------------------------
def _samples(records: Iterable[Any], attr: str, ts_attr: str) -> list[tuple[datetime, float]]:
    out = []
    for r in records:
        value, ts = getattr(r, attr), getattr(r, ts_attr)
        if value is not None and ts is not None:
            out.append((ts, value))
    return out


def _daily_counts(runs: Iterable[Any], is_event: Callable[[Any], bool]) -> list[tuple[int, int]]:
    by_day: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for r in runs:
        cell = by_day[r.created_at.date()]
        cell[0] += int(is_event(r))
        cell[1] += 1
    return [(k, n) for k, n in by_day.values()]


def _run_anomalies(
    name: str, win: Sequence[RunRecord], base: Sequence[RunRecord], cfg: AnomalyConfig
) -> list[Anomaly]:
    out: list[Anomaly | None] = []
    win_dec, base_dec = _decided(win), _decided(base)
    out.append(
        check_continuous(
            name,
            "duration",
            _samples(win_dec, "duration_s", "created_at"),
            _samples(base_dec, "duration_s", "created_at"),
            cfg,
        )
    )
    out.append(
        check_continuous(
            name,
            "queue_time",
            _samples(win, "queue_s", "created_at"),
            _samples(base, "queue_s", "created_at"),
            cfg,
        )
    )

    def failed(r: RunRecord) -> bool:
        return r.conclusion in FAILED

    out.append(
        check_rate(
            name,
            "failure_rate",
            (sum(map(failed, win_dec)), len(win_dec)),
            (sum(map(failed, base_dec)), len(base_dec)),
            _daily_counts(base_dec, failed),
            cfg,
        )
    )

    def rerun(r: RunRecord) -> bool:
        return r.attempt > 1

    out.append(
        check_rate(
            name,
            "rerun_rate",
            (sum(map(rerun, win)), len(win)),
            (sum(map(rerun, base)), len(base)),
            _daily_counts(base, rerun),
            cfg,
        )
    )
    return [a for a in out if a is not None]


def _job_anomalies(
    workflow: str,
    job: str,
    win: Sequence[JobRecord],
    base: Sequence[JobRecord],
    cfg: AnomalyConfig,
) -> list[Anomaly]:
    def ts(j: JobRecord) -> datetime | None:
        return j.created_at or j.started_at

    def decided(jobs: Sequence[JobRecord]) -> list[JobRecord]:
        return [j for j in jobs if j.status == "completed" and j.conclusion in DECIDED]

    def samples(jobs: Sequence[JobRecord], attr: str) -> list[tuple[datetime, float]]:
        return [(t, v) for j in jobs if (t := ts(j)) and (v := getattr(j, attr)) is not None]

    win_dec, base_dec = decided(win), decided(base)
    found = [
        check_continuous(
            workflow, "duration", samples(win_dec, "duration_s"), samples(base_dec, "duration_s"),
            cfg, job=job,
        ),
        check_continuous(
            workflow, "queue_time", samples(win, "queue_s"), samples(base, "queue_s"),
            cfg, job=job,
        ),
        check_rate(
            workflow, "failure_rate",
            (sum(j.conclusion in FAILED for j in win_dec), len(win_dec)),
            (sum(j.conclusion in FAILED for j in base_dec), len(base_dec)),
            cfg=cfg, job=job,
        ),
    ]  # fmt: skip
    for a in found:
        if a is not None and a.metric == "queue_time":
            labels = Counter(lb for j in win for lb in j.labels).most_common(3)
            if labels:
                a.evidence["runner_labels"] = [lb for lb, _ in labels]
    return [a for a in found if a is not None]


# --- entry point -------------------------------------------------------------------------
def analyze(
    runs: Sequence[RunRecord],
    jobs: Sequence[JobRecord] = (),
    *,
    now: datetime | None = None,
    config: ReportConfig = ReportConfig(),
    repo: str | None = None,
    diagnoses: Sequence[Diagnosis] = (),
    retries: Sequence[Retry] = (),
    previous_flaky: Iterable[str] | None = None,
    previous_report: str | None = None,
    open_prs: Sequence[OpenPR] | None = None,
    slos: Sequence[Any] = (),
) -> Report:
    """Compute the whole report. ``now`` defaults to the latest run's ``updated_at``
    (so an old export is analysed as of its end), else the current time."""
    now = now or _latest(runs) or datetime.now(UTC)
    window_start = now - config.window
    baseline_start = window_start - config.baseline
    if repo:
        runs = [r for r in runs if r.repo == repo]
        jobs = [j for j in jobs if j.repo == repo]
    repo_name = repo or ", ".join(sorted({r.repo for r in runs if r.repo})) or "?"
    win = [r for r in runs if window_start <= r.created_at < now]
    base = [r for r in runs if baseline_start <= r.created_at < window_start]
    superseded = superseded_ids([r for r in runs if r.created_at >= window_start])

    run_by_id = {r.run_id: r for r in runs}
    win_jobs, base_jobs = _split_jobs(jobs, run_by_id, window_start, baseline_start, now)
    job_minutes: dict[str, float] = defaultdict(float)
    for j in win_jobs:
        job_minutes[j.workflow] += (j.duration_s or 0) / 60

    by_wf_win: dict[str, list[RunRecord]] = defaultdict(list)
    by_wf_base: dict[str, list[RunRecord]] = defaultdict(list)
    for r in win:
        by_wf_win[r.workflow].append(r)
    for r in base:
        by_wf_base[r.workflow].append(r)

    workflows: list[WorkflowStats] = []
    anomalies: list[Anomaly] = []
    for name in sorted(set(by_wf_win) | set(by_wf_base)):
        wr, br = by_wf_win.get(name, []), by_wf_base.get(name, [])
        ws = workflow_stats(name, wr, superseded, job_minutes.get(name))
        ws.baseline = baseline_stats(br)
        ws.daily = daily_series(wr + br, baseline_start, now)
        if wr:
            workflows.append(ws)
        anomalies.extend(_run_anomalies(name, wr, br, config.anomaly))
    workflows.sort(key=lambda w: (-w.ci_minutes, w.name))

    totals = workflow_stats("all workflows", win, superseded, sum(job_minutes.values()) or None)
    totals.baseline = baseline_stats(base)
    totals.daily = daily_series(win + base, baseline_start, now)

    jobs_out, job_anoms = _jobs_section(win_jobs, base_jobs, config)
    anomalies.extend(job_anoms)
    anomalies.sort(key=_anomaly_rank)

    window_diag = [d for d in diagnoses if _diag_in_window(d, run_by_id, window_start, now)]
    branch = config.default_branch or guess_default_branch(runs)
    health = branch_health(runs, branch, window_start, now)
    report = Report(
        repo=repo_name,
        generated_at=now,
        window_start=window_start,
        window_end=now,
        baseline_start=baseline_start,
        healthy=True,
        verdict="",
        totals=totals,
        workflows=workflows,
        jobs=jobs_out,
        anomalies=anomalies,
        failure_categories=_categories(window_diag, win_jobs),
        flaky=flaky_tests(window_diag, run_by_id, previous_flaky, previous_report),
        retries=_retries(retries, run_by_id, window_start, now),
        default_branch=health,
        pull_requests=pr_summary(open_prs, now) if open_prs is not None else None,
        slos=list(slos),
    )
    report.healthy, report.verdict = verdict(report)
    return report


def _latest(runs: Sequence[RunRecord]) -> datetime | None:
    stamps = [r.updated_at or r.created_at for r in runs]
    return max(stamps) + timedelta(seconds=1) if stamps else None


def _split_jobs(
    jobs: Sequence[JobRecord],
    run_by_id: dict[int, RunRecord],
    window_start: datetime,
    baseline_start: datetime,
    now: datetime,
) -> tuple[list[JobRecord], list[JobRecord]]:
    """Attribute jobs to window/baseline by their run's creation (else their own) time."""
    win: list[JobRecord] = []
    base: list[JobRecord] = []
    for j in jobs:
        run = run_by_id.get(j.run_id)
        if not j.workflow and run is not None:
            j.workflow = run.workflow
        at = run.created_at if run is not None else (j.created_at or j.started_at)
        if at is None:
            continue
        if window_start <= at < now:
            win.append(j)
        elif baseline_start <= at < window_start:
            base.append(j)
    return win, base


def _jobs_section(
    win_jobs: Sequence[JobRecord], base_jobs: Sequence[JobRecord], config: ReportConfig
) -> tuple[list[JobStats], list[Anomaly]]:
    by_win: dict[tuple[str, str], list[JobRecord]] = defaultdict(list)
    by_base: dict[tuple[str, str], list[JobRecord]] = defaultdict(list)
    for j in win_jobs:
        by_win[(j.workflow, j.name)].append(j)
    for j in base_jobs:
        by_base[(j.workflow, j.name)].append(j)
    stats = [job_stats(wf, name, js) for (wf, name), js in by_win.items()]
    stats.sort(key=lambda s: (-s.runs, s.workflow, s.name))
    anomalies: list[Anomaly] = []
    busiest = sorted(by_win, key=lambda k: -len(by_win[k]))[: config.max_jobs_checked]
    for key in sorted(busiest):
        anomalies.extend(
            _job_anomalies(key[0], key[1], by_win[key], by_base.get(key, []), config.anomaly)
        )
    return stats, anomalies


_METRIC_ORDER = {"failure_rate": 0, "duration": 1, "queue_time": 2, "rerun_rate": 3}


def _anomaly_rank(a: Anomaly) -> tuple[Any, ...]:
    return (a.job is not None, _METRIC_ORDER.get(a.metric, 9), a.workflow, a.job or "")


def _diag_in_window(
    d: Diagnosis, run_by_id: dict[int, RunRecord], start: datetime, end: datetime
) -> bool:
    run = run_by_id.get(d.run_id)
    at = run.created_at if run is not None else d.created_at
    return at is not None and start <= at < end


def _categories(
    diagnoses: Sequence[Diagnosis], win_jobs: Sequence[JobRecord]
) -> list[dict[str, Any]]:
    """Top failure categories of failed jobs; failed jobs without a diagnosis are 'undiagnosed'."""
    by_job = {d.job_id: d.category for d in diagnoses}
    counts: Counter[str] = Counter(by_job.values())
    for j in win_jobs:
        if j.conclusion in FAILED and j.job_id not in by_job:
            counts[j.category or "undiagnosed"] += 1
    total = sum(counts.values())
    return [
        {"category": c, "count": n, "share": round(n / total, 3)}
        for c, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def _retries(
    retries: Sequence[Retry], run_by_id: dict[int, RunRecord], start: datetime, end: datetime
) -> dict[str, Any]:
    spent = [r for r in retries if r.created_at is None or start <= r.created_at < end]
    by_rule: Counter[str] = Counter(r.rule for r in spent)
    passed = sum(
        1
        for r in spent
        if (run := run_by_id.get(r.run_id)) is not None
        and run.attempt >= r.attempt
        and run.conclusion == "success"
    )
    return {
        "total": len(spent),
        "passed": passed,
        "by_rule": [{"rule": k, "count": v} for k, v in sorted(by_rule.items(), key=_by_count)],
    }


def _by_count(kv: tuple[str, int]) -> tuple[int, str]:
    return (-kv[1], kv[0])


def verdict(report: Report) -> tuple[bool, str]:
    """(healthy, one-line verdict). Degraded by anomalies, a red default branch, SLO breaches."""
    reasons: list[str] = []
    wf_anoms = [a for a in report.anomalies if a.job is None]
    job_anoms = [a for a in report.anomalies if a.job is not None]
    for a in (wf_anoms or job_anoms)[:3]:
        who = f"{a.workflow} / {a.job}" if a.job else a.workflow
        change = f" {a.change_pct:+.0f}%" if a.change_pct is not None else ""
        reasons.append(f"{who} {a.metric.replace('_', ' ')}{change}")
    extra = len(report.anomalies) - len(reasons)
    if extra > 0:
        reasons.append(f"{extra} more anomal{'y' if extra == 1 else 'ies'}")
    health = report.default_branch
    if health is not None and health.green is False:
        red = fmt_seconds(health.red_for_s or 0)
        reasons.insert(
            0, f"`{health.branch}` red for {red} ({', '.join(health.failing_workflows)})"
        )
    breaches = [s for s in report.slos if getattr(s, "status", None) == "breach"]
    if breaches:
        reasons.append("SLO breached: " + ", ".join(s.name for s in breaches))
    if report.totals.runs == 0 and report.totals.baseline and report.totals.baseline.runs == 0:
        return True, "no data: no workflow runs in the window or the baseline"
    if reasons:
        return False, "degraded: " + "; ".join(reasons)
    rate = report.totals.success_rate
    rate_txt = f", {rate:.0%} success" if rate is not None else ""
    return True, f"healthy: {report.totals.runs} runs{rate_txt}, no anomalies"
