"""Failure memory's part of the status report: where the default branch turned red, and the
flaky tests — new and resolved since the last report."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.memory.model import FailureStore, FirstBroken, FlakyTest
from bot.memory.query import first_broken, flaky_tests
from bot.memory.render import render_first_broken, render_flaky_table

RED_LOOKBACK = timedelta(days=7)
MAX_RED = 5
MAX_FLAKY_ROWS = 10


@dataclass
class MemorySection:
    branch: str
    red: list[FirstBroken]
    flaky: list[FlakyTest]
    new_flaky: list[str]
    resolved_flaky: list[str]

    @property
    def flaky_names(self) -> list[str]:
        return [f.test for f in self.flaky]


def still_red(store: FailureStore, repo: str, branch: str, now: datetime) -> list[FirstBroken]:
    """Signatures failing on ``branch`` whose job has not passed since: where each began."""
    seen: set[tuple[str, str, str]] = set()
    found: list[FirstBroken] = []
    for record in store.failures_on_branch(repo, branch, now - RED_LOOKBACK):
        key = (record.workflow, record.job, record.signature)
        if key in seen:
            continue
        seen.add(key)
        passed = store.last_outcome_before(
            repo, record.workflow, record.job, branch, now, "success"
        )
        if passed is not None and passed.at > record.at:
            continue  # green again since
        start = first_broken(
            store,
            repo=repo,
            branch=branch,
            workflow=record.workflow,
            job=record.job,
            signature=record.signature,
            now=now,
        )
        if start is not None:
            found.append(start)
        if len(found) >= MAX_RED:
            break
    return found


def memory_section(
    store: FailureStore,
    repo: str,
    branch: str,
    *,
    previous_flaky: Collection[str],
    now: datetime,
) -> MemorySection:
    flaky = flaky_tests(store, repo=repo, window=timedelta(days=30), now=now)
    names = [f.test for f in flaky]
    return MemorySection(
        branch=branch,
        red=still_red(store, repo, branch, now),
        flaky=flaky,
        new_flaky=sorted(set(names) - set(previous_flaky)),
        resolved_flaky=sorted(set(previous_flaky) - set(names)),
    )


def render_memory_section(section: MemorySection) -> str:
    """Markdown appended to the status report."""
    branch = section.branch
    out = ["", "## Failure memory", "", f"### `{branch}`"]
    if section.red:
        out += [f"- {render_first_broken(found)}" for found in section.red]
    else:
        out.append(f"No failure on `{branch}` is still open.")
    out += ["", "### Flaky tests (failed and passed on the same commit, 30 days)", ""]
    out.append(render_flaky_table(section.flaky[:MAX_FLAKY_ROWS]))
    if section.new_flaky or section.resolved_flaky:
        new = ", ".join(f"`{t}`" for t in section.new_flaky) or "none"
        gone = ", ".join(f"`{t}`" for t in section.resolved_flaky) or "none"
        out += ["", f"New since the last report: {new}. Resolved: {gone}."]
    return "\n".join(out) + "\n"
