"""Both report stores given the same records give the same answers: step timings, bulk ingest,
and the org report (its Redis side read from day rollups kept at ingest, not from every run)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace
from datetime import timedelta

import pytest
import redis

from bot.report.org import build_org_report
from bot.report.org_cells import MemorySource
from bot.report.org_model import org_report_to_dict
from bot.report.org_sqlite import SqliteOrgSource
from bot.report.redis_store import RedisReportStore
from bot.report.store import ReportStore
from tests.scaleout.conftest import _server

from .helpers import NOW, job, run
from .org_data import org_history


@pytest.fixture
def redis_url(tmp_path):
    server = _server(tmp_path)
    yield server.url
    server.kill()


@pytest.fixture(params=["sqlite", "redis"])
def store(request, tmp_path):
    if request.param == "sqlite":
        s: ReportStore | RedisReportStore = ReportStore(tmp_path / "s.sqlite3")
    else:
        s = RedisReportStore(request.getfixturevalue("redis_url"), "pitcrew:backends")
    with s:
        yield s


def test_step_timings_survive_an_upsert_without_steps(store):
    """A workflow_job webhook carries no steps; the back-fill's step timings must stay."""
    r = run(1, NOW - timedelta(days=1))
    timed = replace(job(10, r), steps=(("checkout", 4.0), ("test", 250.5)))
    store.upsert_jobs([timed])
    store.upsert_job(replace(timed, steps=(), conclusion="failure"))
    (loaded,) = store.load_jobs("o/r")
    assert loaded.steps == (("checkout", 4.0), ("test", 250.5))
    assert loaded.conclusion == "failure"  # the rest of the update did land
    store.upsert_job(replace(timed, steps=(("test", 9.0),)))  # new timings do replace
    assert store.load_jobs("o/r")[0].steps == (("test", 9.0),)


def test_ingest_many_equals_separate_upserts(store, tmp_path):
    history = org_history(days=10)
    assert store.ingest_many(history.runs, history.jobs) == (len(history.runs), len(history.jobs))
    with ReportStore(tmp_path / "ref.sqlite3") as ref:
        ref.upsert_runs(history.runs)
        ref.upsert_jobs(history.jobs)
        assert store.load_runs() == ref.load_runs()
        assert store.load_jobs() == ref.load_jobs()
        assert store.counts() == ref.counts()


def _rerun(r, conclusion):
    return replace(r, attempt=r.attempt + 1, conclusion=conclusion,
                   updated_at=r.updated_at + timedelta(minutes=30))  # fmt: skip


def _feed(store, history, changed, moved) -> None:
    """The same sequence for both stores: bulk ingest, re-delivery, conclusion changes (both
    ways), jobs that move in time, diagnoses, then retention."""
    store.ingest_many(history.runs, history.jobs)
    store.upsert_runs(history.runs[:300])  # re-delivered: counts must not double
    store.upsert_runs(changed)
    store.upsert_runs(history.runs[:40])  # late older attempts: must not win
    store.upsert_jobs(moved)
    for d in history.diagnoses:
        store.upsert_diagnosis(d)
    store.prune(NOW - timedelta(days=33, hours=5))


@pytest.mark.parametrize("hours_before", [0, 7.62])
def test_org_report_is_the_same_on_both_stores(tmp_path, redis_url, hours_before):
    history = org_history()
    decided = [r for r in history.runs if r.conclusion in ("success", "failure")]
    changed = [_rerun(r, "success" if r.conclusion == "failure" else "failure")
               for r in decided[::37]]  # fmt: skip
    moved = [replace(j, created_at=j.created_at + timedelta(hours=3))
             for j in history.jobs[::29] if j.created_at]  # fmt: skip
    now = NOW - timedelta(hours=hours_before)
    with ReportStore(tmp_path / "s.sqlite3") as sqlite:
        _feed(sqlite, history, changed, moved)
        runs, jobs = sqlite.load_runs(), sqlite.load_jobs()
    with SqliteOrgSource(tmp_path / "s.sqlite3") as source:
        from_sqlite = org_report_to_dict(build_org_report(source, now=now))
    with RedisReportStore(redis_url, "pitcrew:same") as redis_store:
        _feed(redis_store, history, changed, moved)
        assert redis_store.load_runs() == runs and redis_store.load_jobs() == jobs
        commands, report = _commands_during(
            redis_url, lambda: build_org_report(redis_store.org_source(), now=now)
        )
        from_redis = org_report_to_dict(report)
    diagnoses = [d for d in history.diagnoses if d.created_at >= NOW - timedelta(days=33, hours=5)]
    from_memory = build_org_report(MemorySource(runs, jobs, diagnoses), now=now)
    assert from_redis == from_sqlite == org_report_to_dict(from_memory)
    changed_repo = {r.repo for r in changed}
    assert any(r["repo"] in changed_repo for r in from_redis["repositories"])
    fact_reads = [c for c in commands if ":report:runs_t:" in c or ":report:org_runs_m:" in c]
    if hours_before == 0:
        # On day boundaries every run count comes from the rollups: run facts are read only for
        # the diagnosed runs (the flaky check), never a slice of a repository's runs.
        assert fact_reads and all(c.startswith("HMGET") for c in fact_reads)
        assert len(fact_reads) == len({d.repo for d in diagnoses if d.created_at >= now - WEEK})
    else:  # the partial days are read run by run
        assert any(c.startswith("ZRANGEBYSCORE") for c in fact_reads)


