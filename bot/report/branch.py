"""Default-branch health: which branch, and how long it has been red.

Shared by the repository report (records in memory) and the org report (events streamed from a
store), so "red" means the same in both.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime

from bot.report.model import BranchHealth
from bot.report.records import DECIDED, FAILED, RunRecord


def guess_default_branch(runs: Sequence[RunRecord]) -> str:
    """The branch most pushed to, or ``main``."""
    return branch_from_pushes(Counter(r.branch for r in runs if r.event == "push" and r.branch))


def branch_from_pushes(counts: Counter[str]) -> str:
    """The default branch guessed from push counts per branch (``main``/``master`` win ties)."""
    for preferred in ("main", "master"):
        if counts and counts.most_common(1)[0][0] == preferred:
            return preferred
    return counts.most_common(1)[0][0] if counts else "main"


def branch_health(
    runs: Sequence[RunRecord], branch: str, window_start: datetime, now: datetime
) -> BranchHealth | None:
    """Green/red timeline of ``branch``: red while the latest decided run of any workflow failed."""
    events = sorted(
        (
            (r.updated_at or r.created_at, r)
            for r in runs
            if r.branch == branch
            and r.event != "pull_request"
            and r.completed
            and r.conclusion in DECIDED
            and (r.updated_at or r.created_at) <= now
        ),
        key=lambda e: (e[0], e[1].run_id),
    )
    return branch_timeline(
        branch, ((at, r.workflow, r.conclusion or "") for at, r in events), window_start, now
    )


def branch_timeline(
    branch: str,
    events: Iterable[tuple[datetime, str, str]],
    window_start: datetime,
    now: datetime,
) -> BranchHealth | None:
    """Fold (time, workflow, conclusion) of decided runs, in time order, into branch health."""
    latest: dict[str, str] = {}
    red_since: datetime | None = None
    red_total = 0.0
    last_at: datetime | None = None
    for at, workflow, conclusion in events:
        last_at = at
        latest[workflow] = conclusion
        is_red = any(c in FAILED for c in latest.values())
        if is_red and red_since is None:
            red_since = at
        elif not is_red and red_since is not None:
            red_total += _overlap(red_since, at, window_start)
            red_since = None
    if last_at is None:
        return None
    if red_since is not None:
        red_total += _overlap(red_since, now, window_start)
    failing = sorted(w for w, c in latest.items() if c in FAILED)
    return BranchHealth(
        branch=branch,
        green=red_since is None,
        red_since=red_since,
        red_for_s=(now - red_since).total_seconds() if red_since else None,
        red_in_window_s=round(red_total, 1),
        failing_workflows=failing,
        last_run_at=last_at,
    )


def _overlap(start: datetime, end: datetime, window_start: datetime) -> float:
    return max(0.0, (end - max(start, window_start)).total_seconds())
