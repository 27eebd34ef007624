"""Reading action repositories for the optimizer's online mode (``bot.optimize.lookup``).

:class:`ActionSourceAPI` is the :class:`bot.optimize.lookup.ActionSource` over the REST API
(repository, tags, commits, contents — all operations of the OpenAPI subset).
:func:`lookup_with_token` is the CLI's entry (``pitcrew optimize --github-token``): a client
with a personal token, used once.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Mapping
from typing import Any

import aiohttp
from gidgethub import BadRequest, GitHubBroken, RateLimitExceeded
from gidgethub.aiohttp import GitHubAPI

from bot.optimize.actions import ActionCatalog, ActionRef
from bot.optimize.lookup import ActionLookup, KeyValue, LookupFailed, LookupStats


class ActionSourceAPI:
    """404 answers mean "does not exist" (None); rate limits, server errors and network
    failures raise :class:`LookupFailed`, so that action is left unjudged."""

    MAX_TAGS = 300

    def __init__(self, gh: Any) -> None:
        self.gh = gh

    async def _get(self, url: str, url_vars: Mapping[str, str]) -> Any:
        try:
            return await self.gh.getitem(url, url_vars=dict(url_vars))
        except BadRequest as exc:
            if exc.status_code in (404, 422):
                return None
            raise LookupFailed(f"HTTP {exc.status_code}") from None
        except RateLimitExceeded:
            raise LookupFailed("rate limited") from None
        except GitHubBroken as exc:
            raise LookupFailed(f"GitHub error {exc.status_code}") from None
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise LookupFailed(f"network: {type(exc).__name__}") from None

    @staticmethod
    def _split(repo: str) -> dict[str, str]:
        owner, name = repo.split("/", 1)
        return {"owner": owner, "repo": name}

    async def repository(self, repo: str) -> dict[str, Any] | None:
        data = await self._get("/repos/{owner}/{repo}", self._split(repo))
        return data if isinstance(data, dict) else None

    async def tags(self, repo: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for page in range(1, self.MAX_TAGS // 100 + 1):
            data = await self._get(
                "/repos/{owner}/{repo}/tags?per_page=100&page=" + str(page), self._split(repo)
            )
            if not isinstance(data, list) or not data:
                break
            out += [
                (str(t["name"]), str(t["commit"]["sha"]))
                for t in data
                if isinstance(t, dict) and t.get("name") and (t.get("commit") or {}).get("sha")
            ]
            if len(data) < 100:
                break
        return out

    async def commit_of(self, repo: str, ref: str) -> str | None:
        data = await self._get(
            "/repos/{owner}/{repo}/commits/{ref}", {**self._split(repo), "ref": ref}
        )
        return str(data["sha"]) if isinstance(data, dict) and data.get("sha") else None

    async def file_at(self, repo: str, path: str, commit: str) -> str | None:
        data = await self._get(
            "/repos/{owner}/{repo}/contents/{path}?ref={ref}",
            {**self._split(repo), "path": path, "ref": commit},
        )
        if not isinstance(data, dict) or data.get("type") != "file":
            return None
        return base64.b64decode(data.get("content") or "").decode("utf-8", errors="replace")


async def lookup_catalog(
    gh: Any, refs: list[ActionRef], kv: KeyValue | None = None
) -> tuple[ActionCatalog, LookupStats]:
    """Facts about ``refs`` through an existing client (the service's installation client)."""
    lookup = ActionLookup(ActionSourceAPI(gh), kv)
    catalog = await lookup.catalog(refs)
    return catalog, lookup.stats


def lookup_with_token(
    refs: list[ActionRef], token: str, api_url: str
) -> tuple[ActionCatalog, LookupStats]:
    """The CLI's online lookup: one short-lived client with a personal token."""

    async def run() -> tuple[ActionCatalog, LookupStats]:
        timeout = aiohttp.ClientTimeout(total=120)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            gh = GitHubAPI(session, "pitcrew-optimize", oauth_token=token, base_url=api_url)
            return await lookup_catalog(gh, refs)

    return asyncio.run(run())
