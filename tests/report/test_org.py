"""The org report: what it names, the bad input it survives, and one answer from every source."""

from __future__ import annotations

import json
import math
import random
from datetime import timedelta

import pytest

from bot.report import sketch
from bot.report.org import build_org_report
from bot.report.org_cells import MemorySource
from bot.report.org_model import OrgConfig, org_report_to_dict
from bot.report.org_render import render_org_markdown
from bot.report.org_sqlite import SqliteOrgSource
from bot.report.stats import quantile
from bot.report.store import ReportStore

from .helpers import NOW
from .org_data import GPU, WINDOW_START, org_history


@pytest.fixture(scope="module")
def history():
    return org_history()


@pytest.fixture(scope="module")
def report(history):
    return build_org_report(MemorySource(history.runs, history.jobs, history.diagnoses), now=NOW)


def test_names_the_starved_pool_with_its_evidence(report):
    starved = [a for a in report.anomalies if a.runner_label == ", ".join(GPU)]
    assert len(starved) == 1, report.anomalies
    a = starved[0]
    assert a.metric == "queue_time" and a.window_value > 800 and a.baseline_value < 60
    assert a.evidence["window_jobs"] > 20 and a.evidence["baseline_days"] >= 7
    pool = next(r for r in report.runners if r.label == "self-hosted, gpu")
    assert pool.p95_queue_s is not None and pool.p95_queue_s > 10 * (pool.baseline_p95_queue_s or 1)
    assert sum(map(sum, pool.busy_hours)) == pool.jobs
    # the hosted pool was not starved: no anomaly for it
    assert not [a for a in report.anomalies if a.runner_label == "ubuntu-latest"]


def test_names_the_red_default_branch(report):
    red = {r.repo: r for r in report.repositories if r.default_branch_red_s}
    assert set(red) == {"acme/api"}
    api = red["acme/api"]
    assert api.default_branch == "main" and api.failing_workflows == ["CI"]
    assert 0 < api.default_branch_red_s <= 20 * 3600
    assert api.default_branch_red_since >= NOW - timedelta(hours=20)
    assert "acme/api" in report.verdict and not report.healthy


def test_regression_ranked_by_minutes_lost(report):
    assert report.regressions, report.anomalies
    top = report.regressions[0]
    assert (top.repo, top.workflow, top.metric) == ("acme/docs", "CI", "duration")
    assert top.minutes_lost > 0
    lost = [g.minutes_lost for g in report.regressions]
    assert lost == sorted(lost, reverse=True) and len(lost) <= 10


def test_bad_input_is_counted_never_fatal(report):
    q = report.data_quality
    assert q["runs_without_repository"] == 1
    assert q["runs_without_start"] == 1
    assert q["runs_clock_skew"] == 1
    assert q["jobs_without_labels"] == 1
    assert q["jobs_clock_skew"] == 1
    assert q["renamed_repositories"] == 1
    web = next(r for r in report.repositories if r.repo == "acme/web")
    assert web.former_names == ["acme/site"] and web.repo_id is not None
    assert not any(r.repo in ("acme/site", "") for r in report.repositories)
    assert any(r.label == "(no labels)" for r in report.runners)
    for r in report.repositories:
        assert r.ci_minutes >= 0 and (r.p95_duration_s or 0) >= 0
    for pool in report.runners:
        assert (pool.p50_queue_s or 0) >= 0


def test_deleted_repositories_are_marked(history):
    live = frozenset({"acme/api", "acme/ml", "acme/web", "acme/docs"})
    report = build_org_report(
        MemorySource(history.runs, history.jobs, history.diagnoses),
        now=NOW,
        config=OrgConfig(live_repos=live),
    )
    assert [r.repo for r in report.repositories if r.deleted] == ["acme/gone"]


