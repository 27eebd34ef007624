"""A temporary work tree holding just what the formatter needs, written from git objects.

Nothing is checked out: files are written from blobs read with ``git cat-file``, so no hook,
filter, attribute or repository git config runs, and the mirror is never touched. Only regular
files are written; symlinks (and submodules) are skipped and named in the notes, so nothing the
formatter does can follow a link out of the tree. ``changes()`` compares the tree with what
was written and refuses any created, deleted or changed file that was not a target.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.rebase.git import Git

from .model import Refusal

MAX_FILES = 20_000
MAX_BYTES = 256 << 20
MAX_FILE_BYTES = 16 << 20
_LITERAL = {"GIT_LITERAL_PATHSPECS": "1"}


@dataclass
class Entry:
    mode: str
    sha: str
    path: str


@dataclass
class WorkTree:
    root: Path
    written: dict[str, str] = field(default_factory=dict)  # path → sha256 of what we wrote
    notes: list[str] = field(default_factory=list)

    def changes(self, allowed: set[str]) -> dict[str, bytes]:
        """Changed files → new bytes; raises Refusal if anything outside ``allowed`` changed."""
        seen: set[str] = set()
        changed: dict[str, bytes] = {}
        for dirpath, dirs, files in os.walk(self.root):
            for name in files + [d for d in dirs if os.path.islink(os.path.join(dirpath, d))]:
                full = os.path.join(dirpath, name)
                rel = os.path.relpath(full, self.root).replace(os.sep, "/")
                if rel not in self.written:
                    raise Refusal("failed", f"the formatter created `{rel}`; nothing was applied")
                if os.path.islink(full) or not os.path.isfile(full):
                    raise Refusal("failed", f"the formatter replaced `{rel}`; nothing was applied")
                seen.add(rel)
                data = Path(full).read_bytes()
                if hashlib.sha256(data).hexdigest() != self.written[rel]:
                    if rel not in allowed:
                        raise Refusal(
                            "failed",
                            f"the formatter changed `{rel}`, which it was not asked to touch; "
                            "nothing was applied",
                        )
                    changed[rel] = data
        missing = sorted(set(self.written) - seen)
        if missing:
            raise Refusal("failed", f"the formatter deleted `{missing[0]}`; nothing was applied")
        return changed


def list_entries(git: Git, commit: str, pathspecs: Iterable[str], limit: int) -> list[Entry]:
    """``ls-tree`` entries under literal pathspecs, at most ``limit`` (Refusal past it)."""
    specs = sorted(set(pathspecs))
    if not specs:
        return []
    args = ["ls-tree", "-r", "-z", "--full-tree", "--end-of-options", commit, "--", *specs]
    if "." in specs:
        args = ["ls-tree", "-r", "-z", "--full-tree", "--end-of-options", commit]
    proc = git.run(*args, env=_LITERAL, text=False)
    out: list[Entry] = []
    for record in proc.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, _kind, sha = meta.decode().split(" ")
        out.append(Entry(mode, sha, path.decode("utf-8", "surrogateescape")))
        if len(out) > limit:
            raise Refusal(
                "refused",
                f"the formatter would walk more than {limit:,} files; name the files to format "
                "in the check command (or run it locally)",
            )
    return out


def prefetch(git: Git, shas: list[str]) -> None:
    """In a partial (blobless) mirror, fetch missing blobs in one request: ``cat-file`` alone
    would fetch them one round trip at a time."""
    promisor = git.run("config", "--get", "remote.origin.promisor", check=False).stdout.strip()
    if promisor != "true" or not shas:
        return
    wanted = list(dict.fromkeys(shas))  # present ones cost nothing: fetch skips them
    if len(wanted) > 1:
        git.run(
            "fetch",
            "--no-tags",
            "--no-write-fetch-head",
            "--quiet",
            "--filter=blob:none",
            "--stdin",
            "origin",
            input="\n".join(wanted) + "\n",
            check=False,  # best effort: cat-file still fetches what is missing, one by one
        )


def read_blobs(git: Git, shas: list[str]) -> dict[str, bytes]:
    """Blob contents by id, in one ``cat-file --batch`` process."""
    unique = list(dict.fromkeys(shas))
    if not unique:
        return {}
    proc = git.run("cat-file", "--batch", input="\n".join(unique) + "\n", text=False)
    data: bytes = proc.stdout
    out: dict[str, bytes] = {}
    pos = 0
    for sha in unique:
        nl = data.index(b"\n", pos)
        header = data[pos:nl].decode()
        pos = nl + 1
        parts = header.split(" ")
        if len(parts) < 3:
            continue  # "<sha> missing"
        size = int(parts[2])
        out[sha] = data[pos : pos + size]
        pos += size + 1
    return out


def read_file(git: Git, commit: str, path: str) -> bytes | None:
    """One regular file's bytes at ``commit`` (None if absent, a symlink or too big)."""
    entries = list_entries(git, commit, [path], 1)
    entry = next((e for e in entries if e.path == path), None)
    if entry is None or entry.mode not in ("100644", "100755"):
        return None
    return read_blobs(git, [entry.sha]).get(entry.sha)


def materialize(git: Git, commit: str, entries: list[Entry], root: Path) -> WorkTree:
    """Write ``entries`` (regular files only) under ``root``."""
    tree = WorkTree(root)
    regular = []
    for entry in entries:
        if entry.mode == "120000":
            tree.notes.append(f"skipped symlink `{entry.path}` (links are never followed)")
        elif entry.mode in ("100644", "100755"):
            regular.append(entry)
        else:
            tree.notes.append(f"skipped `{entry.path}` (not a regular file)")
    total = 0
    prefetch(git, [e.sha for e in regular])
    blobs = read_blobs(git, [e.sha for e in regular])
    for entry in regular:
        data = blobs.get(entry.sha)
        if data is None:
            raise Refusal("failed", f"could not read `{entry.path}` at {commit[:12]}")
        total += len(data)
        if len(data) > MAX_FILE_BYTES or total > MAX_BYTES:
            raise Refusal("refused", f"`{entry.path}` is too large to format safely here")
        target = _safe_join(root, entry.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        if entry.mode == "100755":
            os.chmod(target, 0o755)
        tree.written[entry.path] = hashlib.sha256(data).hexdigest()
    return tree


def _safe_join(root: Path, rel: str) -> Path:
    norm = posixpath.normpath(rel)
    if norm.startswith(("/", "../")) or norm == ".." or "/.git/" in f"/{norm}/":
        raise Refusal("refused", f"unsafe path `{rel}` in the tree")
    return root / norm


def ancestors(path: str) -> list[str]:
    """``a/b/c.py`` → ``["", "a", "a/b"]`` (directories a tool looks in for its config)."""
    parts = path.split("/")[:-1]
    return ["/".join(parts[:i]) for i in range(len(parts) + 1)]
