"""Slash commands: each declares itself (Prow's plugin help), and /help is rendered from that.

A command is a line that *starts* with `/name` or `@<app-slug> name`: a quoted `> /rebase` or
a line inside a code fence does nothing. Unknown names are ignored (other bots have commands).
"""

from __future__ import annotations

import functools
import re
import shlex
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.roles import ROLES, role_rank

if TYPE_CHECKING:
    from bot.context import Context
    from bot.github import InstallationAPI


class CommandError(Exception):
    """A command could not do its job; the message is posted back to the commenter."""


@dataclass(frozen=True)
class Invocation:
    name: str
    args: tuple[str, ...]
    line: str


@dataclass
class CommandContext:
    """Everything a command handler needs, unpacked from the issue_comment event."""

    gh: InstallationAPI
    ctx: Context
    owner: str
    repo: str
    number: int
    is_pull_request: bool
    sender: str
    author: str
    args: tuple[str, ...]
    comment_id: int
    config: dict[str, Any]
    payload: dict[str, Any]
    replies: list[str] = field(default_factory=list)

    def reply(self, text: str) -> None:
        """Queue a Markdown reply; the framework posts replies once, after the handler."""
        self.replies.append(text)


Handler = Callable[[CommandContext], Awaitable[None]]


@dataclass(frozen=True)
class Command:
    name: str
    usage: str
    help: str
    handler: Handler
    permission: str = "write"
    author_may_use: bool = False
    pull_request_only: bool = True
    examples: tuple[str, ...] = ()
    #: what it may do on GitHub; set from its feature's ``permissions`` when wired (None: the
    #: job's own token is used as is)
    permissions: Mapping[str, str] | None = None


class DuplicateCommand(ValueError):
    """Two features declare the same command name: a start-up error, never a silent overwrite."""


class CommandRegistry:
    """The commands of the wired features, by name; built once at start-up (`bot.feature`)."""

    def __init__(self, commands: Iterable[Command] = ()) -> None:
        self._commands: dict[str, Command] = {}
        for cmd in commands:
            self.add(cmd)

    def add(self, cmd: Command) -> None:
        if cmd.name in self._commands:
            raise DuplicateCommand(f"command /{cmd.name} is declared twice")
        self._commands[cmd.name] = cmd

    def __contains__(self, name: object) -> bool:
        return name in self._commands

    def __getitem__(self, name: str) -> Command:
        return self._commands[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._commands)

    def __len__(self) -> int:
        return len(self._commands)

    def values(self) -> list[Command]:
        return list(self._commands.values())

    def known(self, body: str, app_slug: str = "pitcrew") -> list[Invocation]:
        """The commands in ``body`` that some feature declares (others may be another bot's)."""
        return [inv for inv in parse_commands(body, app_slug) if inv.name in self._commands]

    def render_help(self, slug: str = "pitcrew") -> str:
        """The /help reply; the README's command table is generated from the same data."""
        lines = [
            f"**Pitcrew commands** (start a line with the command, or `@{slug} <command>`):",
            "",
            self.table(),
        ]
        return "\n".join(lines)

    def table(self) -> str:
        rows = ["| command | what it does | who may use it |", "| --- | --- | --- |"]
        for cmd in sorted(self._commands.values(), key=lambda c: c.name):
            who = "anyone" if cmd.permission == "none" else f"{cmd.permission} or above"
            if cmd.author_may_use:
                who += ", or the PR's author"
            rows.append(f"| `{cmd.usage}` | {cmd.help} | {who} |")
        return "\n".join(rows)


def command(
    name: str,
    *,
    usage: str | None = None,
    help: str,
    permission: str = "write",
    author_may_use: bool = False,
    pull_request_only: bool = True,
    examples: tuple[str, ...] = (),
) -> Callable[[Handler], Command]:
    """Declare a command (its feature lists it in `FEATURE`); the declaration is its help."""
    if permission not in ROLES:
        raise ValueError(f"unknown permission {permission!r}")

    def decorator(fn: Handler) -> Command:
        return Command(
            name=name,
            usage=usage or f"/{name}",
            help=help,
            handler=fn,
            permission=permission,
            author_may_use=author_may_use,
            pull_request_only=pull_request_only,
            examples=examples,
        )

    return decorator


_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_SLASH = re.compile(r"^/([a-z][a-z0-9-]*)\b(.*)$")


@functools.lru_cache(maxsize=8)
def _mention(app_slug: str) -> re.Pattern[str]:
    return re.compile(rf"^@{re.escape(app_slug)}(?:\[bot\])?\s+([a-z][a-z0-9-]*)\b(.*)$", re.I)


def _split_args(text: str) -> tuple[str, ...]:
    if not any(quote in text for quote in "'\"\\"):
        return tuple(text.split())  # the common case, without shlex's cost on the intake path
    try:
        return tuple(shlex.split(text))
    except ValueError:
        return tuple(text.split())


def parse_commands(body: str, app_slug: str = "pitcrew") -> list[Invocation]:
    """Commands in a comment body, in order, without duplicates and outside code fences."""
    found: list[Invocation] = []
    seen: set[tuple[str, tuple[str, ...]]] = set()
    in_fence = False
    mention = _mention(app_slug)
    if "/" not in (body or "") and "@" not in (body or ""):
        return found
    for raw in (body or "").splitlines():
        if _FENCE.match(raw):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        line = raw.rstrip()
        match = _SLASH.match(line) or mention.match(line)
        if not match:
            continue
        name = match.group(1).lower()
        args = _split_args(match.group(2))
        if (name, args) in seen:
            continue
        seen.add((name, args))
        found.append(Invocation(name=name, args=args, line=line))
    return found


def is_authorised(
    cmd: Command, role: str, *, sender: str, author: str, overrides: dict[str, Any]
) -> bool:
    """Repository role at or above the command's level, or the PR's author where allowed."""
    settings = overrides.get(cmd.name) or {}
    if isinstance(settings, str):
        settings = {"permission": settings}
    required = settings.get("permission", cmd.permission)
    author_ok = settings.get("author", cmd.author_may_use)
    if role_rank(role) >= ROLES.index(required):
        return True
    return bool(author_ok and sender and sender.lower() == (author or "").lower())
