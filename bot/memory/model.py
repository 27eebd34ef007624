"""What failure memory stores and what it answers: plain records, no storage or GitHub code."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, Literal, Protocol, TypeVar

#: How a failure is classified for the PR it appears on (the same labels `/label-failure` takes).
VerdictKind = Literal["broken_on_base", "flaky", "seen_elsewhere", "new", "infra"]
OVERRIDE_LABELS: tuple[str, ...] = ("new", "flaky", "infra", "broken_on_base")


@dataclass(frozen=True)
class FailureRecord:
    """One failing test (or, without a test, one failed job) in one attempt of one run."""

    signature: str
    repo: str
    workflow: str
    job: str
    test: str  # "" for a job-level signature
    sha: str
    branch: str
    pr: int | None
    run_id: int
    attempt: int
    at: datetime
    message: str = ""
    url: str = ""


@dataclass(frozen=True)
class JobOutcome:
    """How one job ended in one attempt: a success is the evidence that its tests passed."""

    repo: str
    workflow: str
    job: str
    sha: str
    branch: str
    pr: int | None
    run_id: int
    attempt: int
    conclusion: str
    at: datetime
    url: str = ""


Stored = TypeVar("Stored", "FailureRecord", "JobOutcome")


def to_row(record: FailureRecord | JobOutcome) -> tuple[Any, ...]:
    """The record's fields in declaration order, ``at`` as epoch seconds: the one layout both
    stores keep (SQLite's columns, Redis's JSON arrays), so a field added here reaches both."""
    at = record.at if record.at.tzinfo else record.at.replace(tzinfo=UTC)
    return tuple(
        at.timestamp() if f.name == "at" else getattr(record, f.name) for f in fields(record)
    )


def from_row(kind: type[Stored], row: Any) -> Stored:
    """The inverse of :func:`to_row` (a row of the same length, in the same order)."""
    values: dict[str, Any] = {
        f.name: datetime.fromtimestamp(v, UTC) if f.name == "at" else v
        for f, v in zip(fields(kind), row, strict=True)
    }
    return kind(**values)


@dataclass(frozen=True)
class Override:
    """A maintainer's `/label-failure` verdict, kept against the signature for every later PR."""

    repo: str
    signature: str
    label: str
    by: str
    at: datetime


@dataclass(frozen=True)
class Evidence:
    """A link a maintainer can follow to check a verdict."""

    sha: str
    url: str
    at: datetime
    pr: int | None = None


@dataclass(frozen=True)
class Verdict:
    """What failure memory says about one failure on one PR, with the evidence for it."""

    kind: VerdictKind
    signature: str
    text: str
    since: Evidence | None = None  # broken on base: first failing run with this signature
    last_pass: Evidence | None = None  # broken on base: last passing run before it
    others: tuple[Evidence, ...] = ()  # seen elsewhere: up to three other PRs
    other_prs: int = 0
    flaky_commits: int = 0
    overridden_by: str | None = None


@dataclass(frozen=True)
class FirstBroken:
    """Where a branch turned red for one signature: the first failing and last passing runs."""

    repo: str
    branch: str
    workflow: str
    job: str
    signature: str
    first_fail: Evidence
    last_pass: Evidence | None
    commits_between: tuple[str, ...] = ()


@dataclass
class FlakyTest:
    """A test seen both failing and passing on unchanged code (the `pitcrew flaky` JSON item)."""

    repo: str
    test: str
    job: str
    workflow: str
    signature: str
    fails: int
    passes: int
    score: float
    first_seen: datetime
    last_seen: datetime
    examples: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SameCommit:
    """A test that failed on a commit whose same job also passed: flakiness evidence."""

    repo: str
    workflow: str
    job: str
    test: str
    signature: str
    sha: str
    fails: int
    passes: int
    first_at: datetime
    last_at: datetime
    url: str


class FailureStore(Protocol):
    """What both backends (SQLite embedded, Redis scaled out) offer; `bot.memory.query` asks."""

    def record_failures(self, records: list[FailureRecord]) -> int: ...

    def record_outcome(self, outcome: JobOutcome) -> None: ...

    def record_outcomes(self, outcomes: list[JobOutcome]) -> None: ...

    def set_override(self, override: Override) -> None: ...

    def override(self, repo: str, signature: str) -> Override | None: ...

    def failures_of(
        self,
        repo: str,
        signature: str,
        *,
        since: datetime | None = None,
        branch: str | None = None,
        limit: int = 1000,
        newest_first: bool = False,
    ) -> list[FailureRecord]: ...

    def failures_on_branch(
        self, repo: str, branch: str, since: datetime, limit: int = 200
    ) -> list[FailureRecord]: ...

    def flaky_commits(
        self, repo: str, workflow: str, job: str, test: str, signature: str, since: datetime
    ) -> int: ...

    def last_outcome_before(
        self, repo: str, workflow: str, job: str, branch: str, before: datetime, conclusion: str
    ) -> JobOutcome | None: ...

    def same_commit_evidence(self, repo: str | None, since: datetime) -> list[SameCommit]: ...

    def prune(self, older_than: datetime) -> int: ...

    def count(self) -> int: ...

    def close(self) -> None: ...
