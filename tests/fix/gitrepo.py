"""Real git repositories and job logs for the fix tests."""

from __future__ import annotations

import os
import subprocess
import tempfile
from importlib.metadata import version
from pathlib import Path

from bot.fix import ToolCache

ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Ada",
    "GIT_AUTHOR_EMAIL": "ada@example.com",
    "GIT_COMMITTER_NAME": "Ada",
    "GIT_COMMITTER_EMAIL": "ada@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}
RUFF = version("ruff")
BLACK = version("black")


def tool_cache() -> ToolCache:
    """One cache for the whole test run (and later runs on this machine): tools install once."""
    root = Path(
        os.environ.get(
            "PITCREW_TEST_FIX_TOOLS", Path(tempfile.gettempdir()) / "pitcrew-test-fix-tools"
        )
    )
    return ToolCache(root)


def git(repo: Path, *args: str, input: bytes | None = None) -> str:
    proc = subprocess.run(
        ["git", "-C", str(repo), *args], input=input, capture_output=True, env=ENV, check=True
    )
    return proc.stdout.decode().strip()


def make_repo(
    path: Path, files: dict[str, str | bytes], *, symlinks: dict[str, str] | None = None
) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    write(path, files, symlinks=symlinks)
    commit(path, "init")
    return path


def write(
    path: Path, files: dict[str, str | bytes], *, symlinks: dict[str, str] | None = None
) -> None:
    for rel, content in files.items():
        target = path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content)
    for rel, dest in (symlinks or {}).items():
        (path / rel).symlink_to(dest)


def commit(path: Path, message: str) -> str:
    git(path, "add", "-A")
    git(path, "commit", "-q", "--allow-empty", "-m", message)
    return git(path, "rev-parse", "HEAD")


def job_log(script: str, output: list[str], *, title: str | None = None) -> str:
    """A GitHub Actions job log: checkout, then the failing ``run:`` step."""
    ts = "2024-05-01T10:00:00.0000000Z "
    lines = [
        "##[group]Run actions/checkout@v4",
        "with:",
        "  repository: octo-org/widgets",
        "##[endgroup]",
        "Syncing repository: octo-org/widgets",
        f"##[group]Run {title or script.splitlines()[0]}",
        *script.splitlines(),
        "shell: /usr/bin/bash -e {0}",
        "env:",
        "  pythonLocation: /opt/hostedtoolcache/Python/3.12.3/x64",
        "##[endgroup]",
        *output,
        "##[error]Process completed with exit code 1.",
        "Post job cleanup.",
    ]
    return "".join(f"{ts}{line}\n" for line in lines)


def fast_import_repo(path: Path, count: int) -> Path:
    """A repository with ``count`` files, built in one ``git fast-import`` stream."""
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    chunks = [
        b"commit refs/heads/main\n",
        b"committer Ada <ada@example.com> 1700000000 +0000\n",
        b"data 4\nbig\n",
    ]
    blob = b"x = 1\n"
    for i in range(count):
        chunks.append(
            b"M 100644 inline pkg%d/m%d.py\ndata %d\n%s\n" % (i // 1000, i, len(blob), blob)
        )
    git(path, "fast-import", "--quiet", input=b"".join(chunks))
    return path
