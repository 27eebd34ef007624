"""Remember one failed job attempt and say what memory knows about each of its failures.

The service calls :func:`remember_and_judge` once per failing job per PR comment refresh;
recording is idempotent (keyed by run, attempt, job and signature), so a refresh that sees the
same job again stores nothing twice. The result is what the diagnosis comment shows for the
job: one Markdown line per failure (capped) and the section the evidence puts the job in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.memory.model import FailureStore, JobOutcome, Verdict
from bot.memory.query import FailureAt, judge
from bot.memory.records import JobRun, records_for
from bot.memory.render import render_verdict

#: Failures of one job judged and shown in the comment; the rest are counted.
MAX_JUDGED = 10


@dataclass(frozen=True)
class JobMemory:
    """What the comment shows for one failing job."""

    lines: list[str]
    kind: str | None  # "broken_on_base" | "flaky" when every failure shown says so, else None
    verdicts: list[Verdict]


def remember_outcome(store: FailureStore, run: JobRun, conclusion: str) -> None:
    """A job attempt ended: a success is the evidence that its tests passed on that commit."""
    store.record_outcome(
        JobOutcome(
            run.repo,
            run.workflow,
            run.job,
            run.sha,
            run.branch,
            run.pr,
            run.run_id,
            run.attempt,
            conclusion,
            run.at,
            run.url,
        )
    )


def remember_and_judge(
    store: FailureStore,
    run: JobRun,
    diagnosis: Mapping[str, Any],
    *,
    base_branch: str,
    now: datetime,
) -> JobMemory:
    """Store the job's failures, then judge each against the history (this one included)."""
    recorded = records_for(run, diagnosis)
    store.record_failures(recorded.records)
    remember_outcome(store, run, "failure")
    verdicts = [
        judge(
            store,
            FailureAt(
                run.repo, run.workflow, run.job, r.test, r.signature, run.sha, run.pr, base_branch
            ),
            now,
        )
        for r in recorded.records[:MAX_JUDGED]
    ]
    lines = [_line(r.test, v) for r, v in zip(recorded.records, verdicts, strict=False)]
    hidden = len(recorded.records) - len(verdicts) + recorded.dropped
    if hidden > 0:
        lines.append(f"…and {hidden} more failing test{'s' if hidden != 1 else ''}.")
    return JobMemory(lines=lines, kind=_job_kind(verdicts), verdicts=verdicts)


def _line(test: str, verdict: Verdict) -> str:
    if not test:
        return render_verdict(verdict)
    name = test.replace("`", "'")[:200]
    return f"`{name}`: {render_verdict(verdict)}"


def _job_kind(verdicts: list[Verdict]) -> str | None:
    """The section for the job when memory explains *every* failure shown, else None."""
    kinds = {v.kind for v in verdicts}
    if not verdicts or kinds - {"broken_on_base", "flaky", "infra"}:
        return None
    for kind in ("broken_on_base", "flaky", "infra"):
        if kind in kinds:
            return kind
    return None
