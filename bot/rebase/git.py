"""The one way the rebase engine runs git: argv lists, a locked-down environment, validated refs.

Everything that reaches git from a pull request (branch names, refs) is untrusted. The rules:

* argv lists only, never a shell; PR-supplied refs are validated by :func:`validate_ref` and
  placed after ``--end-of-options`` so they can never be parsed as options;
* no system or user configuration (``GIT_CONFIG_NOSYSTEM``, ``HOME``/``XDG_CONFIG_HOME`` pointed
  at an empty directory), no terminal prompts, hooks/fsmonitor/submodule recursion off, and a
  protocol allow-list (``protocol.allow=never`` + explicit allows);
* credentials travel only as an ``http.extraHeader`` through ``GIT_CONFIG_COUNT``/``KEY``/``VALUE``
  environment variables: never argv, a remote URL, ``.git/config``, a log line or an exception.
"""

from __future__ import annotations

import base64
import logging
import os
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.redact import redact

log = logging.getLogger(__name__)

DEFAULT_PROTOCOLS: tuple[str, ...] = ("https",)
"""Transports allowed by default. Tests and local use add ``file``."""

_EMPTY_HOME = Path(tempfile.gettempdir()) / "pitcrew-git-empty-home"

# Characters git itself forbids in ref names (git-check-ref-format(1), rules 3-5).
_GIT_FORBIDDEN = set(" ~^:?*[\\")
# Characters git would accept but a shell would interpret. Branch names end up in the
# copy-paste commands of the PR comment, so they are refused as hostile rather than quoted.
_SHELL_META = set("$`;&|<>()'\"!{}\n\r\t")


class GitError(Exception):
    """A git command failed. The message is already redacted."""

    def __init__(self, message: str, *, returncode: int | None = None, stderr: str = "") -> None:
        super().__init__(message)
        self.returncode = returncode
        self.stderr = stderr


class InvalidRef(GitError, ValueError):
    """A ref name that git would not accept as a branch name."""


class HostileRef(InvalidRef):
    """A ref name crafted to be read as an option or by a shell (leading '-', ``$(...)``, ...)."""


class RebaseConflict(GitError):
    """An update stopped on conflicts that no opted-in rule could resolve."""

    def __init__(self, message: str, *, conflicts: Sequence[object] = ()) -> None:
        super().__init__(message)
        self.conflicts = list(conflicts)


class BranchMoved(GitError):
    """The branch no longer points at the commit read at the start; nothing was overwritten."""


class PushRejected(GitError):
    """The remote refused the push (branch protection, hook, permissions)."""


def validate_ref(name: str, *, allow_full: bool = True) -> str:
    """Return ``name`` if it is a safe branch/ref name, else raise :class:`InvalidRef`.

    Implements ``git check-ref-format --branch`` in Python (no process per ref: checks run for
    hundreds of PRs at once) and refuses shell metacharacters on top. ``allow_full`` permits
    ``refs/...`` names such as ``refs/pull/12/head``.
    """
    if not isinstance(name, str) or not name:
        raise InvalidRef("invalid ref name: empty")
    shown = ascii(name)
    if name.startswith("-"):
        raise HostileRef(f"refusing ref name {shown}: starts with '-' (would be read as an option)")
    bad_shell = sorted({c for c in name if c in _SHELL_META})
    if bad_shell:
        raise HostileRef(f"refusing ref name {shown}: contains shell metacharacters {bad_shell}")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        raise HostileRef(f"refusing ref name {shown}: contains control characters")
    if len(name.encode()) > 255:
        raise InvalidRef(f"invalid ref name {shown}: longer than 255 bytes")
    bad = sorted({c for c in name if c in _GIT_FORBIDDEN})
    if bad:
        raise InvalidRef(f"invalid ref name {shown}: contains {bad}")
    problems = (
        (".." in name, "contains '..'"),
        ("@{" in name, "contains '@{'"),
        (name == "@", "is '@'"),
        (name == "HEAD", "is 'HEAD'"),
        (name.endswith("/") or name.startswith("/") or "//" in name, "has an empty component"),
        (name.endswith("."), "ends with '.'"),
        (not allow_full and name.startswith("refs/"), "is a full ref, a branch name is expected"),
    )
    for failed, why in problems:
        if failed:
            raise InvalidRef(f"invalid ref name {shown}: {why}")
    for part in name.split("/"):
        if part.startswith("."):
            raise InvalidRef(f"invalid ref name {shown}: a component starts with '.'")
        if part.endswith(".lock"):
            raise InvalidRef(f"invalid ref name {shown}: a component ends with '.lock'")
    return name


def github_auth_header(token: str) -> str:
    """The ``http.extraHeader`` value GitHub accepts for an installation token over https."""
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
    return f"Authorization: Basic {basic}"


def _secrets_of(header: str | None) -> tuple[str, ...]:
    """Every form of the credential that could appear in git's output."""
    if not header:
        return ()
    value = header.split(":", 1)[-1].strip()
    found = [header, value]
    _scheme, _, cred = value.partition(" ")
    if cred:
        found.append(cred)
        try:
            decoded = base64.b64decode(cred, validate=True).decode()
            found.extend([decoded, decoded.partition(":")[2]])
        except ValueError:
            pass
    return tuple(s for s in found if s)


