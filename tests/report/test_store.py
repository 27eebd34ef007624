"""The SQLite state store: idempotent upserts, retention, checkpoints, report history."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.report.api import build_report_from_store
from bot.report.store import Diagnosis, ReportStore, Retry

from .helpers import NOW, job, run

DAY = timedelta(days=1)


@pytest.fixture
def store(tmp_path):
    with ReportStore(tmp_path / "state" / "report.db") as s:
        yield s


def test_wal_mode_and_roundtrip(store):
    r = run(1, NOW - DAY, duration=123.5, queue=7)
    r.pull_requests = (5, 6)
    store.upsert_run(r)
    mode = store._conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    (loaded,) = store.load_runs("o/r")
    assert loaded == r


def test_upserts_are_idempotent(store):
    runs = [run(i, NOW - DAY + timedelta(minutes=i)) for i in range(5)]
    r0 = runs[0]
    jobs = [job(100 + i, r0) for i in range(3)]
    for _ in range(3):
        store.upsert_runs(runs)
        store.upsert_jobs(jobs)
        store.upsert_diagnosis(Diagnosis("o/r", 100, r0.run_id, "infra", created_at=NOW - DAY))
        store.record_retry(Retry("o/r", r0.run_id, 2, "infra", created_at=NOW - DAY))
    assert store.counts() == {
        "runs": 5, "jobs": 3, "diagnoses": 1, "retries": 1, "reports": 0, "checkpoints": 0,
    }  # fmt: skip
    assert store.record_retry(Retry("o/r", r0.run_id, 2, "infra")) is False
    assert store.record_retry(Retry("o/r", r0.run_id, 3, "infra")) is True


def test_older_attempt_never_overwrites_newer(store):
    newer = run(1, NOW - DAY, attempt=2, conclusion="success")
    older = replace(newer, attempt=1, conclusion="failure", queue_s=12.0)
    store.upsert_run(newer)
    store.upsert_run(older)  # late redelivery of attempt 1
    (loaded,) = store.load_runs()
    assert (loaded.attempt, loaded.conclusion) == (2, "success")
    in_progress = replace(newer, attempt=3, status="in_progress", conclusion=None)
    store.upsert_run(in_progress)
    assert store.load_runs()[0].attempt == 3


def test_load_since_and_repo_filter(store):
    store.upsert_runs([run(1, NOW - 10 * DAY), run(2, NOW - DAY), run(3, NOW - DAY, repo="x/y")])
    assert [r.run_id for r in store.load_runs("o/r", NOW - 2 * DAY)] == [2]
    assert [r.run_id for r in store.load_runs(None, NOW - 2 * DAY)] == [2, 3]
    assert store.repos() == ["o/r", "x/y"]


def test_jobs_carry_their_diagnosis(store):
    r = run(1, NOW - DAY, conclusion="failure")
    store.upsert_jobs([job(10, r, conclusion="failure"), job(11, r)])
    store.upsert_diagnosis(Diagnosis("o/r", 10, 1, "test-failure", "pytest", ("t::a", "t::b")))
    by_id = {j.job_id: j for j in store.load_jobs("o/r")}
    assert by_id[10].category == "test-failure"
    assert by_id[10].failing_tests == ("t::a", "t::b")
    assert by_id[11].category is None


def test_prune_keeps_recent_rows_and_latest_report(store):
    old, new = run(1, NOW - 100 * DAY), run(2, NOW - DAY)
    store.upsert_runs([old, new])
    store.upsert_jobs([job(10, old), job(11, new)])
    store.upsert_diagnosis(Diagnosis("o/r", 10, 1, "infra", created_at=NOW - 100 * DAY))
    store.record_retry(Retry("o/r", 1, 2, "infra", created_at=NOW - 100 * DAY))
    store.save_report("o/r", "r1", created_at=NOW - 120 * DAY, flaky={"t::old"})
    store.save_report("o/r", "r2", created_at=NOW - 110 * DAY, flaky={"t::x"})
    deleted = store.prune(NOW - 90 * DAY)
    assert deleted == {"runs": 1, "jobs": 1, "diagnoses": 1, "retries": 1, "reports": 1}
    assert [r.run_id for r in store.load_runs()] == [2]
    assert store.last_report("o/r").report_id == "r2"  # kept: nothing newer to compare with


def test_checkpoint_is_monotonic(store):
    assert store.get_checkpoint("o/r") is None
    store.set_checkpoint("o/r", last_run_id=50, etag='W/"a"', extra={"page": 1})
    store.set_checkpoint("o/r", last_run_id=40, etag='W/"b"')
    cp = store.get_checkpoint("o/r")
    assert (cp.last_run_id, cp.etag, cp.extra) == (50, 'W/"b"', {})


def test_report_history_before(store):
    store.save_report("o/r", "1", created_at=NOW - 7 * DAY, flaky=["a"], verdict="healthy")
    store.save_report("o/r", "2", created_at=NOW, flaky=["b"])
    assert store.last_report("o/r").report_id == "2"
    assert store.last_report("o/r", before=NOW).flaky == frozenset({"a"})
    assert store.last_report("x/y") is None


def test_concurrent_writers_from_threads(store):
    def write(base: int) -> None:
        for i in range(50):
            store.upsert_run(run(base + i, NOW - DAY + timedelta(seconds=base + i)))

    threads = [threading.Thread(target=write, args=(k * 1000,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.counts()["runs"] == 200


def test_build_report_from_store(store):
    r = run(1, NOW - DAY, attempt=2)
    store.upsert_run(r)
    store.upsert_diagnosis(Diagnosis("o/r", 10, 1, "test-failure", failing_tests=("t::new",)))
    store.save_report("o/r", "prev", created_at=NOW - 7 * DAY, flaky={"t::old"})
    report = build_report_from_store(store, "o/r", now=NOW)
    assert report.flaky.new == ["t::new"] and report.flaky.resolved == ["t::old"]
    assert report.flaky.previous_report == "prev"
    assert report.totals.runs == 1
