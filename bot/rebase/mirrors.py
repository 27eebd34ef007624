"""The process's mirror cache, and how a failed fetch is classified.

`MirrorCache` (``bot.rebase.mirror``) keeps one bare clone per repository; the service keeps
one cache per process in `Services.mirrors`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from typing import Any

from bot.rebase.git import Git, GitError, InvalidRef, resolve_commits
from bot.rebase.mirror import MirrorCache
from bot.rebase.targets import Pull, Repo, git_protocols
from bot.services import HasServices

#: git's messages for trouble a later attempt may not meet (network, GitHub 5xx).
TRANSIENT_FETCH_SIGNS = (
    "returned error: 5",
    "could not resolve host",
    "connection refused",
    "couldn't connect to server",  # curl's wording for a refused connection
    "failed to connect",
    "connection reset",
    "timed out",
    "early eof",
    "rpc failed",
    "remote end hung up",
)


class MirrorUnavailable(Exception):
    """The repository cannot be fetched for a reason a retry will not fix (gone, no access)."""


class TransientFetchError(ConnectionError):
    """A fetch a later attempt may get through (GitHub unreachable, 5xx). A ConnectionError, so
    the queue counts it as an outage and retries the job with back-off; nothing was written."""


def is_transient_fetch_failure(message: str) -> bool:
    text = message.lower()
    return any(sign in text for sign in TRANSIENT_FETCH_SIGNS)


@contextlib.asynccontextmanager
async def open_fetched(
    cache: MirrorCache,
    repo: Repo,
    *,
    branches: Sequence[str],
    pulls: Sequence[int],
    auth_header: str,
) -> AsyncIterator[Git]:
    """The repository's mirror with ``branches`` and the PRs' heads fetched, lock held.

    A failed fetch becomes :class:`TransientFetchError` (retry) or :class:`MirrorUnavailable`
    (a retry will not help); errors inside the block propagate unchanged.
    """
    entered = False
    try:
        async with cache.open(
            repo.full_name,
            repo.clone_url,
            branches=list(branches),
            pulls=list(pulls),
            auth_header=auth_header,
        ) as git:
            entered = True
            yield git
    except GitError as exc:
        if entered or isinstance(exc, InvalidRef):
            raise
        if is_transient_fetch_failure(str(exc)):
            raise TransientFetchError(f"fetching {repo.full_name} failed: {exc}") from None
        raise MirrorUnavailable(f"cannot fetch {repo.full_name}: {exc}") from None


def mirror_cache(ctx: HasServices) -> MirrorCache:
    """One mirror cache per app process, kept in ``ctx.services``."""
    cache = ctx.services.mirrors
    if cache is None:
        cache = MirrorCache(
            ctx.settings.data_dir / "mirrors",
            max_bytes=ctx.settings.mirror_max_bytes,  # validated with the other settings
            protocols=git_protocols(ctx.settings.github_url),
        )
        ctx.services.mirrors = cache
    return cache


async def mirror_has_head(
    git: Any, cache: MirrorCache, repo: Repo, pull: Pull, *, auth_header: str
) -> bool:
    """True when the mirror's ``refs/pull/N/head`` is the head just read; fetch once if not."""
    for attempt in range(2):
        found = (await asyncio.to_thread(resolve_commits, git, [pull.ref])).get(pull.ref)
        if found == pull.head_sha:
            return True
        if attempt == 0:
            await asyncio.to_thread(
                cache.sync,
                repo.full_name,
                repo.clone_url,
                pulls=[pull.number],
                auth_header=auth_header,
            )
    return False