@dataclass(frozen=True)
class Git:
    """A locked-down git runner bound to one repository (work tree or bare)."""

    repo: Path
    protocols: tuple[str, ...] = DEFAULT_PROTOCOLS
    auth_header: str | None = field(default=None, repr=False)
    extra_config: tuple[tuple[str, str], ...] = ()
    env_overrides: tuple[tuple[str, str], ...] = ()

    def with_(self, **changes: object) -> Git:
        """A copy with some fields replaced (e.g. another work tree, more config)."""
        fields = {
            "repo": self.repo,
            "protocols": self.protocols,
            "auth_header": self.auth_header,
            "extra_config": self.extra_config,
            "env_overrides": self.env_overrides,
        }
        fields.update(changes)
        return Git(**fields)  # type: ignore[arg-type]  # fields is asdict(self) of this same dataclass

    def argv(self, *args: str) -> list[str]:
        """The full argv for ``git <args>``, safety ``-c`` options first. Never holds secrets."""
        config = [
            ("core.hooksPath", "/dev/null"),
            ("core.fsmonitor", "false"),
            ("core.untrackedCache", "false"),
            ("submodule.recurse", "false"),
            ("fetch.recurseSubmodules", "false"),
            ("credential.helper", ""),
            ("protocol.allow", "never"),
            *((f"protocol.{p}.allow", "always") for p in self.protocols),
            *self.extra_config,
        ]
        out = ["git", "-C", str(self.repo)]
        for key, value in config:
            out += ["-c", f"{key}={value}"]
        return out + list(args)

    def env(self) -> dict[str, str]:
        """The process environment: nothing inherited that could change git's behaviour."""
        _EMPTY_HOME.mkdir(mode=0o700, exist_ok=True)
        keep = ("PATH", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT", "TZ")
        env = {k: os.environ[k] for k in keep if k in os.environ}
        env.update(
            {
                "GIT_CONFIG_NOSYSTEM": "1",
                "GIT_CONFIG_GLOBAL": "/dev/null",
                "HOME": str(_EMPTY_HOME),
                "XDG_CONFIG_HOME": str(_EMPTY_HOME),
                "GIT_TERMINAL_PROMPT": "0",
                "GIT_ASKPASS": "/bin/false",
                "SSH_ASKPASS": "/bin/false",
                "GIT_EDITOR": "true",
                "GIT_SEQUENCE_EDITOR": "true",
                "GIT_PAGER": "cat",
                "GIT_NO_REPLACE_OBJECTS": "1",
                "LC_ALL": "C",
            }
        )
        if self.auth_header:
            env.update(
                {
                    "GIT_CONFIG_COUNT": "1",
                    "GIT_CONFIG_KEY_0": "http.extraHeader",
                    "GIT_CONFIG_VALUE_0": self.auth_header,
                }
            )
        env.update(dict(self.env_overrides))
        return env

    def redact(self, text: str) -> str:
        """Mask the credential (in all its encodings) and anything token-shaped."""
        return redact(text, _secrets_of(self.auth_header))

    def run(
        self,
        *args: str,
        input: bytes | str | None = None,
        check: bool = True,
        ok_codes: Sequence[int] = (0,),
        text: bool = True,
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
    ) -> subprocess.CompletedProcess[Any]:
        """Run git synchronously; raise :class:`GitError` unless the exit code is in ok_codes."""
        argv = self.argv(*args)
        full_env = self.env()
        if env:
            full_env.update(env)
        if isinstance(input, str) and not text:
            input = input.encode()
        log.debug("git %s", self.redact(" ".join(args[:3])))
        proc = subprocess.run(
            argv,
            input=input,
            capture_output=True,
            env=full_env,
            cwd=str(cwd) if cwd else None,
            text=text,
            errors="surrogateescape" if text else None,
            check=False,
        )
        if check and proc.returncode not in ok_codes:
            raise self.error(args, proc)
        return proc

    def error(self, args: Sequence[str], proc: subprocess.CompletedProcess[Any]) -> GitError:
        """Translate a failed process into a redacted :class:`GitError`."""
        stderr = (
            proc.stderr if isinstance(proc.stderr, str) else proc.stderr.decode(errors="replace")
        )
        stderr = self.redact(stderr.strip())
        sub = next((a for a in args if not a.startswith("-")), "?")
        return GitError(
            f"git {sub} failed (exit {proc.returncode}): {stderr[-2000:]}",
            returncode=proc.returncode,
            stderr=stderr,
        )

    def out(self, *args: str, input: str | None = None) -> str:
        """stdout of a successful command, stripped."""
        return str(self.run(*args, input=input).stdout).strip()


def resolve_commits(git: Git, names: Sequence[str]) -> dict[str, str | None]:
    """Resolve many revisions to commit ids in one process (``cat-file --batch-check``).

    Names go through stdin, so they cannot be parsed as options; unknown names map to None.
    """
    unique = list(dict.fromkeys(names))
    if not unique:
        return {}
    data = "".join(f"{n}^{{commit}}\n" for n in unique)
    proc = git.run("cat-file", "--batch-check=%(objectname) %(objecttype)", input=data)
    result: dict[str, str | None] = {}
    for name, line in zip(unique, proc.stdout.splitlines(), strict=False):
        sha, _, kind = line.partition(" ")
        result[name] = sha if kind == "commit" else None
    return result


def resolve_commit(git: Git, name: str) -> str:
    """Resolve one revision or raise :class:`GitError` naming it."""
    sha = resolve_commits(git, [name]).get(name)
    if not sha:
        raise GitError(f"unknown revision {name!a}")
    return sha
