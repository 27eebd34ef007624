"""pitcrew_ci_* metrics in a registry the service passes in."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from prometheus_client import CollectorRegistry, generate_latest

from bot.report.metrics import ci_metrics, job_label, observe_failure, observe_job, observe_run

from .helpers import NOW, job, run


def _value(reg, name, **labels):
    return reg.get_sample_value(name, labels)


def test_observe_job_and_run():
    reg = CollectorRegistry()
    r = run(1, NOW - timedelta(hours=1), duration=600, queue=20, conclusion="failure")
    ok = job(10, r, "test (3.11, ubuntu)", duration=120)
    bad = replace(job(11, r, "test (3.12, ubuntu)", conclusion="failure", duration=90),
                  category="test-failure")  # fmt: skip
    for j in (ok, bad):
        observe_job(j, registry=reg)
    observe_run(r, registry=reg)
    labels = {"repo": "o/r", "workflow": "CI", "job": "test"}
    assert _value(reg, "pitcrew_ci_job_duration_seconds_sum", **labels, conclusion="success") == 120
    assert _value(reg, "pitcrew_ci_job_duration_seconds_count", **labels, conclusion="failure") == 1
    assert _value(reg, "pitcrew_ci_job_queue_seconds_count", repo="o/r", workflow="CI",
                  runner="ubuntu-latest") == 2  # fmt: skip
    assert _value(reg, "pitcrew_ci_job_failures_total", repo="o/r", workflow="CI",
                  category="test-failure") == 1  # fmt: skip
    assert _value(reg, "pitcrew_ci_run_duration_seconds_sum", repo="o/r", workflow="CI",
                  conclusion="failure") == 600  # fmt: skip
    assert _value(reg, "pitcrew_ci_run_queue_seconds_sum", repo="o/r", workflow="CI") == 20
    names = {m.name for m in reg.collect()}
    assert names and all(n.startswith("pitcrew_ci_") for n in names)
    assert b"pitcrew_ci_job_duration_seconds_bucket" in generate_latest(reg)


def test_in_progress_and_deferred_failures():
    reg = CollectorRegistry()
    r = run(1, NOW, conclusion=None)
    observe_run(r, registry=reg)
    observe_job(replace(job(1, run(2, NOW)), status="in_progress"), registry=reg)
    assert generate_latest(reg).count(b"_count{") == 0
    failed = job(3, run(3, NOW), conclusion="failure")
    observe_job(failed, registry=reg, count_failure=False)
    assert _value(reg, "pitcrew_ci_job_failures_total", repo="o/r", workflow="CI",
                  category="undiagnosed") is None  # fmt: skip
    observe_failure("o/r", "CI", "infra", registry=reg)
    assert _value(reg, "pitcrew_ci_job_failures_total", repo="o/r", workflow="CI",
                  category="infra") == 1  # fmt: skip


def test_collectors_are_created_once_per_registry():
    reg_a, reg_b = CollectorRegistry(), CollectorRegistry()
    assert ci_metrics(reg_a) is ci_metrics(reg_a)
    assert ci_metrics(reg_a) is not ci_metrics(reg_b)


def test_job_label_strips_matrix():
    assert job_label("test (3.11, ubuntu-latest)") == "test"
    assert job_label("build") == "build"
    assert job_label("(weird)") == "(weird)"
    assert len(job_label("x" * 500)) == 80
