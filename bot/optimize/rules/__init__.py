"""Rule registry: stable rule id → function over a :class:`~bot.optimize.results.RuleContext`.

``dependabot`` is repository-level and lives in :mod:`.dependabot`; the engine calls it once.
"""

from __future__ import annotations

from collections.abc import Callable

from ..results import RuleContext
from .runners import runner_image
from .security import pwn_request, script_injection, secrets_inherit
from .steps import cache, deprecated_action, pin_sha
from .workflow import concurrency, merge_group, paths_ignore, permissions, timeout

FILE_RULES: dict[str, Callable[[RuleContext], None]] = {
    "permissions": permissions,
    "concurrency": concurrency,
    "merge-group": merge_group,
    "paths-ignore": paths_ignore,
    "timeout": timeout,
    "cache": cache,
    "deprecated-action": deprecated_action,
    "runner-image": runner_image,
    "pin-sha": pin_sha,
    "script-injection": script_injection,
    "pwn-request": pwn_request,
    "secrets-inherit": secrets_inherit,
}
