"""What failure memory answers: a verdict per failure, the first broken commit, flaky tests.

Pure functions over a `FailureStore`: the service calls them from a worker thread, the CLI
directly. The order of the verdicts is the order of how much they tell a PR author:
a maintainer's override, then flakiness (the same commit both failed and passed), then "broken
on the base branch", then "seen in other PRs", then "new in this PR".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.memory.model import (
    Evidence,
    FailureRecord,
    FailureStore,
    FirstBroken,
    FlakyTest,
    SameCommit,
    Verdict,
    VerdictKind,
)

BASE_LOOKBACK = timedelta(days=30)
OTHER_PRS_LOOKBACK = timedelta(days=7)
FLAKY_LOOKBACK = timedelta(days=30)
MAX_EXAMPLES = 3
#: Newest occurrences read to count the other PRs: bounds the lookup for a very common failure.
OTHER_PRS_SCAN = 500


@dataclass(frozen=True)
class FailureAt:
    """The failure being judged and where it happened."""

    repo: str
    workflow: str
    job: str
    test: str
    signature: str
    sha: str
    pr: int | None
    base_branch: str


def judge(store: FailureStore, failure: FailureAt, now: datetime) -> Verdict:
    """The verdict for one failure on one PR, with its evidence links."""
    override = store.override(failure.repo, failure.signature)
    if override is not None:
        return Verdict(
            kind=_label_kind(override.label),
            signature=failure.signature,
            text=f"labelled `{override.label}` by @{override.by}",
            overridden_by=override.by,
        )
    return (
        _flaky(store, failure, now)
        or _broken_on_base(store, failure, now)
        or _seen_elsewhere(store, failure, now)
        or Verdict(kind="new", signature=failure.signature, text="new in this PR")
    )


def _label_kind(label: str) -> VerdictKind:
    kinds: dict[str, VerdictKind] = {
        "flaky": "flaky",
        "broken_on_base": "broken_on_base",
        "infra": "infra",
    }
    return kinds.get(label, "new")


def _flaky(store: FailureStore, failure: FailureAt, now: datetime) -> Verdict | None:
    n = store.flaky_commits(
        failure.repo,
        failure.workflow,
        failure.job,
        failure.test,
        failure.signature,
        now - FLAKY_LOOKBACK,
    )
    if not n:
        return None
    return Verdict(
        kind="flaky",
        signature=failure.signature,
        text=f"flaky: passed and failed on the same commit {_times(n)} in 30 days",
        flaky_commits=n,
    )


def _broken_on_base(store: FailureStore, failure: FailureAt, now: datetime) -> Verdict | None:
    first = store.failures_of(
        failure.repo,
        failure.signature,
        branch=failure.base_branch,
        since=now - BASE_LOOKBACK,
        limit=1,
    )
    if not first:
        return None
    since = _evidence(first[0])
    last_pass = store.last_outcome_before(
        failure.repo, failure.workflow, failure.job, failure.base_branch, first[0].at, "success"
    )
    return Verdict(
        kind="broken_on_base",
        signature=failure.signature,
        text=f"also failing on `{failure.base_branch}` since `{since.sha[:7]}`",
        since=since,
        last_pass=Evidence(last_pass.sha, last_pass.url, last_pass.at, last_pass.pr)
        if last_pass
        else None,
    )


def _seen_elsewhere(store: FailureStore, failure: FailureAt, now: datetime) -> Verdict | None:
    seen = store.failures_of(
        failure.repo,
        failure.signature,
        since=now - OTHER_PRS_LOOKBACK,
        limit=OTHER_PRS_SCAN,
        newest_first=True,
    )
    latest_per_pr: dict[int, FailureRecord] = {}
    for record in seen:  # newest first: the first one per PR is its latest
        if record.pr is not None and record.pr != failure.pr:
            latest_per_pr.setdefault(record.pr, record)
    if not latest_per_pr:
        return None
    newest = sorted(latest_per_pr.values(), key=lambda r: r.at, reverse=True)[:MAX_EXAMPLES]
    n = len(latest_per_pr)
    # A very common failure is counted among its newest occurrences only: "at least N".
    at_least = "at least " if len(seen) >= OTHER_PRS_SCAN else ""
    return Verdict(
        kind="seen_elsewhere",
        signature=failure.signature,
        text=f"seen in {at_least}{n} other PR{'s' if n != 1 else ''} in the last 7 days",
        others=tuple(_evidence(r) for r in newest),
        other_prs=n,
    )


def first_broken(
    store: FailureStore,
    *,
    repo: str,
    branch: str,
    workflow: str,
    job: str,
    signature: str,
    now: datetime,
) -> FirstBroken | None:
    """Where ``branch`` turned red for ``signature``: first failing run, last passing before it.

    The commits between the two are for the caller to fill (git or the compare API), since this
    engine has neither a repository nor GitHub.
    """
    first = store.failures_of(repo, signature, branch=branch, since=now - BASE_LOOKBACK, limit=1)
    if not first:
        return None
    last_pass = store.last_outcome_before(repo, workflow, job, branch, first[0].at, "success")
    return FirstBroken(
        repo=repo,
        branch=branch,
        workflow=workflow,
        job=job,
        signature=signature,
        first_fail=_evidence(first[0]),
        last_pass=Evidence(last_pass.sha, last_pass.url, last_pass.at, last_pass.pr)
        if last_pass
        else None,
    )


def flaky_tests(
    store: FailureStore, *, repo: str | None, window: timedelta, now: datetime
) -> list[FlakyTest]:
    """Tests that failed and passed on the same commit within the window, most flaky first.

    The score is the failure rate among the runs of unchanged code: on the commits where the
    test both failed and passed, failures / (failures + passes).
    """
    groups: dict[tuple[str, str, str, str], list[SameCommit]] = defaultdict(list)
    for item in store.same_commit_evidence(repo, now - window):
        groups[(item.repo, item.workflow, item.job, item.test)].append(item)
    found = [_flaky_test(key, items) for key, items in groups.items()]
    return sorted(found, key=lambda f: (-f.score, -f.fails, f.repo, f.test))


def _flaky_test(key: tuple[str, str, str, str], items: list[SameCommit]) -> FlakyTest:
    repo, workflow, job, test = key
    fails = sum(i.fails for i in items)
    passes = sum(i.passes for i in items)
    latest = max(items, key=lambda i: i.last_at)
    examples = [i.url for i in sorted(items, key=lambda i: i.last_at, reverse=True) if i.url]
    return FlakyTest(
        repo=repo,
        test=test,
        job=job,
        workflow=workflow,
        signature=latest.signature,
        fails=fails,
        passes=passes,
        score=round(fails / (fails + passes), 3),
        first_seen=min(i.first_at for i in items),
        last_seen=latest.last_at,
        examples=examples[:MAX_EXAMPLES],
    )


def _evidence(record: FailureRecord) -> Evidence:
    return Evidence(record.sha, record.url, record.at, record.pr)


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"
