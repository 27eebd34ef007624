"""App-level GitHub calls for `pitcrew setup` and `pitcrew doctor`, beside `client` and `rest`.

Why a separate module: these calls run once from the command line (exchange a manifest code,
read the App, its installations, webhook config and deliveries), not from the service's
workers, and they need what the worker clients hide (the HTTP status of a failed call and the
``Date`` header for clock skew). They still go through ``GitHubApp``'s clients, so retries,
timeouts and the JWT come from the one place that holds them.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import aiohttp
from gidgethub import sansio

from bot.github.client import USER_AGENT, GitHubApp

MEDIA_TYPE = "application/vnd.github+json"


class AppCallError(Exception):
    """A GitHub call answered with an error status; ``status`` 0 means no answer at all."""

    def __init__(self, status: int, message: str, server_time: float | None = None) -> None:
        super().__init__(f"HTTP {status}: {message}" if status else message)
        self.status = status
        self.message = message
        self.server_time = server_time  # GitHub's clock, from the error's Date header


@dataclass(frozen=True)
class Answer:
    """One successful call: the parsed JSON and the server's clock (``Date``), when sent."""

    data: Any
    server_time: float | None


def _message(body: bytes) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        return body[:200].decode("utf-8", "replace")
    if isinstance(data, dict):
        return str(data.get("message") or data)
    return str(data)


def _server_time(headers: Any) -> float | None:
    value = headers.get("date") or headers.get("Date")
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None


async def convert_manifest(
    session: aiohttp.ClientSession, api_url: str, code: str
) -> dict[str, Any]:
    """Exchange a manifest ``code`` for the new App's id, slug, webhook secret and key (PEM).

    The call takes no authentication: the one-time code is the credential.
    """
    url = f"{api_url.rstrip('/')}/app-manifests/{quote(code, safe='')}/conversions"
    headers = {"User-Agent": USER_AGENT, "Accept": MEDIA_TYPE}
    try:
        async with session.post(url, headers=headers, timeout=aiohttp.ClientTimeout(30)) as resp:
            body = await resp.read()
            if resp.status != 201:
                raise AppCallError(resp.status, _message(body))
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise AppCallError(0, f"could not reach {api_url}: {type(exc).__name__}") from None
    data = json.loads(body)
    if not isinstance(data, dict):
        raise AppCallError(resp.status, "the conversion answered something other than an object")
    return data


class AppProbe:
    """Reads what `pitcrew doctor` checks, as the App (JWT) or as one installation."""

    def __init__(self, hub: GitHubApp) -> None:
        self.hub = hub

    async def _get(self, path: str, *, installation_id: int | None = None) -> Answer:
        if installation_id is None:
            client = self.hub.app_client()
            headers = sansio.create_headers(USER_AGENT, accept=MEDIA_TYPE, jwt=self.hub.jwt())
        else:
            client = self.hub.for_installation(installation_id)
            headers = sansio.create_headers(USER_AGENT, accept=MEDIA_TYPE)
        url = f"{self.hub.base_url.rstrip('/')}{path}"
        status, resp_headers, body = await client._request("GET", url, headers)
        if status != 200:
            raise AppCallError(status, _message(body), _server_time(resp_headers))
        return Answer(json.loads(body) if body else None, _server_time(resp_headers))

    async def app(self) -> Answer:
        """``GET /app``: the App as GitHub sees it (permissions, events) and GitHub's clock."""
        return await self._get("/app")

    async def installations(self) -> list[dict[str, Any]]:
        answer = await self._get("/app/installations?per_page=100")
        return list(answer.data or [])

    async def repository_count(self, installation_id: int) -> int:
        answer = await self._get(
            "/installation/repositories?per_page=1", installation_id=installation_id
        )
        return int((answer.data or {}).get("total_count", 0))

    async def hook_config(self) -> dict[str, Any]:
        answer = await self._get("/app/hook/config")
        return dict(answer.data or {})

    async def recent_deliveries(self, limit: int = 100) -> list[dict[str, Any]]:
        answer = await self._get(f"/app/hook/deliveries?per_page={min(100, limit)}")
        return list(answer.data or [])


def clock_skew(server_time: float | None, local_time: float | None = None) -> float | None:
    """Seconds this machine's clock is ahead (+) or behind (-) GitHub's, None when unknown."""
    if server_time is None:
        return None
    return (time.time() if local_time is None else local_time) - server_time
