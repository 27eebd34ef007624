"""Formatter fixes for failed CI jobs (pure: git and subprocesses, no GitHub calls).

Entry points::

    from bot.fix import fix_commit, commit_changes, ToolCache

    outcome = fix_commit(git, head_sha, Path("job.log"), base=base_sha, cache=ToolCache())
    if outcome.result.status == "fixed":
        new_sha = commit_changes(git, head_sha, outcome.changes, "Apply ruff formatting")
"""

from .commit import commit_changes
from .engine import FixOutcome, check_config, fix_commit, plan_from_log
from .logscan import read_log
from .model import STATUSES, BadInput, FixPlan, FixResult, Refusal
from .toolcache import ToolCache
from .tools import TOOLS
from .workflows import changed_workflows, fix_workflows

__all__ = [
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
    "plan_from_log",
    "read_log",
]
