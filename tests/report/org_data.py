"""An installation's CI history with every problem the org report must name or survive."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta

from bot.report.records import JobRecord, RunRecord, jobs_from_api, runs_from_api
from bot.report.store import Diagnosis
from bot.report.synthetic import Regression, WorkflowSpec, generate

from .helpers import NOW

WINDOW_START = NOW - timedelta(days=7)
GPU = ("self-hosted", "gpu")
STARVED_BY_S = 900.0  # extra wait of gpu jobs in the window


@dataclass
class OrgHistory:
    runs: list[RunRecord] = field(default_factory=list)
    jobs: list[JobRecord] = field(default_factory=list)
    diagnoses: list[Diagnosis] = field(default_factory=list)


def _specs(gpu: bool) -> list[WorkflowSpec]:
    specs = [
        WorkflowSpec("CI", runs_per_day=12),
        WorkflowSpec("Lint", runs_per_day=8, duration_s=90),
    ]
    if gpu:
        specs.append(WorkflowSpec("Train", runs_per_day=6, duration_s=1200, labels=GPU,
                                  jobs=(("train", 1.0),)))  # fmt: skip
    return specs


def org_history(days: int = 35) -> OrgHistory:
    """Four repositories over ``days``: ``acme/api`` is red on main at the end, ``acme/ml``'s gpu
    pool is starved in the window, ``acme/web`` was renamed from ``acme/site`` (same id) and
    ``acme/docs`` regressed (CI duration ×1.8). Plus bad records of every kind."""
    h = OrgHistory()
    for i, (repo, gpu) in enumerate(
        [("acme/api", False), ("acme/ml", True), ("acme/site", False), ("acme/docs", False)]
    ):
        regs = (
            [Regression("CI", "duration", WINDOW_START, factor=1.8)] if repo == "acme/docs" else []
        )
        g = generate(_specs(gpu), NOW - timedelta(days=days), NOW, seed=11 + i, repo=repo,
                     regressions=regs, first_run_id=1_000_000 * (i + 1))  # fmt: skip
        h.runs += runs_from_api(g.runs)
        h.jobs += jobs_from_api(g.jobs)
    renamed_at = NOW - timedelta(days=10)
    runs_by_id = {r.run_id: r for r in h.runs}
    for r in h.runs:
        if r.repo == "acme/site" and r.created_at >= renamed_at:
            r.repo = "acme/web"
    for j in h.jobs:
        run = runs_by_id[j.run_id]
        j.repo = run.repo
        # GitHub names the runner that took a job: self-hosted ones are listed per pool, its
        # own hosted machines ("GitHub Actions 7") never are
        j.runner_name = f"gpu-box-{j.job_id % 3}" if j.labels == GPU else "GitHub Actions 7"
        if j.labels == GPU and j.created_at and j.created_at >= WINDOW_START and j.started_at:
            j.started_at += timedelta(seconds=STARVED_BY_S)
            j.queue_s = (j.started_at - j.created_at).total_seconds()
            if j.completed_at:
                j.completed_at += timedelta(seconds=STARVED_BY_S)
    # acme/api: the last pushes to main fail (red for the last ~20 hours)
    for r in h.runs:
        if (r.repo, r.branch, r.workflow) == (
            "acme/api",
            "main",
            "CI",
        ) and r.created_at >= NOW - timedelta(hours=20):
            r.conclusion = "failure"
    _bad_records(h)
    _diagnoses(h)
    return h


def _diagnoses(h: OrgHistory) -> None:
    """acme/ml: two flaky tests (one diagnosed flaky, one failing in a run that passed) and an
    infra failure; one old diagnosis outside the window."""
    failed = [j for j in h.jobs if j.repo == "acme/ml" and j.conclusion == "failure"]
    passed = next(r for r in h.runs if r.repo == "acme/ml" and r.conclusion == "success"
                  and r.created_at >= WINDOW_START)  # fmt: skip
    at = NOW - timedelta(days=1)
    h.diagnoses += [
        Diagnosis("acme/ml", failed[-1].job_id, failed[-1].run_id, "test", failing_tests=("t_a",),
                  flaky=True, created_at=at),
        Diagnosis("acme/ml", 77_000_001, passed.run_id, "test", failing_tests=("t_b",),
                  created_at=at),
        Diagnosis("acme/ml", failed[-2].job_id, failed[-2].run_id, "infra", created_at=at),
        Diagnosis("acme/ml", failed[0].job_id, failed[0].run_id, "infra",
                  failing_tests=("t_old",), flaky=True, created_at=NOW - timedelta(days=20)),
    ]  # fmt: skip


def _bad_records(h: OrgHistory) -> None:
    """Deleted repository, no repository, no start, no labels, clocks going backwards."""
    template = next(r for r in h.runs if r.created_at >= WINDOW_START and r.repo == "acme/api")
    at = template.created_at
    h.runs.append(replace(template, repo="acme/gone", repo_id=999, run_id=9_000_001))
    h.runs.append(replace(template, repo="", repo_id=None, run_id=9_000_002))
    assert template.updated_at is not None
    since_created = (template.updated_at - at).total_seconds()
    h.runs.append(replace(template, run_id=9_000_003, run_started_at=None,
                          duration_s=since_created, queue_s=None))  # fmt: skip
    h.runs.append(replace(template, run_id=9_000_004, run_started_at=at - timedelta(minutes=5),
                          queue_s=None))  # fmt: skip
    job = next(j for j in h.jobs if j.run_id == template.run_id)
    h.jobs.append(replace(job, job_id=90_000_001, labels=()))
    h.jobs.append(
        replace(job, job_id=90_000_002, started_at=at - timedelta(minutes=3), queue_s=None)
    )
