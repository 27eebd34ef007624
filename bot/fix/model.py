"""The fix engine's plain data: what the failing step ran, what Pitcrew will run, the outcome."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

STATUSES = ("fixed", "nothing_to_fix", "refused", "unsupported", "failed")
"""``FixResult.status`` values (public: the CLI's JSON and the PR comment use them)."""

EXIT_CODES = {"fixed": 0, "nothing_to_fix": 0, "refused": 1, "unsupported": 1, "failed": 1}


class BadInput(Exception):
    """The input itself is unusable (no such log, not a git repository): CLI exit 2."""


@dataclass
class FixPlan:
    """One formatter invocation Pitcrew is willing to run.

    ``argv`` starts with the tool's name (resolved to an installed executable at run time);
    ``targets`` are the files it is asked to touch — any other change aborts the fix;
    ``roots`` are directories the formatter walks when the log named no files.
    """

    tool: str
    argv: list[str]
    targets: list[str] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)
    source_command: str = ""
    ok_exit_codes: tuple[int, ...] = (0,)
    notes: list[str] = field(default_factory=list)

    @property
    def command(self) -> str:
        """The command a person would run locally (shell-quoted)."""
        import shlex

        return shlex.join(self.argv)


@dataclass
class FixResult:
    """The outcome. ``to_dict()`` is the CLI's JSON object."""

    status: str
    reason: str
    tool: str | None = None
    version: str | None = None
    command: str | None = None
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown fix status {self.status!r}")

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Refusal(Exception):
    """Raised while planning or running: becomes a :class:`FixResult` with ``status``."""

    def __init__(self, status: str, reason: str, *, plan: FixPlan | None = None) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.plan = plan
