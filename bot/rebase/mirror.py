"""One bare, blobless mirror per repository, fetched incrementally, bounded by LRU eviction.

Why: cloning per event is the slow, disk-hungry way (see ``bench/rebase.py``). A blobless
(``--filter=blob:none``) bare clone holds every commit and tree but fetches blobs lazily, and
``merge-tree`` batches those lazy fetches, so checks stay cheap. Each use fetches just the refs
it needs (the base branch, PR heads as ``refs/pull/N/head`` or branch names).

Concurrency: jobs on one repository are serialised by an ``asyncio.Lock`` (in process) plus an
``fcntl`` lock file (across processes, e.g. several workers). Eviction never removes a mirror
that someone holds. Layout: ``<root>/<owner>/<name>.git``, locks in ``<root>/.locks/``.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import re
import shutil
import time
import uuid
import weakref
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path

from bot.rebase.git import DEFAULT_PROTOCOLS, Git, GitError, validate_ref

log = logging.getLogger(__name__)

_REPO_RE = re.compile(r"^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$")
_STAMP = "pitcrew-last-used"


def _check_repo(full_name: str) -> str:
    if not _REPO_RE.match(full_name) or any(p in (".", "..") for p in full_name.split("/")):
        raise ValueError(f"invalid repository name {full_name!r} (expected owner/name)")
    return full_name


def _check_url(url: str) -> None:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if url.startswith("-") or parts.username or parts.password:
        raise ValueError("clone URL must not start with '-' or carry credentials")


def dir_size(path: Path) -> int:
    """Bytes on disk under ``path`` (allocated blocks, what a disk quota sees)."""
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for f in files:
            try:
                st = os.lstat(os.path.join(dirpath, f))
            except FileNotFoundError:
                continue
            total += st.st_blocks * 512
    return total


def refspecs(branches: Sequence[str] = (), pulls: Sequence[int] = ()) -> list[str]:
    """Forced refspecs mapping each wanted ref to the same name in the mirror."""
    specs = []
    for branch in branches:
        validate_ref(branch)
        ref = branch if branch.startswith("refs/") else f"refs/heads/{branch}"
        specs.append(f"+{ref}:{ref}")
    for number in pulls:
        n = int(number)
        if n <= 0:
            raise ValueError(f"invalid pull request number {number!r}")
        specs.append(f"+refs/pull/{n}/head:refs/pull/{n}/head")
    return specs


class MirrorCache:
    """Mirrors under ``root``, total size kept under ``max_bytes`` (least recently used first)."""

    def __init__(
        self, root: Path, max_bytes: int, *, protocols: tuple[str, ...] = DEFAULT_PROTOCOLS
    ) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes
        self.protocols = protocols
        # Weak values: a repository's lock lives while some job holds or awaits it, then goes, so
        # a long-running service does not keep one lock per repository it ever touched.
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        (self.root / ".locks").mkdir(parents=True, exist_ok=True)

    # ------------------------------------------------------------------ paths and locks

    def path_for(self, full_name: str) -> Path:
        owner, name = _check_repo(full_name).split("/")
        return self.root / owner / f"{name}.git"

    def git_for(self, full_name: str, auth_header: str | None = None) -> Git:
        """A runner on the mirror; pass ``auth_header`` when lazy blob fetches may need it."""
        return Git(self.path_for(full_name), protocols=self.protocols, auth_header=auth_header)

    def _lock_path(self, full_name: str) -> Path:
        return self.root / ".locks" / (_check_repo(full_name).replace("/", "__") + ".lock")

    @contextlib.contextmanager
    def locked(self, full_name: str) -> Iterator[Path]:
        """Hold the cross-process lock of one mirror (blocking). Yields the mirror path."""
        with open(self._lock_path(full_name), "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield self.path_for(full_name)
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    @contextlib.asynccontextmanager
    async def alocked(self, full_name: str) -> AsyncIterator[Path]:
        """Async form of :meth:`locked`: an asyncio.Lock first, then the file lock in a thread."""
        lock = self._locks.get(full_name)
        if lock is None:
            lock = self._locks[full_name] = asyncio.Lock()
        async with lock:
            fh = open(self._lock_path(full_name), "a+")  # noqa: SIM115 - released below
            try:
                await asyncio.to_thread(fcntl.flock, fh, fcntl.LOCK_EX)
                yield self.path_for(full_name)
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
                fh.close()

    # ------------------------------------------------------------------ clone and fetch

    def sync(
        self,
        full_name: str,
        url: str,
        *,
        branches: Sequence[str] = (),
        pulls: Sequence[int] = (),
        auth_header: str | None = None,
    ) -> Path:
        """Create the mirror if missing, then fetch the wanted refs. Caller holds the lock."""
        _check_url(url)
        specs = refspecs(branches, pulls)
        path = self.path_for(full_name)
        git = Git(
            path,
            protocols=self.protocols,
            auth_header=auth_header,
            extra_config=(("gc.autoDetach", "false"), ("fetch.writeCommitGraph", "true")),
        )
        if not (path / "HEAD").exists():
            self._clone(git, url)
        else:
            git.run("config", "remote.origin.url", url)
        if specs:
            git.run(
                "fetch",
                "--no-tags",
                "--quiet",
                "--no-write-fetch-head",
                "--end-of-options",
                "origin",
                *specs,
            )
        self.touch(full_name)
        return path

    def _clone(self, git: Git, url: str) -> None:
        path = git.repo
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.parent / f".{path.name}.tmp-{uuid.uuid4().hex[:8]}"
        outer = git.with_(repo=path.parent)
        try:
            outer.run(
                "clone", "--bare", "--filter=blob:none", "--no-tags", "--quiet", "--", url, str(tmp)
            )
            git.with_(repo=tmp).run("commit-graph", "write", "--reachable")
            tmp.rename(path)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        log.info("mirror created", extra={"mirror": str(path)})

    @contextlib.asynccontextmanager
    async def open(
        self,
        full_name: str,
        url: str,
        *,
        branches: Sequence[str] = (),
        pulls: Sequence[int] = (),
        auth_header: str | None = None,
    ) -> AsyncIterator[Git]:
        """Lock, create/fetch, yield a :class:`Git` on the mirror; evict others on the way out.

        ``async with cache.open("o/r", url, branches=["main"], pulls=[7], auth_header=h) as git:``
        """
        async with self.alocked(full_name):
            await asyncio.to_thread(
                self.sync, full_name, url, branches=branches, pulls=pulls, auth_header=auth_header
            )
            try:
                yield self.git_for(full_name, auth_header)
            finally:
                self.touch(full_name)
        await asyncio.to_thread(self.evict, keep=(full_name,))

    @contextlib.contextmanager
    def open_sync(
        self,
        full_name: str,
        url: str,
        *,
        branches: Sequence[str] = (),
        pulls: Sequence[int] = (),
        auth_header: str | None = None,
    ) -> Iterator[Git]:
        """Blocking form of :meth:`open` (CLI, benchmarks)."""
        with self.locked(full_name):
            self.sync(full_name, url, branches=branches, pulls=pulls, auth_header=auth_header)
            try:
                yield self.git_for(full_name, auth_header)
            finally:
                self.touch(full_name)
        self.evict(keep=(full_name,))

    # ------------------------------------------------------------------ LRU

    def touch(self, full_name: str) -> None:
        path = self.path_for(full_name)
        if path.exists():
            stamp = path / _STAMP
            stamp.touch()
            now = time.time()
            os.utime(stamp, (now, now))

    def mirrors(self) -> list[tuple[str, Path, float]]:
        """(owner/name, path, last use) for every mirror, least recently used first."""
        found = []
        for owner in self.root.iterdir():
            if owner.name.startswith(".") or not owner.is_dir():
                continue
            for repo in owner.glob("*.git"):
                stamp = repo / _STAMP
                used = stamp.stat().st_mtime if stamp.exists() else repo.stat().st_mtime
                found.append((f"{owner.name}/{repo.name[:-4]}", repo, used))
        return sorted(found, key=lambda x: x[2])

    def usage(self) -> int:
        return sum(dir_size(p) for _, p, _ in self.mirrors())

    def evict(self, keep: Sequence[str] = ()) -> list[str]:
        """Delete least recently used mirrors until under ``max_bytes``; skips held mirrors."""
        entries = [(n, p, dir_size(p)) for n, p, _ in self.mirrors()]
        total = sum(size for _, _, size in entries)
        evicted = []
        for name, path, size in entries:
            if total <= self.max_bytes:
                break
            if name in keep or not self._try_remove(name, path):
                continue
            total -= size
            evicted.append(name)
            log.info("mirror evicted", extra={"mirror": name, "bytes": size})
        return evicted

    def _try_remove(self, name: str, path: Path) -> bool:
        with open(self._lock_path(name), "a+") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False  # in use by another job or process
            try:
                trash = self.root / ".locks" / f".trash-{uuid.uuid4().hex}"
                path.rename(trash)
                shutil.rmtree(trash, ignore_errors=True)
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
        return True


__all__ = ["GitError", "MirrorCache", "dir_size", "refspecs"]
