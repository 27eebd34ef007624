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


def broken_heads(repo: Repo) -> dict[str, str]:
    """Heads git cannot merge, next to ordinary ones: name -> what the error must say."""
    repo.branch("ok-conflict")
    repo.commit("pr", {"app.txt": lines(20).replace("line 4\n", "pr four\n")})
    repo.branch("ok-clean", "main")
    repo.commit("pr", {"other.txt": "other\n"})
    # unrelated histories: an orphan branch
    repo.git("switch", "-q", "--orphan", "unrelated")
    repo.commit("orphan", {"alone.txt": "alone\n"})
    # a missing object: the head commit's tree is gone (git would read it as empty)
    repo.branch("missing-tree", "main")
    repo.commit("pr", {"fresh.txt": "fresh\n", "app.txt": lines(20).replace("line 15\n", "pr\n")})
    tree = repo.sha("missing-tree^{tree}")
    # a corrupt object: the blob git must merge is garbage on disk
    repo.branch("corrupt-blob", "main")
    repo.commit("pr", {"app.txt": lines(20).replace("line 6\n", "corrupt six\n")})
    blob = repo.sha("corrupt-blob:app.txt")
    repo.switch("main")
    repo.commit(
        "main",
        {"app.txt": lines(20).replace("line 4\n", "main four\n").replace("line 6\n", "main six\n")},
    )
    objects = repo.path / ".git" / "objects"
    (objects / tree[:2] / tree[2:]).unlink()
    corrupt = objects / blob[:2] / blob[2:]
    corrupt.chmod(0o644)
    corrupt.write_bytes(b"not a zlib stream")
    return {
        "unrelated": "unrelated histories",
        "missing-tree": "could not read",
        "corrupt-blob": "corrupt",
    }


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    path = tmp_path / "work"
    path.mkdir()
    r = Repo(path)
    r.git("init", "-q", "-b", "main")
    r.commit("initial", {"app.txt": lines(20), "CHANGELOG.md": "# Changes\n\n- initial\n"})
    return r


def parse_work_tree_markers(
    text: bytes, head_label: str, *, size: int = 7
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The line ranges of each side's section in a file ``git merge`` left in a work tree.

    A plain line-by-line state machine, written independently of the engine's parser so the
    two can check each other: side 1 is between ``<<<<<<< HEAD`` (``HEAD:<path>`` after a
    rename) and ``=======``, side 2 between ``=======`` and ``>>>>>>> <head_label>``.
    """
    first: list[tuple[int, int]] = []
    second: list[tuple[int, int]] = []
    opening, closing, separator = b"<" * size + b" HEAD", b">" * size + b" ", b"=" * size
    state, start = "out", 0
    for number, line in enumerate(text.split(b"\n"), start=1):
        bare = line.rstrip(b"\r")
        if state == "out" and (bare == opening or bare.startswith(opening + b":")):
            state, start = "first", number + 1
        elif state == "first" and bare == separator:
            first.append((start, number - 1))
            state, start = "second", number + 1
        elif state == "second" and bare.startswith(closing + head_label.encode()):
            second.append((start, number - 1))
            state = "out"
    return first, second


def git_merge_markers(
    repo: Repo, base: str, head: str, paths: list[str], *, marker_size: int = 7
) -> dict[str, tuple[list[tuple[int, int]], list[tuple[int, int]]]]:
    """What a user sees: merge ``head`` into ``base`` in a real work tree, read the markers.

    ``marker_size`` other than git's 7 merges in a throw-away clone whose ``info/attributes``
    asks for longer markers (same lines, unambiguous separators), leaving ``repo`` untouched.
    """
    if marker_size != 7:
        repo = _clone_with_markers(repo, marker_size, [base, head])
    wt = repo.path.parent / f"merge-{abs(hash((base, head, marker_size)))}"
    repo.git("worktree", "add", "-q", "--detach", str(wt), base)
    try:
        proc = subprocess.run(
            ["git", "-C", str(wt), "merge", "--no-edit", "--no-ff", head],
            capture_output=True,
            env=ENV,
            check=False,
        )
        assert proc.returncode == 1, proc.stderr  # the merge stops on its conflicts
        return {
            p: parse_work_tree_markers((wt / p).read_bytes(), head, size=marker_size)
            if (wt / p).is_file()
            else ([], [])
            for p in paths
        }
    finally:
        subprocess.run(["git", "-C", str(wt), "merge", "--abort"], env=ENV, check=False)
        repo.git("worktree", "remove", "--force", str(wt))


def _clone_with_markers(repo: Repo, marker_size: int, branches: list[str]) -> Repo:
    clone = repo.path.parent / f"clone-{marker_size}-{abs(hash(tuple(branches)))}"
    subprocess.run(
        ["git", "clone", "-q", "--no-checkout", str(repo.path), str(clone)], env=ENV, check=True
    )
    attributes = clone / ".git" / "info" / "attributes"
    attributes.parent.mkdir(exist_ok=True)
    attributes.write_text(f"* conflict-marker-size={marker_size}\n")
    work = Repo(clone)
    for name in branches:
        work.git("update-ref", f"refs/heads/{name}", f"refs/remotes/origin/{name}")
    return work
