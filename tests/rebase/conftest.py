"""Real git repositories in tmp_path for the rebase engine tests."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ENV = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_AUTHOR_NAME": "Ada Author",
    "GIT_AUTHOR_EMAIL": "ada@example.com",
    "GIT_COMMITTER_NAME": "Ada Author",
    "GIT_COMMITTER_EMAIL": "ada@example.com",
    "LC_ALL": "C",
}


class Repo:
    """A tiny driver for a test repository (trusted test input, so plain git calls)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def git(self, *args: str, env: dict | None = None) -> str:
        proc = subprocess.run(
            ["git", "-C", str(self.path), *args],
            capture_output=True,
            text=True,
            env={**ENV, **(env or {})},
            check=False,
        )
        if proc.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr}")
        return proc.stdout.strip()

    def write(self, name: str, text: str) -> None:
        f = self.path / name
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text)

    def commit(
        self, message: str, files: dict[str, str | None], *, author: str | None = None
    ) -> str:
        for name, text in files.items():
            if text is None:
                self.git("rm", "-q", "--", name)
            else:
                self.write(name, text)
                self.git("add", "--", name)
        env = {}
        if author:
            env = {"GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": f"{author.lower()}@example.com"}
        self.git("commit", "-q", "-m", message, env=env)
        return self.sha("HEAD")

    def sha(self, rev: str) -> str:
        return self.git("rev-parse", rev)

    def branch(self, name: str, start: str = "main") -> None:
        self.git("switch", "-q", "-c", name, start)

    def switch(self, name: str) -> None:
        self.git("switch", "-q", name)


def lines(n: int, prefix: str = "line") -> str:
    return "".join(f"{prefix} {i}\n" for i in range(1, n + 1))


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    path = tmp_path / "work"
    path.mkdir()
    r = Repo(path)
    r.git("init", "-q", "-b", "main")
    r.commit("initial", {"app.txt": lines(20), "CHANGELOG.md": "# Changes\n\n- initial\n"})
    return r
