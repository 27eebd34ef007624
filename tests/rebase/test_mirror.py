"""MirrorCache: blobless mirrors, incremental fetch, LRU eviction, per-repo serialisation."""

from __future__ import annotations

import asyncio
import gc
import os
import socket

import pytest

from bot.dispatch import is_outage, is_retryable
from bot.rebase.check import check_heads
from bot.rebase.git import GitError, HostileRef
from bot.rebase.mirror import MirrorCache, refspecs
from bot.rebase.mirrors import MirrorUnavailable, TransientFetchError, open_fetched
from bot.rebase.targets import Repo as TargetRepo

from .conftest import Repo, git_merge_markers, lines


@pytest.fixture
def origin(repo: Repo) -> Repo:
    repo.git("config", "uploadpack.allowFilter", "true")
    repo.git("config", "uploadpack.allowAnySHA1InWant", "true")
    repo.branch("feature")
    repo.commit("pr", {"app.txt": lines(20).replace("line 3\n", "pr three\n")})
    repo.git("update-ref", "refs/pull/1/head", "feature")
    repo.switch("main")
    repo.commit("main", {"app.txt": lines(20).replace("line 3\n", "main three\n")})
    return repo


@pytest.fixture
def cache(tmp_path) -> MirrorCache:
    return MirrorCache(tmp_path / "cache", 10**9, protocols=("file",))


def test_blobless_mirror_checks_pull_refs(origin: Repo, cache: MirrorCache):
    with cache.open_sync("octo/app", origin.path.as_uri(), branches=["main"], pulls=[1]) as git:
        assert git.repo == cache.path_for("octo/app")
        assert git.out("config", "remote.origin.promisor") == "true"
        assert git.out("config", "remote.origin.partialclonefilter") == "blob:none"
        objects = git.out("rev-list", "--objects", "--missing=print", "refs/heads/main")
        assert "?" in objects  # blobs really are absent until needed
        (result,) = check_heads(git, "main", ["refs/pull/1/head"])
    assert result.status == "conflicted"
    markers = git_merge_markers(origin, "main", "feature", ["app.txt"])["app.txt"]
    assert [(c.path, c.base_lines, c.head_lines) for c in result.conflicts] == [
        ("app.txt", *markers)
    ]


def test_incremental_fetch_reuses_the_mirror(origin: Repo, cache: MirrorCache):
    url = origin.path.as_uri()
    with cache.open_sync("octo/app", url, branches=["main"]) as git:
        sentinel = git.repo / "sentinel"
        sentinel.write_text("same mirror")
    new_main = origin.commit("more", {"more.txt": "more\n"})
    origin.git("update-ref", "refs/pull/2/head", "feature")
    with cache.open_sync("octo/app", url, branches=["main"], pulls=[2]) as git:
        assert sentinel.exists()  # not re-cloned
        assert git.out("rev-parse", "refs/heads/main") == new_main
        assert git.out("rev-parse", "refs/pull/2/head") == origin.sha("feature")


def test_lru_eviction_skips_held_and_recent(origin: Repo, cache: MirrorCache):
    url = origin.path.as_uri()
    names = ["o/a", "o/b", "o/c", "o/d"]
    for n in names:
        with cache.open_sync(n, url, branches=["main"]):
            pass
    for i, n in enumerate(names):  # explicit last-use times: a oldest ... d newest
        stamp = cache.path_for(n) / "pitcrew-last-used"
        os.utime(stamp, (1000 + i, 1000 + i))
    one = cache.usage() / len(names)
    cache.max_bytes = int(one * 2.5)
    with cache.locked("o/a"):  # another job holds the oldest: it must survive
        evicted = cache.evict()
    assert evicted == ["o/b", "o/c"]
    assert sorted(n for n, _, _ in cache.mirrors()) == ["o/a", "o/d"]
    assert cache.usage() <= cache.max_bytes


