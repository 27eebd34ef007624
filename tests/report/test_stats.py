"""Statistics definitions on small hand-made histories (every number checkable by hand)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.report.model import OpenPR, ReportConfig, report_to_dict
from bot.report.stats import (
    analyze,
    branch_health,
    quantile,
    superseded_ids,
)
from bot.report.store import Diagnosis, Retry

from .helpers import NOW, job, run

H = timedelta(hours=1)
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [([], 0.5, None), ([5], 0.95, 5), ([1, 2, 3, 4], 0.5, 2.5), (list(range(101)), 0.95, 95)],
    ids=["empty", "single", "even-median", "p95"],
)
def test_quantile(values, q, expected):
    assert quantile(values, q) == expected


def test_workflow_stats_definitions():
    t0 = NOW - 3 * DAY
    runs = [
        run(1, t0, duration=100, queue=10),
        run(2, t0 + H, duration=200, queue=20),
        run(3, t0 + 2 * H, conclusion="failure", duration=300, queue=30),
        run(4, t0 + 3 * H, conclusion="cancelled", duration=60, branch="pr", event="pull_request"),
        run(5, t0 + 3 * H + timedelta(seconds=30), duration=400, branch="pr", event="pull_request"),
        run(6, t0 + 4 * H, conclusion="skipped", duration=0),
        run(7, t0 + 5 * H, duration=500, attempt=2),
        run(8, NOW - 10 * DAY, duration=100),  # baseline
    ]
    report = analyze(runs, now=NOW)
    (ci,) = report.workflows
    assert ci.runs == 7
    assert (ci.successes, ci.failures, ci.cancelled) == (4, 1, 1)
    assert ci.success_rate == 0.8  # 4 / 5 decided: cancelled and skipped say nothing
    assert ci.p50_duration_s == 300  # decided runs: 100 200 300 400 500
    assert ci.p50_queue_s == 10  # run 7 is a re-run: no queue time
    assert ci.rerun_rate == round(1 / 7, 4)
    assert ci.cancelled_minutes == 1.0
    assert ci.superseded_minutes == 1.0  # run 5 replaced run 4 on the same branch
    assert ci.ci_minutes == round((100 + 200 + 300 + 60 + 400 + 500) / 60, 1)
    assert ci.baseline.runs == 1 and ci.baseline.p50_duration_s == 100


def test_ci_minutes_prefer_jobs_when_known():
    r = run(1, NOW - DAY, duration=600)
    jobs = [job(10, r, "build", duration=120), job(11, r, "test", duration=240)]
    report = analyze([r], jobs, now=NOW)
    assert report.workflows[0].ci_minutes == 6.0
    assert {(j.name, j.p50_duration_s) for j in report.jobs} == {("build", 120), ("test", 240)}


def test_cancel_without_newer_run_is_not_superseded():
    t0 = NOW - DAY
    runs = [
        run(1, t0, conclusion="cancelled", branch="a", event="pull_request"),
        run(2, t0 + 2 * H, branch="a", event="pull_request"),  # long after the cancel
        run(3, t0 + timedelta(minutes=1), branch="b", event="pull_request"),  # other branch
        run(4, t0 + timedelta(minutes=1), workflow="Lint", branch="a"),  # other workflow
    ]
    assert superseded_ids(runs) == set()


def test_branch_health_timeline():
    t0 = NOW - 2 * DAY
    runs = [
        run(1, t0, duration=60),  # green
        run(2, t0 + H, conclusion="failure", duration=60),  # red from t0+1h+70s
        run(3, t0 + H, workflow="Lint", duration=60),
        run(4, t0 + 3 * H, duration=60),  # green again at t0+3h+70s
        run(5, NOW - 2 * H, workflow="Lint", conclusion="failure", duration=0, queue=0),
        run(6, NOW - 3 * H, conclusion="failure", branch="feature", event="pull_request"),
    ]
    health = branch_health(runs, "main", NOW - 7 * DAY, NOW)
    assert health.green is False
    assert health.failing_workflows == ["Lint"]
    assert health.red_since == NOW - 2 * H
    assert health.red_for_s == 2 * 3600
    assert health.red_in_window_s == 2 * 3600 + 2 * 3600


def test_branch_health_green_and_absent():
    runs = [run(1, NOW - DAY, conclusion="failure"), run(2, NOW - 20 * H)]
    health = branch_health(runs, "main", NOW - 7 * DAY, NOW)
    assert health.green is True and health.red_for_s is None
    assert branch_health(runs, "develop", NOW - 7 * DAY, NOW) is None


def test_flaky_new_resolved_categories_and_retries():
    t0 = NOW - DAY
    passed_on_retry = run(1, t0, attempt=2)
    failed = run(2, t0 + H, conclusion="failure")
    diagnoses = [
        Diagnosis("o/r", 10, 1, "test-failure", "pytest", ("tests/a.py::test_x",)),
        Diagnosis("o/r", 11, 2, "test-failure", "pytest", ("tests/b.py::test_y",)),
        Diagnosis("o/r", 12, 2, "infra", "runner-lost", ("tests/c.py::test_z",), flaky=True),
    ]
    retries = [Retry("o/r", 1, 2, "flaky-test", created_at=t0 + H)]
    extra_failed_job = job(13, failed, "lint", conclusion="failure")
    report = analyze(
        [passed_on_retry, failed],
        [extra_failed_job],
        now=NOW,
        diagnoses=diagnoses,
        retries=retries,
        previous_flaky={"tests/c.py::test_z", "tests/old.py::test_gone"},
        previous_report="123",
    )
    assert report.flaky.current == ["tests/a.py::test_x", "tests/c.py::test_z"]
    assert report.flaky.new == ["tests/a.py::test_x"]
    assert report.flaky.resolved == ["tests/old.py::test_gone"]
    cats = {c["category"]: c["count"] for c in report.failure_categories}
    assert cats == {"test-failure": 2, "infra": 1, "undiagnosed": 1}
    assert report.retries == {
        "total": 1, "passed": 1, "by_rule": [{"rule": "flaky-test", "count": 1}],
    }  # fmt: skip


def test_pull_requests_summary():
    prs = [
        OpenPR(1, NOW - 10 * DAY, needs_rebase=True),
        OpenPR(2, NOW - 2 * DAY),
        OpenPR(3, NOW - 4 * DAY, needs_rebase=True),
    ]
    report = analyze([run(1, NOW - DAY)], now=NOW, open_prs=prs)
    assert report.pull_requests == {
        "open": 3, "needing_rebase": [1, 3], "age_p50_days": 4.0, "age_max_days": 10.0,
        "oldest": 1,
    }  # fmt: skip


def test_verdict_and_window_bounds():
    runs = [run(i, NOW - DAY + i * H) for i in range(5)]
    report = analyze(runs, now=NOW, config=ReportConfig(window=timedelta(days=2)))
    assert report.healthy and report.verdict.startswith("healthy: 5 runs")
    assert report.window_start == NOW - 2 * DAY
    assert report.baseline_start == NOW - 30 * DAY
    red = analyze([*runs, run(9, NOW - H, conclusion="failure")], now=NOW)
    assert not red.healthy and red.verdict.startswith("degraded: `main` red for")


def test_now_defaults_to_end_of_export_and_json_is_serialisable():
    import json

    runs = [run(1, NOW - 40 * DAY), run(2, NOW - DAY)]
    report = analyze(runs)
    assert report.window_end > runs[-1].updated_at - timedelta(seconds=2)
    data = json.loads(json.dumps(report_to_dict(report)))
    assert data["workflows"][0]["name"] == "CI"
    assert data["generated_at"].endswith("Z")


def test_repo_filter():
    runs = [run(1, NOW - DAY, repo="a/x"), run(2, NOW - DAY, repo="b/y")]
    report = analyze(runs, now=NOW, repo="b/y")
    assert report.repo == "b/y" and report.totals.runs == 1
