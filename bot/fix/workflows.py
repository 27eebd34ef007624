"""`/fix workflows`: the optimizer's safe edits to the workflow files a PR changed.

Only the ``deprecated-action`` rule's fixes are applied here — a retired action major moved to
the supported one, a deprecated workflow command (``::set-output`` …) rewritten to its
``$GITHUB_OUTPUT``-style file — because they keep what the workflow does. Other optimizer
proposals (caching, concurrency, permissions) change behaviour and stay suggestions. Only files
the PR itself changed are touched, so the fix lands in the PR that introduced the breakage.
"""

from __future__ import annotations

import shlex

from bot.optimize import optimize_text
from bot.optimize.engine import is_optimizable_path
from bot.rebase.git import Git, GitError

from . import tree
from .engine import FixOutcome
from .model import FixResult

SAFE_RULES = ("deprecated-action",)
TOOL = "pitcrew optimize"


def changed_workflows(git: Git, base: str, head: str) -> list[str]:
    """Workflow and action files the PR adds or modifies (``base...head``: since the fork)."""
    out = git.run(
        "diff",
        "--name-only",
        "-z",
        "--no-renames",
        "--diff-filter=AM",
        "--end-of-options",
        f"{base}...{head}",
    ).stdout
    return sorted(p for p in out.split("\0") if p and is_optimizable_path(p))


def fix_workflows(git: Git, head: str, base: str) -> FixOutcome:
    """The optimizer's safe edits to the PR's changed workflow files, as new file contents."""
    try:
        paths = changed_workflows(git, base, head)
    except GitError as exc:
        return FixOutcome(FixResult("failed", f"git: {exc}", tool=TOOL))
    command = shlex.join(
        ["pitcrew", "optimize", "--rules", ",".join(SAFE_RULES), "--write", *paths]
    )
    if not paths:
        reason = "this PR changes no file under .github/workflows/ (or action.yml)"
        return FixOutcome(FixResult("nothing_to_fix", reason, tool=TOOL))
    changes: dict[str, bytes] = {}
    notes: list[str] = []
    for path in paths:
        data = tree.read_file(git, head, path)
        if data is None:
            notes.append(f"`{path}` is not a regular file; skipped")
            continue
        optimized = optimize_text(path, data.decode("utf-8", "replace"), rules=SAFE_RULES)
        notes += [f"`{e.file}:{e.line}`: {e.message}" for e in optimized.errors]
        notes += [f"`{f.file}:{f.line}`: {f.message}" for f in optimized.findings if f.fix]
        if path in optimized.changes:
            changes[path] = optimized.changes[path][1].encode("utf-8")
    if not changes:
        reason = "the optimizer has no safe fix for the workflow files this PR changes"
        return FixOutcome(
            FixResult("nothing_to_fix", reason, tool=TOOL, command=command, notes=notes)
        )
    files = sorted(changes)
    reason = f"updated retired actions / deprecated workflow commands in {len(files)} file(s)"
    result = FixResult("fixed", reason, tool=TOOL, command=command, files=files, notes=notes)
    return FixOutcome(result, changes)
