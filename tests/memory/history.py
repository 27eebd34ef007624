"""A small builder of CI history for failure-memory tests: runs, attempts, failures, passes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.memory.model import FailureStore, JobOutcome
from bot.memory.records import JobRun, records_for

T0 = datetime(2026, 11, 1, tzinfo=UTC)


@dataclass
class History:
    store: FailureStore
    repo: str = "octo/app"
    workflow: str = "CI"
    clock: datetime = T0
    run_ids: int = 1000
    runs: list[JobRun] = field(default_factory=list)

    def tick(self, minutes: float = 10) -> datetime:
        self.clock += timedelta(minutes=minutes)
        return self.clock

    def run(
        self,
        job: str,
        sha: str,
        *,
        branch: str = "main",
        pr: int | None = None,
        failures: list[tuple[str, str]] | None = None,
        attempt: int = 1,
        run_id: int | None = None,
        summary: str = "",
        category: str = "test",
    ) -> JobRun:
        """One job attempt: passes when ``failures`` is None, else fails with those tests."""
        if run_id is None:
            self.run_ids += 1
            run_id = self.run_ids
        at = self.tick()
        url = f"https://github.com/{self.repo}/actions/runs/{run_id}/attempts/{attempt}"
        job_run = JobRun(self.repo, self.workflow, job, sha, branch, pr, run_id, attempt, at, url)
        conclusion = "success" if failures is None else "failure"
        self.store.record_outcome(
            JobOutcome(
                self.repo, self.workflow, job, sha, branch, pr, run_id, attempt, conclusion, at, url
            )
        )
        if failures is not None:
            diag = {
                "category": category,
                "summary": summary,
                "failures": [{"test": t, "message": m} for t, m in failures],
            }
            self.store.record_failures(records_for(job_run, diag).records)
        self.runs.append(job_run)
        return job_run
