"""Formatter fixes for failed CI jobs (pure: git and subprocesses, no GitHub calls).

Entry points::

    from bot.fix import fix_commit, commit_changes, ToolCache

    outcome = fix_commit(git, head_sha, Path("job.log"), base=base_sha, cache=ToolCache())
    if outcome.result.status == "fixed":
        new_sha = commit_changes(git, head_sha, outcome.changes, "Apply ruff formatting")
"""

from .commit import commit_changes
from .engine import FixOutcome, check_config, fix_commit, offer_for_log, plan_from_log
from .logscan import read_log
from .model import STATUSES, BadInput, FixPlan, FixResult, Refusal
from .render import render_offer, render_report
from .toolcache import ToolCache
from .tools import TOOLS
from .workflows import changed_workflows, fix_workflows

AUTO_FIX_EVENT = "pitcrew_fix"
"""The queued event `fix.auto` enqueues (from the CI-failures feature) for the fix feature."""

__all__ = [
    "AUTO_FIX_EVENT",
    "STATUSES",
    "TOOLS",
    "BadInput",
    "FixOutcome",
    "FixPlan",
    "FixResult",
    "Refusal",
    "ToolCache",
    "changed_workflows",
    "check_config",
    "commit_changes",
    "fix_commit",
    "fix_workflows",
    "offer_for_log",
    "plan_from_log",
    "read_log",
    "render_offer",
    "render_report",
]
