"""Rebase engine: keep pull requests mergeable after their base moves (no GitHub calls here).

Public API (see docs/rebase.md):

* :func:`check_heads` — many PR heads against a base in one pass, no work tree;
* :func:`update_branch` / :func:`push_update` — rebase or merge, push with a lease;
* :class:`MirrorCache` — bare blobless mirrors, incremental fetch, LRU eviction;
* :mod:`bot.rebase.render` — the sticky PR comment.
"""

from bot.rebase.check import HeadCheck, check_heads, check_heads_async
from bot.rebase.conflicts import Conflict
from bot.rebase.git import (
    BranchMoved,
    Git,
    GitError,
    HostileRef,
    InvalidRef,
    PushRejected,
    RebaseConflict,
    github_auth_header,
    validate_ref,
)
from bot.rebase.mirror import MirrorCache
from bot.rebase.resolution import Resolution, ResolutionRule, rules_from_config
from bot.rebase.update import (
    PushResult,
    UpdateResult,
    push_update,
    push_update_async,
    update_branch,
    update_branch_async,
)

__all__ = [
    "BranchMoved",
    "Conflict",
    "Git",
    "GitError",
    "HeadCheck",
    "HostileRef",
    "InvalidRef",
    "MirrorCache",
    "PushRejected",
    "PushResult",
    "RebaseConflict",
    "Resolution",
    "ResolutionRule",
    "UpdateResult",
    "check_heads",
    "check_heads_async",
    "github_auth_header",
    "push_update",
    "push_update_async",
    "rules_from_config",
    "update_branch",
    "update_branch_async",
    "validate_ref",
]
