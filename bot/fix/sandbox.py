"""Run one formatter process with no network, a read-only filesystem, a wall-clock limit and an
output cap.

Isolation, the strongest available: bubblewrap (``bwrap``: the whole filesystem read-only except
the work tree and a private HOME, a fresh network namespace, the process killed with its
parent); else a fresh network namespace only (``unshare -n``, or ``unshare -rn`` unprivileged);
else none. The result's notes say which one ran. The environment is built from scratch: HOME
and caches point into a private temporary directory, so no user or repository-global
configuration (``~/.config/ruff``, ``~/.config/black``) is read.
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO

DEFAULT_TIMEOUT = 60.0
OUTPUT_CAP = 64 * 1024


ISOLATION_NOTES = {
    "bwrap": "sandbox: bubblewrap (read-only filesystem except the work tree, no network)",
    "unshare": "sandbox: network namespace only (bubblewrap unavailable; filesystem not isolated)",
    "none": "sandbox unavailable here (no bubblewrap, no unshare): the formatter ran unisolated",
}


@dataclass
class RunOutcome:
    returncode: int | None  # None: killed at the time limit
    output: str
    truncated: bool
    isolation: str  # bwrap | unshare | none
    seconds_limit: float


def _works(argv: list[str]) -> bool:
    try:
        proc = subprocess.run(argv, capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0


def _bwrap_argv(work: Path, home: Path) -> list[str]:
    return [
        *("bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"),
        *("--bind", str(work), str(work), "--bind", str(home), str(home)),
        *("--unshare-net", "--unshare-pid", "--die-with-parent", "--new-session"),
        *("--chdir", str(work), "--"),
    ]


@functools.cache
def isolation_kind() -> str:
    """``bwrap`` or ``unshare`` when that works on this machine, else ``none``."""
    probe = Path(tempfile.gettempdir())
    if shutil.which("bwrap") and _works([*_bwrap_argv(probe, probe), "true"]):
        return "bwrap"
    if isolation_prefix() is not None:
        return "unshare"
    return "none"


@functools.cache
def isolation_prefix() -> tuple[str, ...] | None:
    """The ``unshare`` argv prefix that drops network access here, or None when none works."""
    for prefix in (("unshare", "-n", "--"), ("unshare", "-rn", "--")):
        if _works([*prefix, "true"]):
            return prefix
    return None


def _prefix(kind: str, work: Path, home: Path) -> list[str]:
    if kind == "bwrap":
        return _bwrap_argv(work, home)
    if kind == "unshare":
        return list(isolation_prefix() or ())
    return []


def run_bounded(
    argv: list[str],
    cwd: Path,
    home: Path,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    output_cap: int = OUTPUT_CAP,
    extra_env: dict[str, str] | None = None,
) -> RunOutcome:
    """Run ``argv`` in ``cwd``; kill its whole process group at ``timeout`` seconds."""
    kind = isolation_kind()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "TMPDIR": str(home),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "NO_COLOR": "1",
        "RUFF_NO_CACHE": "true",
        "BLACK_CACHE_DIR": str(home / ".cache" / "black"),
        "GOFLAGS": "-mod=mod",
        "GOTOOLCHAIN": "local",
        "npm_config_update_notifier": "false",
        # rustup's proxies find their toolchains through these, not through HOME
        **{k: v for k, v in _rustup_homes().items() if k not in (extra_env or {})},
        **(extra_env or {}),
    }
    proc = subprocess.Popen(
        [*_prefix(kind, cwd, home), *argv],
        cwd=str(cwd),
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    kept = bytearray()
    truncated = [False]
    assert proc.stdout is not None
    reader = threading.Thread(
        target=_drain, args=(proc.stdout, kept, output_cap, truncated), daemon=True
    )
    reader.start()
    try:
        code: int | None = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        code = None
    reader.join(timeout=5)
    return RunOutcome(code, kept.decode("utf-8", "replace"), truncated[0], kind, timeout)


def _rustup_homes() -> dict[str, str]:
    home = Path.home()
    return {
        "RUSTUP_HOME": os.environ.get("RUSTUP_HOME") or str(home / ".rustup"),
        "CARGO_HOME": os.environ.get("CARGO_HOME") or str(home / ".cargo"),
    }


def _drain(stream: IO[bytes], kept: bytearray, cap: int, truncated: list[bool]) -> None:
    """Keep the first ``cap`` bytes of output and discard the rest (never blocks the tool)."""
    while True:
        block = stream.read(8192)
        if not block:
            break
        room = cap - len(kept)
        if room > 0:
            kept.extend(block[:room])
        if len(block) > max(room, 0):
            truncated[0] = True
    stream.close()


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()
