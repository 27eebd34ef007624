"""Pull requests in GitHub's merge queue: its branch names, and which PRs sit in it now.

GitHub tests a queued PR on a branch named ``gh-readonly-queue/<base>/pr-<number>-<sha>``; runs
on it belong to that PR. While a PR sits in the queue, updating its branch would throw it out
of the queue and re-run its checks, so the rebase pass leaves it alone: the merge-queue feature
marks a PR when it is enqueued and clears the mark when it leaves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.kvstore import KVStore

QUEUE_BRANCH = re.compile(
    r"^(?:refs/heads/)?gh-readonly-queue/(?P<base>.+)/pr-(?P<number>\d+)-(?P<sha>[0-9a-f]{40})$"
)
NAMESPACE = "merge-queue"
#: A queued PR is forgotten after this long even if the "left the queue" event never came.
QUEUED_TTL_S = 6 * 3600


@dataclass(frozen=True)
class QueueBranch:
    base: str
    number: int
    sha: str


def parse_queue_branch(ref: str | None) -> QueueBranch | None:
    """The PR a merge-queue branch tests, or None for any other branch."""
    match = QUEUE_BRANCH.match(ref or "")
    if match is None:
        return None
    return QueueBranch(match["base"], int(match["number"]), match["sha"])


def mark_queued(kv: KVStore, repo: str, number: int) -> None:
    kv.put(NAMESPACE, f"{repo}#{number}", True, QUEUED_TTL_S)


def clear_queued(kv: KVStore, repo: str, number: int) -> None:
    # Not delete_prefix: "o/r#12" is a prefix of "o/r#123".
    kv.put(NAMESPACE, f"{repo}#{number}", False, 60)


def queued_numbers(kv: KVStore, repo: str) -> set[int]:
    """Numbers of the PRs of ``repo`` in its merge queue now."""
    found = set()
    for key, queued in kv.items(NAMESPACE, f"{repo}#").items():
        number = key.rsplit("#", 1)[1]
        if queued and number.isdigit():
            found.add(int(number))
    return found
