"""Cache savings from the step timings that ``workflow_job`` events carry."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from bot.optimize import OptimizeConfig, RunHistory, optimize_text
from bot.optimize.history import history_from_records
from bot.report.records import job_from_api, run_from_api
from bot.report.store import ReportStore

WF = ".github/workflows/ci.yml"
CI = """\
name: CI
on: pull_request
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - uses: actions/setup-node@v5
      - run: npm ci
"""
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def ts(minutes: float) -> str:
    return (NOW - timedelta(days=1) + timedelta(minutes=minutes)).isoformat()


def job_event(job_id: int, install_minutes: float) -> dict:
    return {
        "id": job_id,
        "run_id": 100 + job_id,
        "name": "test",
        "workflow_name": "CI",
        "status": "completed",
        "conclusion": "success",
        "created_at": ts(0),
        "started_at": ts(0),
        "completed_at": ts(10),
        "steps": [
            {"name": "Set up job", "started_at": ts(0), "completed_at": ts(0.5)},
            {"name": "Run npm ci", "started_at": ts(1), "completed_at": ts(1 + install_minutes)},
            {"name": "Run npm test", "started_at": ts(5), "completed_at": ts(9)},
            {"name": "Post", "started_at": None, "completed_at": None},
        ],
    }


def run_event(job_id: int) -> dict:
    return {
        "id": 100 + job_id,
        "name": "CI",
        "status": "completed",
        "conclusion": "success",
        "event": "pull_request",
        "head_branch": f"b{job_id}",
        "head_sha": "a" * 40,
        "created_at": ts(0),
        "run_started_at": ts(0),
        "updated_at": ts(10),
    }


def test_step_timings_parsed_and_kept_by_the_store(tmp_path):
    job = job_from_api(job_event(1, 3.0), "o/r")
    assert [name for name, _ in job.steps] == ["Set up job", "Run npm ci", "Run npm test"]
    assert dict(job.steps)["Run npm ci"] == 180.0
    with ReportStore(tmp_path / "r.sqlite") as store:
        store.upsert_job(job)
        (loaded,) = store.load_jobs("o/r")
    assert loaded.steps == job.steps


def test_a_store_from_before_step_timings_is_migrated(tmp_path):
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE jobs (repo TEXT NOT NULL, job_id INTEGER NOT NULL, run_id INTEGER NOT NULL,"
        " attempt INTEGER NOT NULL, name TEXT NOT NULL, workflow TEXT NOT NULL,"
        " status TEXT NOT NULL, conclusion TEXT, created_at REAL, started_at REAL,"
        " completed_at REAL, duration_s REAL, queue_s REAL, labels TEXT NOT NULL DEFAULT '[]',"
        " runner_name TEXT, head_branch TEXT, head_sha TEXT, PRIMARY KEY (repo, job_id))"
    )
    conn.execute(
        "INSERT INTO jobs VALUES ('o/r', 9, 1, 1, 'old', 'CI', 'completed', 'success',"
        " 0, 0, 60, 60, 0, '[]', NULL, NULL, NULL)"
    )
    conn.commit()
    conn.close()
    with ReportStore(path) as store:
        store.upsert_job(job_from_api(job_event(1, 2.0), "o/r"))
        jobs = {j.job_id: j for j in store.load_jobs("o/r")}
    assert jobs[9].steps == () and len(jobs[1].steps) == 3


def test_cache_saving_from_install_steps():
    jobs = [job_from_api(job_event(i, 4.0), "o/r") for i in range(1, 4)]
    runs = [run_from_api(run_event(i), "o/r") for i in range(1, 4)]
    history = history_from_records(runs, jobs, {"CI": WF}, NOW)
    assert history is not None
    assert round(history.install_for(WF, "test", None), 6) == 12.0  # 3 runs × 4 min
    result = optimize_text(
        WF,
        CI,
        repo_files={"package-lock.json"},
        rules=["cache"],
        history=history,
        config=OptimizeConfig(),
    )
    (finding,) = result.findings
    # 12 min over a 1-day window, halved by a warm cache, scaled to 30 days
    assert finding.minutes_saved == history.per_month(6.0) == 180.0


def test_matrix_legs_count_for_their_job():
    history = RunHistory(window_days=30)
    history.add_step_timings(WF, "test (3.12)", [("Install dependencies", 120.0)])
    history.add_step_timings(WF, "test (3.13)", [("pip install -r requirements.txt", 60.0)])
    history.add_step_timings(WF, "lint", [("Run ruff", 60.0)])
    assert history.install_for(WF, "test", None) == 3.0
    assert history.install_for(WF, "lint", None) == 0.0
