"""From one diagnosed job to the failure records memory keeps: one per failing test, else one.

Thousands of failing tests in one job (a broken fixture, a missing service) would flood the
store with records that all say the same: at most ``MAX_TESTS_PER_JOB`` are kept, and the rest
are counted in ``dropped`` so the caller can say so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.memory.model import FailureRecord
from bot.memory.signature import failure_signature, job_signature

MAX_TESTS_PER_JOB = 200


@dataclass(frozen=True)
class JobRun:
    """Where a diagnosed job ran: the keys every failure record carries."""

    repo: str
    workflow: str
    job: str
    sha: str
    branch: str
    pr: int | None
    run_id: int
    attempt: int
    at: datetime
    url: str = ""


@dataclass(frozen=True)
class Recorded:
    records: list[FailureRecord]
    dropped: int


def failures_of(diagnosis: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(test, message)`` pairs: the engine's ``failures`` when it has them, else test names."""
    items: Sequence[Any] = diagnosis.get("failures") or ()
    pairs = [
        (str(item.get("test") or ""), str(item.get("message") or ""))
        for item in items
        if isinstance(item, Mapping) and item.get("test")
    ]
    if pairs:
        return pairs
    return [(str(test), "") for test in diagnosis.get("failing_tests") or () if test]


def signatures_of(job: str, diagnosis: Mapping[str, Any]) -> tuple[str, list[str]]:
    """The job-level signature and one per failing test, in the order of ``failures``."""
    summary = diagnosis.get("summary") or ""
    category = str(diagnosis.get("category") or "unknown")
    per_test = [failure_signature(test, message) for test, message in failures_of(diagnosis)]
    return job_signature(job, category, summary), per_test


def records_for(run: JobRun, diagnosis: Mapping[str, Any]) -> Recorded:
    """The records to store for one failed job attempt."""
    pairs = failures_of(diagnosis)
    job_sig, test_sigs = signatures_of(run.job, diagnosis)
    if not pairs:
        message = str(diagnosis.get("summary") or "")
        return Recorded([_record(run, job_sig, "", message)], 0)
    kept = list(zip(pairs, test_sigs, strict=True))[:MAX_TESTS_PER_JOB]
    records = [_record(run, sig, test, message) for (test, message), sig in kept]
    return Recorded(records, max(0, len(pairs) - MAX_TESTS_PER_JOB))


def _record(run: JobRun, signature: str, test: str, message: str) -> FailureRecord:
    return FailureRecord(
        signature=signature,
        repo=run.repo,
        workflow=run.workflow,
        job=run.job,
        test=test[:1024],
        sha=run.sha,
        branch=run.branch,
        pr=run.pr,
        run_id=run.run_id,
        attempt=run.attempt,
        at=run.at,
        message=message[:1024],
        url=run.url,
    )