@pytest.mark.parametrize("bad", ["../etc", "a/b/c", "noslash", "o/..", "o/a b"])
def test_repo_names_validated(cache: MirrorCache, bad: str):
    with pytest.raises(ValueError):
        cache.path_for(bad)


def test_refspecs_validated():
    assert refspecs(["main"], [7]) == [
        "+refs/heads/main:refs/heads/main",
        "+refs/pull/7/head:refs/pull/7/head",
    ]
    with pytest.raises(HostileRef):
        refspecs(["--upload-pack=x"])
    with pytest.raises(ValueError):
        refspecs([], [0])


def test_clone_url_with_credentials_refused(cache: MirrorCache):
    with pytest.raises(ValueError, match="credentials"):
        cache.sync("o/r", "https://user:pw@example.com/o/r.git")


async def test_concurrent_jobs_on_one_repo_are_serialised(origin: Repo, cache: MirrorCache):
    url = origin.path.as_uri()
    inside = 0
    overlaps = []

    async def job(repo_name: str) -> None:
        nonlocal inside
        async with cache.open(repo_name, url, branches=["main"]) as git:
            inside += 1
            overlaps.append(inside)
            await asyncio.sleep(0.05)
            assert git.repo.exists()
            inside -= 1

    await asyncio.gather(*(job("o/same") for _ in range(3)))
    assert overlaps == [1, 1, 1]


async def test_per_repository_locks_do_not_outlive_their_jobs(cache: MirrorCache):
    """A long-running service touches many repositories: no lock stays behind once nobody holds
    or awaits it, while jobs still waiting share the holder's lock (serialised)."""
    inside = 0
    overlaps = []

    async def job(name: str) -> None:
        nonlocal inside
        async with cache.alocked(name):
            inside += 1
            overlaps.append(inside)
            await asyncio.sleep(0.01)
            inside -= 1

    await asyncio.gather(*(job("o/shared") for _ in range(3)))
    await asyncio.gather(*(job(f"o/repo{i}") for i in range(50)))
    gc.collect()
    assert overlaps[:3] == [1, 1, 1]
    assert len(cache._locks) == 0


async def test_async_api_on_the_mirror(origin: Repo, cache: MirrorCache):
    from bot.rebase import check_heads_async, update_branch_async

    async with cache.open("octo/app", origin.path.as_uri(), branches=["main", "feature"]) as git:
        (check,) = await check_heads_async(git, "main", ["feature"])
        result = await update_branch_async(
            git, "main", "feature", strategy="merge", update_ref=False
        )
    assert check.status == "conflicted" and result.status == "conflicted"
    assert result.head_after == result.head_before == origin.sha("feature")


async def test_a_fetch_that_may_succeed_later_is_an_outage_and_a_lost_repository_is_not(
    tmp_path, origin: Repo
):
    """open_fetched: GitHub unreachable → TransientFetchError (the queue retries it as an outage);
    a repository that does not exist → MirrorUnavailable (no retry); errors inside the block pass
    through unchanged."""
    with socket.socket() as sock:  # a loopback port nobody listens on: "connection refused"
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    web = MirrorCache(tmp_path / "web", 10**9, protocols=("http",))
    down = TargetRepo("o", "down", f"http://127.0.0.1:{port}/o/down.git", 1)
    with pytest.raises(TransientFetchError) as transient:
        async with open_fetched(web, down, branches=["main"], pulls=[], auth_header=""):
            pass
    assert is_outage(transient.value) and is_retryable(transient.value)

    files = MirrorCache(tmp_path / "files", 10**9, protocols=("file",))
    gone = TargetRepo("o", "gone", (tmp_path / "missing.git").as_uri(), 1)
    with pytest.raises(MirrorUnavailable):
        async with open_fetched(files, gone, branches=["main"], pulls=[], auth_header=""):
            pass

    here = TargetRepo("o", "app", origin.path.as_uri(), 1)
    with pytest.raises(GitError, match="inside"):
        async with open_fetched(files, here, branches=["main"], pulls=[1], auth_header=""):
            raise GitError("inside the block")