def test_json_fields_and_markdown(report):
    data = org_report_to_dict(report)
    repo = data["repositories"][0]
    assert set(repo) >= {"repo", "runs", "success_rate", "p95_duration_s", "ci_minutes",
                         "ci_minutes_change_pct", "default_branch_red_s",
                         "flaky_tests"}  # fmt: skip
    runner = data["runners"][0]
    assert set(runner) >= {"label", "jobs", "p50_queue_s", "p95_queue_s",
                           "baseline_p95_queue_s", "busy_hours"}  # fmt: skip
    assert any(a.get("runner_label") for a in data["anomalies"])
    assert any(a.get("repo") for a in data["anomalies"])
    json.dumps(data)
    md = render_org_markdown(report)
    first_chart = md.index("```mermaid")
    assert "CI minutes per week" in md[first_chart : first_chart + 200]
    assert "p95 queue time per runner label" in md
    assert md.index("```mermaid") < md.index("### ")  # the charts open the report
    assert "acme/api" in md and "self-hosted, gpu" in md


def test_sqlite_source_equals_memory(history, report, tmp_path):
    with ReportStore(tmp_path / "s.sqlite3") as store:
        store.upsert_runs(history.runs)
        store.upsert_jobs(history.jobs)
        for d in history.diagnoses:
            store.upsert_diagnosis(d)
    with SqliteOrgSource(tmp_path / "s.sqlite3") as source:
        from_db = build_org_report(source, now=NOW)
    assert org_report_to_dict(from_db) == org_report_to_dict(report)


def test_sqlite_upserts_replace_cells(history, tmp_path):
    """An updated run (a re-run that now passes) moves from one cell to another."""
    with ReportStore(tmp_path / "s.sqlite3") as store:
        store.upsert_runs(history.runs)
        store.upsert_jobs(history.jobs)
        for d in history.diagnoses:
            store.upsert_diagnosis(d)
        for r in [r for r in history.runs if r.conclusion == "failure"][:5]:
            store.upsert_run(_passed_rerun(r))
        runs = {r.run_id: r for r in store.load_runs()}
    with SqliteOrgSource(tmp_path / "s.sqlite3") as source:
        from_db = build_org_report(source, now=NOW)
    from_memory = build_org_report(
        MemorySource(list(runs.values()), history.jobs, history.diagnoses), now=NOW
    )
    assert org_report_to_dict(from_db) == org_report_to_dict(from_memory)


def _fields(r):
    return {name: getattr(r, name) for name in r.__slots__}


def _later(j):
    return j.__class__(**{**_fields(j), "created_at": j.created_at + timedelta(hours=1)})


def _passed_rerun(r):
    return r.__class__(**{**_fields(r), "attempt": 2, "conclusion": "success"})


@pytest.mark.parametrize("seed", range(5))
def test_histogram_quantiles_within_one_percent(seed):
    rng = random.Random(seed)
    values = [rng.lognormvariate(5, 1.2) for _ in range(2000)] + [0.0] * 30
    hist: dict[int, int] = {}
    sketch.merge(hist, ((sketch.bucket(v), 1) for v in values))
    exact = sorted(values)
    for q in (0.5, 0.9, 0.95, 0.99):
        want = quantile(exact, q)
        got = sketch.quantile(hist, q)
        assert want is not None and got is not None
        assert math.isclose(got, want, rel_tol=0.0101), (q, got, want)
    assert sketch.quantile({}, 0.5) is None
    assert sketch.bucket(None) == sketch.bucket(-1.0) == sketch.NO_VALUE


def test_cli_org_from_files(tmp_path, capsys):
    from datetime import timedelta

    from bot.report.synthetic import concatenated, generate, pages

    from .org_data import _specs

    g = generate(_specs(True), NOW - timedelta(days=35), NOW, seed=3, repo="acme/ml")
    (tmp_path / "runs.json").write_text(concatenated(pages(g.runs, "workflow_runs")))
    (tmp_path / "jobs.json").write_text(concatenated(pages(g.jobs, "jobs")))
    from bot.__main__ import main

    rc = main(["report", "--org", "--runs", str(tmp_path / "runs.json"),
               "--jobs", str(tmp_path / "jobs.json"), "--format", "json"])  # fmt: skip
    assert rc == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["repo"] for r in data["repositories"]] == ["acme/ml"]
    assert {r["label"] for r in data["runners"]} == {"ubuntu-latest", "self-hosted, gpu"}


