"""Failure memory engine: signatures of failures, stored with where they happened, and the
verdicts drawn from them ("also failing on main since …", "seen in N other PRs", "flaky",
"new"), the first broken commit of a red branch and the flaky tests of a repository.

Pure over a `FailureStore` (SQLite embedded, Redis scaled out); no GitHub code.
"""

from bot.memory.model import (
    Evidence,
    FailureRecord,
    FailureStore,
    FirstBroken,
    FlakyTest,
    JobOutcome,
    Override,
    Verdict,
)
from bot.memory.query import FailureAt, first_broken, flaky_tests, judge
from bot.memory.records import JobRun, records_for, signatures_of
from bot.memory.signature import failure_signature, job_signature, normalise_message
from bot.memory.sqlite_store import SqliteFailureStore

__all__ = [
    "Evidence",
    "FailureAt",
    "FailureRecord",
    "FailureStore",
    "FirstBroken",
    "FlakyTest",
    "JobOutcome",
    "JobRun",
    "Override",
    "SqliteFailureStore",
    "Verdict",
    "failure_signature",
    "first_broken",
    "flaky_tests",
    "job_signature",
    "judge",
    "normalise_message",
    "records_for",
    "signatures_of",
]