WEEK = timedelta(days=7)


def _commands_during(url: str, build):
    """The commands Redis ran while ``build()`` ran (MONITOR on a connection of its own)."""
    client = redis.Redis.from_url(url)
    seen: list[str] = []
    ready = threading.Event()

    def watch() -> None:
        with client.monitor() as monitor:
            ready.set()
            for event in monitor.listen():
                if "__done__" in event["command"]:
                    return
                seen.append(event["command"])

    thread = threading.Thread(target=watch)
    thread.start()
    ready.wait(5)
    client.ping()  # MONITOR is on once a later command is seen
    time.sleep(0.2)
    result = build()
    client.get("__done__")
    thread.join(10)
    client.close()
    return seen, result


def test_redis_store_of_the_older_layout_is_migrated_on_open(redis_url):
    """Layout 1 had no run day rollups and facts without their bucket: opening rebuilds them."""
    history = org_history(days=12)
    with RedisReportStore(redis_url, "pitcrew:old") as store:
        store.ingest_many(history.runs, history.jobs)
        expected = org_report_to_dict(build_org_report(store.org_source(), now=NOW))
        r, k = store._redis, store._k
        for repo in store._all_repos():
            r.delete(k("org_run_days", repo), k("org_pushes", repo))
            old = {i: f.rsplit(b"\x1f", 1)[0] for i, f in r.hgetall(k("org_runs_m", repo)).items()}
            r.hset(k("org_runs_m", repo), mapping=old)
            r.zadd(k("org_runs", repo), {f: 1.0 for f in old.values()})
        r.delete(k("org_layout"))
        broken = org_report_to_dict(build_org_report(store.org_source(), now=NOW))
        assert broken["totals"]["runs"] == 0  # what a report of an unmigrated store would say
    with RedisReportStore(redis_url, "pitcrew:old") as store:
        assert org_report_to_dict(build_org_report(store.org_source(), now=NOW)) == expected
        assert not store._redis.keys("*:report:org_runs:*")


def test_redis_reads_records_of_the_older_layout_and_keeps_their_workflow(redis_url):
    """Records used to be JSON objects (a job's workflow in its own hash); they still load, and
    an update without a workflow keeps the one the old record had."""
    r = run(1, NOW - timedelta(days=1))
    j = job(10, r)
    with RedisReportStore(redis_url, "pitcrew:older") as store:
        store.upsert_runs([r])
        store.upsert_jobs([j])
        old_run = {
            "run_id": r.run_id, "workflow": r.workflow, "status": r.status,
            "conclusion": r.conclusion, "event": r.event, "branch": r.branch,
            "head_sha": r.head_sha, "attempt": r.attempt, "created_at": r.created_at.timestamp(),
            "run_started_at": r.run_started_at.timestamp(),
            "updated_at": r.updated_at.timestamp(), "duration_s": r.duration_s,
            "workflow_id": r.workflow_id, "run_number": r.run_number, "pull_requests": [],
        }  # fmt: skip
        old_job = {
            "run_id": j.run_id, "job_id": j.job_id, "name": j.name, "status": j.status,
            "conclusion": j.conclusion, "attempt": j.attempt,
            "created_at": j.created_at.timestamp(), "started_at": j.started_at.timestamp(),
            "completed_at": j.completed_at.timestamp(), "duration_s": j.duration_s,
            "queue_s": j.queue_s, "labels": list(j.labels), "runner_name": None,
            "head_branch": None, "head_sha": None, "steps": [["build", 3.0]],
        }  # fmt: skip
        store._redis.hset(store._k("runs", "o/r"), "1", json.dumps(old_run))
        store._redis.hset(store._k("jobs", "o/r"), "10", json.dumps(old_job))
        store._redis.hset(store._k("jobs_wf", "o/r"), "10", "Old CI")
        assert store.load_runs() == [r]
        (loaded,) = store.load_jobs()
        assert (loaded.workflow, loaded.steps) == ("Old CI", (("build", 3.0),))
        store.upsert_job(replace(j, workflow="", conclusion="failure"))
        (loaded,) = store.load_jobs()
        assert (loaded.workflow, loaded.conclusion) == ("Old CI", "failure")
        assert loaded.steps == (("build", 3.0),)