def test_redis_source_equals_memory(history, report, request):
    from bot.report.redis_store import RedisReportStore
    from tests.scaleout.conftest import _server

    server = _server(request.getfixturevalue("tmp_path"))
    try:
        with RedisReportStore(server.url, "pitcrew:org-test") as store:
            store.upsert_runs(history.runs)
            store.upsert_jobs(history.jobs)
            for d in history.diagnoses:
                store.upsert_diagnosis(d)
            store.upsert_jobs(history.jobs[:50])  # redelivered: facts replaced, not doubled
            from_redis = build_org_report(store.org_source(), now=NOW)
            assert org_report_to_dict(from_redis) == org_report_to_dict(report)
            # a re-run that passed replaces its run's fact
            failed = [r for r in history.runs if r.conclusion == "failure"][:5]
            changed = {r.run_id: _passed_rerun(r) for r in failed}
            store.upsert_runs(list(changed.values()))
            runs = [changed.get(r.run_id, r) for r in history.runs]
            again = build_org_report(store.org_source(), now=NOW)
    finally:
        server.kill()
    expected = build_org_report(MemorySource(runs, history.jobs, history.diagnoses), now=NOW)
    assert org_report_to_dict(again) == org_report_to_dict(expected)


def test_prometheus_cardinality_is_capped(report):
    from prometheus_client import CollectorRegistry, generate_latest

    from bot.report.org_metrics import publish_org_metrics

    reg = CollectorRegistry()
    publish_org_metrics(report, reg, top_repos=2, top_runners=1)
    text = generate_latest(reg).decode()
    minutes = [line for line in text.splitlines() if line.startswith("pitcrew_ci_repo_minutes{")]
    assert len(minutes) == 3 and any('repository="other"' in line for line in minutes)
    total = sum(float(line.rsplit(" ", 1)[1]) for line in minutes)
    assert math.isclose(total, sum(r.ci_minutes for r in report.repositories), rel_tol=1e-9)
    jobs = [line for line in text.splitlines() if line.startswith("pitcrew_ci_runner_jobs{")]
    assert len(jobs) == 2 and any('runner_label="other"' in line for line in jobs)
    publish_org_metrics(report, reg, top_repos=1, top_runners=1)  # dropped series go away
    text = generate_latest(reg).decode()
    assert len([ln for ln in text.splitlines() if ln.startswith("pitcrew_ci_repo_minutes{")]) == 2


def test_owner_scopes_the_report(history, tmp_path):
    """An installation's report never shows another account's repositories."""
    foreign = [
        r.__class__(**{**_fields(r), "repo": "evil/x", "repo_id": 5}) for r in history.runs[:40]
    ]
    runs = history.runs + foreign
    source = MemorySource(runs, history.jobs, history.diagnoses, owner="acme")
    mine = build_org_report(source, now=NOW)
    assert all(r.repo.startswith("acme/") for r in mine.repositories)
    with ReportStore(tmp_path / "s.sqlite3") as store:
        store.upsert_runs(runs)
        store.upsert_jobs(history.jobs)
        for d in history.diagnoses:
            store.upsert_diagnosis(d)
    with SqliteOrgSource(tmp_path / "s.sqlite3", owner="acme") as source:
        from_db = build_org_report(source, now=NOW)
    assert org_report_to_dict(from_db) == org_report_to_dict(mine)


