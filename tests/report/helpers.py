"""Builders shared by the report tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.report.records import JobRecord, RunRecord
from bot.report.synthetic import WorkflowSpec

NOW = datetime(2024, 5, 1, tzinfo=UTC)  # a Wednesday

#: Realistic and deliberately noisy workflows: what a detector must live with.
SPECS = (
    WorkflowSpec("CI"),
    WorkflowSpec("Lint", duration_s=60, runs_per_day=30, jobs=(("lint", 1.0),)),
    WorkflowSpec("Nightly", runs_per_day=1.5, duration_s=3000, failure_rate=0.2,
                 day_failure_sd=0.1, weekend_factor=1.0, jobs=(("e2e", 1.0),)),
    WorkflowSpec("Noisy", runs_per_day=8, duration_s=900, duration_sigma=0.6, day_sigma=0.25,
                 queue_sigma=1.2, failure_rate=0.15, day_failure_sd=0.1),
)  # fmt: skip


def run(
    run_id: int,
    created: datetime,
    *,
    workflow: str = "CI",
    conclusion: str | None = "success",
    duration: float = 600,
    queue: float = 10,
    branch: str = "main",
    event: str = "push",
    attempt: int = 1,
    repo: str = "o/r",
) -> RunRecord:
    started = created + timedelta(seconds=queue)
    return RunRecord(
        repo=repo, run_id=run_id, workflow=workflow,
        status="completed" if conclusion else "in_progress", conclusion=conclusion,
        event=event, branch=branch, head_sha=f"{run_id:040x}", attempt=attempt,
        created_at=created, run_started_at=started,
        updated_at=started + timedelta(seconds=duration),
        duration_s=duration if conclusion else None, queue_s=queue if attempt == 1 else None,
    )  # fmt: skip


def job(job_id: int, r: RunRecord, name: str = "test", conclusion: str = "success",
        duration: float = 300, category: str | None = None) -> JobRecord:  # fmt: skip
    started = r.run_started_at + timedelta(seconds=5)
    return JobRecord(
        repo=r.repo, run_id=r.run_id, job_id=job_id, name=name, workflow=r.workflow,
        status="completed", conclusion=conclusion, attempt=r.attempt,
        created_at=r.run_started_at, started_at=started,
        completed_at=started + timedelta(seconds=duration), duration_s=duration, queue_s=5,
        labels=("ubuntu-latest",), category=category,
    )  # fmt: skip
