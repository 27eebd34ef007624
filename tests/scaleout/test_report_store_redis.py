"""The report store on Redis behaves exactly like the SQLite one, and replicas share it."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.report.api import build_report_from_store
from bot.report.records import jobs_from_api, runs_from_api
from bot.report.redis_store import RedisReportStore
from bot.report.store import Diagnosis, ReportStore, Retry
from bot.report.synthetic import generate
from tests.report.helpers import NOW, SPECS, job, run

DAY = timedelta(days=1)


@pytest.fixture(params=["sqlite", "redis"])
def store(request, tmp_path, namespace):
    if request.param == "sqlite":
        s = ReportStore(tmp_path / "state.sqlite3")
    else:
        s = RedisReportStore(request.getfixturevalue("redis_server").url, namespace)
    with s:
        yield s


def test_roundtrip_and_idempotent_upserts(store):
    r = run(1, NOW - DAY, duration=123.5, queue=7.25)
    r.pull_requests = (5, 6)
    runs = [r] + [run(i, NOW - DAY + timedelta(minutes=i)) for i in range(2, 6)]
    jobs = [job(100 + i, r) for i in range(3)]
    for _ in range(3):
        assert store.upsert_runs(runs) == 5
        assert store.upsert_jobs(jobs) == 3
        store.upsert_diagnosis(Diagnosis("o/r", 100, 1, "infra", created_at=NOW - DAY))
        store.record_retry(Retry("o/r", 1, 2, "infra", created_at=NOW - DAY))
    assert store.upsert_runs([]) == 0 and store.upsert_jobs([]) == 0
    assert store.load_runs("o/r")[0] == r
    assert store.load_jobs("o/r")[1] == jobs[1]
    assert store.counts() == {
        "runs": 5, "jobs": 3, "diagnoses": 1, "retries": 1, "reports": 0, "checkpoints": 0,
    }  # fmt: skip


def test_older_attempt_never_overwrites_newer(store):
    newer = run(1, NOW - DAY, attempt=2, conclusion="success")
    older = replace(newer, attempt=1, conclusion="failure", queue_s=12.0)
    store.upsert_run(newer)
    store.upsert_run(older)  # late redelivery of attempt 1
    (loaded,) = store.load_runs()
    assert (loaded.attempt, loaded.conclusion, loaded.queue_s) == (2, "success", None)
    stale = replace(newer, conclusion="failure", updated_at=newer.updated_at - DAY)
    store.upsert_run(stale)  # same attempt, older update
    assert store.load_runs()[0].conclusion == "success"
    in_progress = replace(newer, attempt=3, status="in_progress", conclusion=None, queue_s=None)
    store.upsert_runs([in_progress, replace(in_progress, attempt=2)])
    assert store.load_runs()[0].attempt == 3
    # queue_s: an update without one keeps the stored value
    first = run(2, NOW - DAY, queue=9)
    store.upsert_run(first)
    store.upsert_run(replace(first, queue_s=None, status="completed"))
    assert store.load_runs()[1].queue_s == 9


def test_load_since_and_repo_filter_and_order(store):
    store.upsert_runs(
        [
            run(4, NOW - DAY),
            run(1, NOW - 10 * DAY),
            run(2, NOW - DAY),
            run(3, NOW - 2 * DAY, repo="x/y"),
        ]
    )
    assert [r.run_id for r in store.load_runs("o/r", NOW - 2 * DAY)] == [2, 4]
    assert [r.run_id for r in store.load_runs(None, NOW - 2 * DAY)] == [3, 2, 4]
    assert [r.run_id for r in store.load_runs()] == [1, 3, 2, 4]
    assert store.load_runs("z/z") == []
    assert store.repos() == ["o/r", "x/y"]
    old, new = run(10, NOW - 5 * DAY), run(11, NOW - DAY)
    store.upsert_jobs([job(21, new), job(20, old), job(22, new, name="x")])
    assert [j.job_id for j in store.load_jobs("o/r", NOW - 2 * DAY)] == [21, 22]
    assert [j.job_id for j in store.load_jobs()] == [20, 21, 22]


def test_jobs_carry_their_diagnosis_and_keep_workflow(store):
    r = run(1, NOW - DAY, conclusion="failure")
    store.upsert_jobs([job(10, r, conclusion="failure"), job(11, r)])
    store.upsert_job(replace(job(11, r), workflow="", name="renamed"))  # webhook without it
    store.upsert_diagnosis(Diagnosis("o/r", 10, 1, "test-failure", "pytest", ("t::b", "t::a")))
    by_id = {j.job_id: j for j in store.load_jobs("o/r")}
    assert (by_id[10].category, by_id[10].failing_tests) == ("test-failure", ("t::a", "t::b"))
    assert (by_id[11].category, by_id[11].failing_tests) == (None, ())
    assert (by_id[11].workflow, by_id[11].name) == ("CI", "renamed")


def test_diagnoses_replace_but_retried_and_created_stick(store):
    store.upsert_diagnosis(Diagnosis("o/r", 10, 1, "infra", retried=True, created_at=NOW - DAY))
    store.upsert_diagnosis(Diagnosis("o/r", 10, 1, "flaky", "r", flaky=True, created_at=NOW))
    store.upsert_diagnosis(Diagnosis("o/r", 9, 1, "infra", created_at=NOW - 3 * DAY))
    store.upsert_diagnosis(Diagnosis("x/y", 8, 2, "infra", created_at=NOW - 2 * DAY))
    assert [(d.repo, d.job_id) for d in store.load_diagnoses()] == [
        ("o/r", 9),
        ("x/y", 8),
        ("o/r", 10),
    ]
    (d,) = store.load_diagnoses("o/r", NOW - 2 * DAY)
    assert d == Diagnosis("o/r", 10, 1, "flaky", "r", (), True, True, NOW - DAY)


def test_retries_are_deduplicated(store):
    assert store.record_retry(Retry("o/r", 1, 2, "infra", 10, NOW - DAY)) is True
    assert store.record_retry(Retry("o/r", 1, 2, "other", created_at=NOW)) is False
    assert store.record_retry(Retry("o/r", 1, 3, "infra", created_at=NOW)) is True
    assert store.record_retry(Retry("x/y", 1, 2, "infra", created_at=NOW - 3 * DAY)) is True
    assert store.load_retries("o/r") == [
        Retry("o/r", 1, 2, "infra", 10, NOW - DAY),
        Retry("o/r", 1, 3, "infra", None, NOW),
    ]
    assert [r.repo for r in store.load_retries()] == ["x/y", "o/r", "o/r"]
    assert [r.attempt for r in store.load_retries(since=NOW - DAY / 2)] == [3]
    assert store.record_retry(Retry("o/r", 5, 1, "infra"))  # created_at defaults to now


def test_report_history_before(store):
    store.save_report("o/r", "1", created_at=NOW - 7 * DAY, flaky=["a"], verdict="healthy")
    store.save_report("o/r", "2", created_at=NOW, flaky=["b"])
    latest = store.last_report("o/r")
    assert (latest.report_id, latest.created_at, latest.verdict) == ("2", NOW, "")
    previous = store.last_report("o/r", before=NOW)
    assert (previous.flaky, previous.verdict) == (frozenset({"a"}), "healthy")
    assert store.last_report("o/r", before=NOW - 8 * DAY) is None
    assert store.last_report("x/y") is None
    store.save_report("o/r", "1", created_at=NOW + DAY, flaky=[])  # re-saved: moves in time
    assert store.last_report("o/r").report_id == "1"
    assert store.counts()["reports"] == 2


def test_checkpoint_is_monotonic(store):
    assert store.get_checkpoint("o/r") is None
    store.set_checkpoint("o/r", last_run_id=50, etag='W/"a"', extra={"page": 1})
    assert store.get_checkpoint("o/r").extra == {"page": 1}
    store.set_checkpoint("o/r", last_run_id=40, etag='W/"b"')
    cp = store.get_checkpoint("o/r")
    assert (cp.repo, cp.last_run_id, cp.etag, cp.extra) == ("o/r", 50, 'W/"b"', {})
    store.set_checkpoint("o/r", last_run_id=None)
    assert store.get_checkpoint("o/r").last_run_id == 50
    store.set_checkpoint("o/r", last_run_id=12_345_678_901)
    assert store.get_checkpoint("o/r").last_run_id == 12_345_678_901
    store.set_checkpoint("x/y", last_run_id=None)
    assert store.get_checkpoint("x/y").last_run_id is None
    assert store.counts()["checkpoints"] == 2


def test_prune_keeps_recent_rows_and_latest_report(store):
    old, new = run(1, NOW - 100 * DAY), run(2, NOW - DAY)
    store.upsert_runs([old, new, run(3, NOW - 100 * DAY, repo="x/y")])
    store.upsert_jobs([job(10, old), job(11, new)])
    store.upsert_diagnosis(Diagnosis("o/r", 10, 1, "infra", created_at=NOW - 100 * DAY))
    store.upsert_diagnosis(Diagnosis("o/r", 11, 2, "infra", created_at=NOW - DAY))
    store.record_retry(Retry("o/r", 1, 2, "infra", created_at=NOW - 100 * DAY))
    store.save_report("o/r", "r1", created_at=NOW - 120 * DAY, flaky={"t::old"})
    store.save_report("o/r", "r2", created_at=NOW - 110 * DAY, flaky={"t::x"})
    store.save_report("x/y", "r3", created_at=NOW - 120 * DAY)
    deleted = store.prune(NOW - 90 * DAY)
    assert deleted == {"runs": 2, "jobs": 1, "diagnoses": 1, "retries": 1, "reports": 1}
    assert [r.run_id for r in store.load_runs()] == [2]
    assert [j.job_id for j in store.load_jobs()] == [11]
    assert store.repos() == ["o/r"]
    assert store.last_report("o/r").report_id == "r2"  # kept: nothing newer to compare with
    assert store.last_report("x/y").report_id == "r3"
    assert store.prune(NOW - 90 * DAY) == dict.fromkeys(deleted, 0)
    assert store.counts() == {
        "runs": 1, "jobs": 1, "diagnoses": 1, "retries": 0, "reports": 2, "checkpoints": 0,
    }  # fmt: skip


def test_concurrent_writers_from_threads(store):
    def write(base: int) -> None:
        for i in range(25):
            store.upsert_run(run(base + i, NOW - DAY + timedelta(seconds=base + i)))
            store.upsert_run(run(base, NOW - DAY, attempt=1 + i % 3))

    threads = [threading.Thread(target=write, args=(k * 1000 + 1,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.counts()["runs"] == 100
    assert {r.attempt for r in store.load_runs() if r.run_id % 1000 == 1} == {3}


def test_replicas_share_history_and_reports_match_sqlite(redis_server, namespace, tmp_path):
    history = generate(SPECS, NOW - 35 * DAY, NOW, seed=7, repo="o/r")
    runs, jobs = runs_from_api(history.runs), jobs_from_api(history.jobs)
    failed = [j for j in jobs if j.conclusion == "failure"][:40]
    diagnoses = [
        Diagnosis("o/r", j.job_id, j.run_id, "test-failure", "pytest", (f"t::{i % 3}",),
                  flaky=i % 2 == 0, created_at=j.completed_at)
        for i, j in enumerate(failed)
    ]  # fmt: skip
    retries = [Retry("o/r", d.run_id, 2, "flaky", d.job_id, d.created_at) for d in diagnoses[::3]]

    one = RedisReportStore(redis_server.url, namespace)
    two = RedisReportStore(redis_server.url, namespace)
    with ReportStore(tmp_path / "state.sqlite3") as sqlite, one, two:
        # replica one takes the runs and half the jobs, replica two the rest
        half = len(jobs) // 2
        one.upsert_runs(runs)
        one.upsert_jobs(jobs[:half])
        two.upsert_jobs(jobs[half:])
        for d in diagnoses:
            (one if d.job_id % 2 else two).upsert_diagnosis(d)
        for r in retries:
            assert two.record_retry(r) and not one.record_retry(r)
        one.save_report("o/r", "prev", created_at=NOW - 7 * DAY, flaky={"t::0", "t::old"})

        sqlite.upsert_runs(runs)
        sqlite.upsert_jobs(jobs)
        for d in diagnoses:
            sqlite.upsert_diagnosis(d)
        for r in retries:
            sqlite.record_retry(r)
        sqlite.save_report("o/r", "prev", created_at=NOW - 7 * DAY, flaky={"t::0", "t::old"})

        assert one.counts() == two.counts() == sqlite.counts()
        assert two.load_runs("o/r") == sqlite.load_runs("o/r")
        assert one.load_jobs("o/r") == sqlite.load_jobs("o/r")
        assert one.load_diagnoses() == sqlite.load_diagnoses()
        assert two.load_retries() == sqlite.load_retries()

        expected = build_report_from_store(sqlite, "o/r", now=NOW)
        assert expected.totals.runs > 100
        assert build_report_from_store(one, "o/r", now=NOW) == expected
        assert build_report_from_store(two, "o/r", now=NOW) == expected