def test_sqlite_hour_rollups_and_partial_hours_equal_memory(history, tmp_path):
    """A span that starts and ends inside hours: whole hours come from the trigger-kept rollups,
    the edges from the jobs table; deleting jobs (retention) keeps the rollups exact."""
    now = NOW - timedelta(hours=5, minutes=37, seconds=11)
    with ReportStore(tmp_path / "s.sqlite3") as store:
        store.upsert_runs(history.runs)
        store.upsert_jobs(history.jobs)
        for d in history.diagnoses:
            store.upsert_diagnosis(d)
        store.upsert_jobs(history.jobs[:200])  # updates: the triggers move counts, not add
        store.prune(NOW - timedelta(days=30, hours=3))
        job_ids = {j.job_id for j in store.load_jobs()}
        run_ids = {r.run_id for r in store.load_runs()}
    with SqliteOrgSource(tmp_path / "s.sqlite3") as source:
        from_db = build_org_report(source, now=now)
    jobs = [j for j in history.jobs if j.job_id in job_ids]
    runs = [r for r in history.runs if r.run_id in run_ids]
    from_memory = build_org_report(MemorySource(runs, jobs, history.diagnoses), now=now)
    assert org_report_to_dict(from_db) == org_report_to_dict(from_memory)


def test_redis_hour_rollups_and_partial_hours_equal_memory(history, tmp_path):
    from bot.report.redis_store import RedisReportStore
    from tests.scaleout.conftest import _server

    now = NOW - timedelta(hours=5, minutes=37, seconds=11)
    server = _server(tmp_path)
    try:
        with RedisReportStore(server.url, "pitcrew:org-rollups") as store:
            store.upsert_runs(history.runs)
            store.upsert_jobs(history.jobs)
            for d in history.diagnoses:
                store.upsert_diagnosis(d)
            # updates move their counts (here: an hour later), never add
            store.upsert_jobs([_later(j) for j in history.jobs[:200] if j.created_at])
            store.upsert_jobs(history.jobs[:200])  # and back
            store.prune(NOW - timedelta(days=30, hours=3))
            job_ids = {j.job_id for j in store.load_jobs()}
            run_ids = {r.run_id for r in store.load_runs()}
            from_redis = build_org_report(store.org_source(), now=now)
    finally:
        server.kill()
    jobs = [j for j in history.jobs if j.job_id in job_ids]
    runs = [r for r in history.runs if r.run_id in run_ids]
    from_memory = build_org_report(MemorySource(runs, jobs, history.diagnoses), now=now)
    assert org_report_to_dict(from_redis) == org_report_to_dict(from_memory)


def test_flaky_tests_and_failure_categories(history, report):
    ml = next(r for r in report.repositories if r.repo == "acme/ml")
    assert ml.flaky_tests == 2  # t_a (diagnosed flaky), t_b (its run passed); not t_old
    diagnosed = {d.job_id for d in history.diagnoses if d.created_at >= WINDOW_START}
    undiagnosed = sum(
        1 for j in history.jobs
        if j.repo == "acme/ml" and j.conclusion == "failure" and j.created_at >= WINDOW_START
        and j.job_id not in diagnosed
    )  # fmt: skip
    assert undiagnosed > 2  # failed jobs nobody diagnosed are counted, never left out
    assert ml.failure_categories == [{"category": "undiagnosed", "count": undiagnosed},
                                     {"category": "test", "count": 2},
                                     {"category": "infra", "count": 1}]  # fmt: skip


def test_self_hosted_runner_names_per_pool(history, report):
    gpu = next(r for r in report.runners if r.label == "self-hosted, gpu")
    names = {r["name"]: r for r in gpu.runner_names}
    assert set(names) == {"gpu-box-0", "gpu-box-1", "gpu-box-2"} and gpu.runner_names_total == 3
    assert sum(r["jobs"] for r in gpu.runner_names) == gpu.jobs  # every gpu job has its runner
    in_window = [j for j in history.jobs if j.labels == GPU and j.created_at >= WINDOW_START]
    box0 = [j for j in in_window if j.runner_name == "gpu-box-0"]
    assert names["gpu-box-0"]["jobs"] == len(box0)
    assert names["gpu-box-0"]["busy_minutes"] == round(sum(j.duration_s for j in box0) / 60, 1)
    hosted = [r for r in report.runners if r.label == "ubuntu-latest"]
    assert hosted and all(r.runner_names == [] for r in hosted)  # "GitHub Actions 7": not listed
