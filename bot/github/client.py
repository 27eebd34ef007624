"""The GitHub client: tokens, retries, rate limits, ETags (`bot.github.rest` has the calls).

Why it is shaped like this:
* One ``gidgethub`` client per installation over one shared ``aiohttp.ClientSession``.
* Installation tokens are least-privilege: a job's token is minted for the one repository it
  acts on and the permissions its handlers declare (``repositories``/``permissions`` in
  ``POST /app/installations/{id}/access_tokens``). Tokens are cached until 5 minutes before
  ``expires_at`` (a TLRU cache keyed by installation and scope), and one lock per key keeps a
  burst of jobs from minting many tokens.
* GETs are conditional through gidgethub's ETag cache: a 304 costs no rate limit. The cache
  holds parsed answers, so it is bounded by their size (``ETAG_CACHE_BYTES`` of JSON for the
  whole process), not by a count: 2000 entries per installation of up to 1 MB each grew the
  service's memory for as long as new URLs came (issue 15's soak).
* Time is GitHub's: every answer's ``Date`` header updates the offset of our clock from
  GitHub's, and JWT ``iat``/``exp`` and token refresh use ``now()`` (our clock + that offset),
  so a local clock off by an hour neither mints a token per call nor gets its JWTs refused (a
  JWT refused before the offset was known is re-signed once with the offset just learned).
* Retries live in ``_request``: 5xx and timeouts back off exponentially with jitter; 403/429
  rate limits honour ``retry-after``, else the reset time, else 60 s. A wait longer than
  ``max_inline_wait`` is not slept in a worker: ``RetryLater`` hands the job back to the queue.
* Writes are paced and in-flight requests bounded per installation (GitHub's guidance on
  secondary rate limits).
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import random
import re
import time
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import cachetools
import jwt as pyjwt
from gidgethub import BadRequest
from gidgethub import aiohttp as gh_aiohttp

from bot.metrics import Metrics
from bot.timeparse import timestamp_seconds

log = logging.getLogger(__name__)

TOKEN_REFRESH_MARGIN_S = 300
ETAG_CACHE_BYTES = 2 * 2**20  # JSON bytes of cached GET answers, whole process (~4x in objects)
ETAG_CACHE_ENTRIES = 1000
USER_AGENT = "pitcrew"
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})


class GitHubError(Exception):
    """A GitHub call failed in a way the caller should report, not retry."""


class RetryLater(Exception):
    """GitHub asked us to wait longer than a worker should sleep; retry the job at ``at``."""

    def __init__(self, at: float, reason: str) -> None:
        super().__init__(f"{reason}; retry after {time.strftime('%H:%M:%S', time.gmtime(at))}Z")
        self.at = at


#: (repository name or None for the whole installation, sorted (permission, level) pairs or None
#: for everything the installation was granted)
TokenScope = tuple[str | None, tuple[tuple[str, str], ...] | None]
WHOLE_INSTALLATION: TokenScope = (None, None)


def token_scope(repository: str | None, permissions: Mapping[str, str] | None) -> TokenScope:
    return repository, (tuple(sorted(permissions.items())) if permissions is not None else None)


def answer_size(value: tuple[Any, Any, Any, Any]) -> int:
    """Bytes a cached answer (gidgethub's ``(etag, last_modified, data, next_url)``) stands
    for: its JSON length, plus a little for the key and the tuple."""
    return len(json.dumps(value[2], separators=(",", ":"), default=str)) + 256


class ETagCache(cachetools.LRUCache[Any, Any]):
    """gidgethub's ETag cache, bounded by the JSON size of what it holds and by entries.

    An answer larger than the whole budget is not kept (cachetools would raise); the URL's
    older entry goes too, so a stale ETag is never sent for it.
    """

    def __init__(self, max_bytes: int = ETAG_CACHE_BYTES, max_entries: int = ETAG_CACHE_ENTRIES):
        super().__init__(maxsize=max_bytes, getsizeof=answer_size)
        self.max_entries = max_entries

    def __setitem__(self, key: Any, value: Any) -> None:
        try:
            super().__setitem__(key, value)
        except ValueError:  # larger than the budget: do not cache it
            self.pop(key, None)
            return
        while len(self) > self.max_entries:
            self.popitem()


@dataclass
class InstallationLimits:
    """Shared by every client of one installation, whatever their token scope: GitHub's
    secondary limits count per installation."""

    in_flight: asyncio.Semaphore
    write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    last_write: float = 0.0
    #: the process's ETag cache, whatever the installation or token scope: a 304 is only ever
    #: answered to a token GitHub authorises for the URL, and only when the answer it would
    #: send has that ETag, so sharing it leaks nothing
    etag_cache: ETagCache = field(default_factory=ETagCache)


class TransientGitHubError(Exception):
    """5xx or network trouble that outlived the in-call retries: retry the job later."""


@dataclass
class RetryPolicy:
    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_inline_wait: float = 10.0
    default_rate_wait: float = 60.0
    request_timeout: float = 30.0
    write_interval: float = 1.0
    max_in_flight: int = 4

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter (AWS architecture blog's recommendation)."""
        return random.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))


_NUMERIC = re.compile(r"^(\d+|[0-9a-f]{40})$")
#: endpoints whose next segment is a free name (a file path, a user, a branch, two shas): as a
#: metric label it would add a series per name, for as long as the service runs
_NAMED_BY_CALLER = frozenset(
    {"compare", "contents", "collaborators", "branches", "labels", "users", "orgs", "readme"}
)


def endpoint_group(url: str) -> str:
    """A low-cardinality label for a URL: `/repos/o/r/issues/7/comments` → `issues/comments`."""
    path = url.split("://", 1)[-1].split("?", 1)[0]
    parts = [p for p in path.split("/") if p]
    if parts and "." in parts[0]:
        parts = parts[1:]  # host
    if parts[:2] == ["api", "v3"]:
        parts = parts[2:]
    if parts and parts[0] == "repos":
        parts = parts[3:]
        prefix = ""
    else:
        prefix = "/"
    words = [p for p in parts if not _NUMERIC.match(p)]
    if words and words[0] in _NAMED_BY_CALLER:
        words = words[:1]  # `compare/<base>...<head>`: one metric series per pair otherwise
    return prefix + "/".join(words[:2]) if words else prefix + "root"


class InstallationAPI(gh_aiohttp.GitHubAPI):
    """A gidgethub client bound to one installation, with our retry and auth policy."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        hub: GitHubApp,
        installation_id: int | None,
        base_url: str,
        scope: TokenScope = WHOLE_INSTALLATION,
    ) -> None:
        limits = hub.limits(installation_id)
        super().__init__(session, USER_AGENT, cache=limits.etag_cache, base_url=base_url)
        self.hub = hub
        self.installation_id = installation_id
        self.scope = scope
        self._limits = limits
        self._in_flight = self._limits.in_flight

    async def token(self) -> str:
        """This client's installation token (for git over HTTPS): the same scope as its calls."""
        if self.installation_id is None:
            raise GitHubError("an App (JWT) client has no installation token")
        return await self.hub.installation_token(self.installation_id, self.scope)

    def for_repository(self, repository: str, permissions: Mapping[str, str]) -> InstallationAPI:
        """A client of the same installation scoped to another of its repositories (by name):
        only for targets the org's own config named (the report's tracking repository)."""
        if self.installation_id is None:
            return self
        return self.hub.for_installation(
            self.installation_id, repository=repository, permissions=permissions
        )

    def missing_permissions(self) -> dict[str, str]:
        """Permissions Pitcrew asks for that this installation has not accepted (yet)."""
        return self.hub.missing_permissions(self.installation_id)

    def org_reader(self, repository: str = ".github") -> InstallationAPI:
        """A read-only client for the org's ``.github`` repository (org-level config)."""
        return self.for_repository(repository, {"contents": "read"})

    def installation_reader(self) -> InstallationAPI:
        """A metadata-only client over every repository of the installation: a repository's
        token lists only that repository (``/installation/repositories``)."""
        if self.installation_id is None:
            return self
        return self.hub.for_installation(self.installation_id, permissions={"metadata": "read"})

    async def _authorization(self) -> str | None:
        if self.installation_id is None:
            return None
        return f"token {await self.token()}"

    async def _pace_write(self) -> None:
        interval = self.hub.policy.write_interval
        if interval <= 0:
            return
        limits = self._limits
        async with limits.write_lock:
            wait = limits.last_write + interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            limits.last_write = time.monotonic()

    async def _request(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes = b""
    ) -> tuple[int, Mapping[str, str], bytes]:
        policy = self.hub.policy
        headers = dict(headers)
        auth = await self._authorization()
        if auth and "authorization" not in headers:
            headers["authorization"] = auth
        if method in WRITE_METHODS and self.installation_id is not None:
            suppressed = await self._shadowed(method, url, body)
            if suppressed is not None:
                return suppressed
        if method in WRITE_METHODS:
            await self._pace_write()
        group = endpoint_group(url)
        for attempt in range(policy.attempts):
            try:
                async with self._in_flight, asyncio.timeout(policy.request_timeout):
                    status, resp_headers, data = await super()._request(method, url, headers, body)
            except (aiohttp.ClientError, TimeoutError) as exc:
                self.hub.metrics.github_calls.labels(group, "error").inc()
                if attempt + 1 >= policy.attempts:
                    raise TransientGitHubError(
                        f"{method} {group}: {type(exc).__name__} after {attempt + 1} tries"
                    ) from None
                await asyncio.sleep(policy.backoff(attempt))
                continue
            self.hub.metrics.github_calls.labels(group, str(status)).inc()
            self.hub.note_server_time(resp_headers.get("date"))
            self._note_rate_limit(resp_headers)
            wait = self._rate_limit_wait(status, resp_headers, data)
            if wait is not None:
                if wait > policy.max_inline_wait or attempt + 1 >= policy.attempts:
                    raise RetryLater(time.time() + wait, f"GitHub rate limit on {group}")
                log.warning("rate limited", extra={"endpoint": group, "wait_s": round(wait, 1)})
                await asyncio.sleep(wait)
                continue
            if status >= 500:
                if attempt + 1 >= policy.attempts:
                    raise TransientGitHubError(f"{method} {group}: HTTP {status}")
                await asyncio.sleep(policy.backoff(attempt))
                continue
            return status, resp_headers, data
        raise TransientGitHubError(f"{method} {group}: gave up")  # pragma: no cover

    async def _shadowed(
        self, method: str, url: str, body: bytes
    ) -> tuple[int, Mapping[str, str], bytes] | None:
        """Shadow mode (bot/shadow.py): record the write instead of sending it."""
        from bot import shadow

        try:
            parsed = json.loads(body) if body else None
        except ValueError:
            parsed = None
        path = urlsplit(url).path
        prefix = urlsplit(self.base_url).path.rstrip("/")  # GHES: /api/v3
        if prefix and path.startswith(prefix):
            path = path[len(prefix) :]
        if await shadow.intercept_write(method, path, parsed) is None:
            return None
        return shadow.synthetic_response(method, parsed)

    def _note_rate_limit(self, headers: Mapping[str, str]) -> None:
        remaining = headers.get("x-ratelimit-remaining")
        if remaining is not None and self.installation_id is not None:
            try:
                self.hub.metrics.rate_limit_remaining.labels(str(self.installation_id)).set(
                    int(remaining)
                )
            except ValueError:
                pass

    def _rate_limit_wait(
        self, status: int, headers: Mapping[str, str], data: bytes
    ) -> float | None:
        """Seconds to wait before retrying, or None when this is not a rate limit."""
        if status not in (403, 429):
            return None
        retry_after = headers.get("retry-after")
        if retry_after:
            try:
                return max(0.0, float(retry_after))
            except ValueError:
                pass
        if headers.get("x-ratelimit-remaining") == "0":
            try:
                return max(0.0, float(headers.get("x-ratelimit-reset", "0")) - time.time()) + 1
            except ValueError:
                return self.hub.policy.default_rate_wait
        if status == 429 or b"rate limit" in data.lower():
            return self.hub.policy.default_rate_wait
        return None  # a plain permission 403


@dataclass
class GitHubApp:
    """App-level access: JWT, installation tokens, per-installation clients."""

    session: aiohttp.ClientSession
    base_url: str
    app_id: str
    private_key: str = field(repr=False)
    metrics: Metrics = field(default_factory=Metrics)
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    token_requests: int = 0
    static_token: str = field(default="", repr=False)  # a PAT/GITHUB_TOKEN for CLI use
    clock: Any = time.time  # injectable so tests can move time past a token's refresh point
    clock_offset: float = 0.0  # GitHub's clock minus ours, from the last answer's Date header

    def __post_init__(self) -> None:
        self._tokens: cachetools.TLRUCache[tuple[int, TokenScope], tuple[str, float]] = (
            cachetools.TLRUCache(maxsize=10_000, ttu=self._token_ttu, timer=self.now)
        )
        # a lock lives while a mint holds or awaits it: nothing to prune by hand
        self._token_locks: weakref.WeakValueDictionary[tuple[int, TokenScope], asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )
        self._etag_cache = ETagCache()
        self._clients: cachetools.LRUCache[tuple[int, TokenScope], InstallationAPI] = (
            cachetools.LRUCache(maxsize=4096)
        )
        self._limits: dict[int | None, InstallationLimits] = {}
        self._bot_login: str | None = None
        self._bot_login_lock = asyncio.Lock()
        #: what an installation granted, learned after a 422 at mint; forgotten after an hour
        #: so a permission accepted meanwhile is asked for again
        self._granted: cachetools.TTLCache[int, dict[str, str]] = cachetools.TTLCache(
            maxsize=10_000, ttl=3600, timer=self.now
        )
        self._missing: dict[int, dict[str, str]] = {}

    async def bot_login(self) -> str | None:
        """The App's own account, ``<slug>[bot]`` from ``GET /app`` (asked once, then cached):
        what marks a comment or issue as Pitcrew's. None with a static token (CLI use)."""
        if self.static_token:
            return None
        async with self._bot_login_lock:
            if self._bot_login is None:
                app = await self.app_client().getitem("/app", jwt=self.jwt())
                self._bot_login = f"{app['slug']}[bot]"
        return self._bot_login

    def limits(self, installation_id: int | None) -> InstallationLimits:
        limits = self._limits.get(installation_id)
        if limits is None or installation_id is None:
            limits = InstallationLimits(
                asyncio.Semaphore(self.policy.max_in_flight), etag_cache=self._etag_cache
            )
            if installation_id is not None:
                self._limits[installation_id] = limits
        return limits

    @staticmethod
    def _token_ttu(_key: tuple[int, TokenScope], value: tuple[str, float], now: float) -> float:
        return value[1] - TOKEN_REFRESH_MARGIN_S

    def now(self) -> float:
        """GitHub's time as best known: our clock corrected by the offset its answers show."""
        return float(self.clock()) + self.clock_offset

    def note_server_time(self, date_header: str | None) -> None:
        """Learn GitHub's clock from an answer's ``Date`` (1 s resolution: smaller offsets are
        noise and ignored)."""
        if not date_header:
            return
        try:
            server = email.utils.parsedate_to_datetime(date_header).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return
        offset = server - float(self.clock())
        if abs(offset - self.clock_offset) > 2.0:
            if abs(offset) > 30:
                log.warning("local clock differs from GitHub's", extra={"offset_s": round(offset)})
            self.clock_offset = offset

    def jwt(self) -> str:
        """The App's JWT, dated by GitHub's clock (``iat`` 60 s back against drift, 9 min)."""
        if not (self.app_id and self.private_key):
            raise GitHubError("PITCREW_APP_ID and PITCREW_PRIVATE_KEY are needed to call GitHub")
        now = int(self.now())
        claims = {"iat": now - 60, "exp": now + 540, "iss": self.app_id}
        return str(pyjwt.encode(claims, self.private_key, algorithm="RS256"))

    def app_client(self) -> InstallationAPI:
        """A client authenticated as the App itself (JWT): /app/* endpoints."""
        return InstallationAPI(self.session, hub=self, installation_id=None, base_url=self.base_url)

    async def installation_token(
        self, installation_id: int, scope: TokenScope = WHOLE_INSTALLATION
    ) -> str:
        if self.static_token:
            return self.static_token
        key = (installation_id, scope)
        cached = self._tokens.get(key)
        if cached:
            return cached[0]
        lock = self._token_locks.setdefault(key, asyncio.Lock())
        async with lock:
            cached = self._tokens.get(key)
            if cached:
                return cached[0]
            token, expires_at = await self._mint_token(installation_id, scope)
            self._tokens[key] = (token, expires_at)
            return token

    async def _mint_token(self, installation_id: int, scope: TokenScope) -> tuple[str, float]:
        self.token_requests += 1
        repository, permissions = scope
        request: dict[str, Any] = {}
        if repository is not None:
            request["repositories"] = [repository]
        if permissions is not None:
            request["permissions"] = self._grantable(installation_id, dict(permissions))
        gh = self.app_client()
        resigned = narrowed = False
        while True:
            offset = self.clock_offset
            try:
                data = await gh.post(
                    "/app/installations/{installation_id}/access_tokens",
                    url_vars={"installation_id": str(installation_id)},
                    data=request,
                    jwt=self.jwt(),
                )
                break
            except BadRequest as exc:
                # refused for its dates before GitHub's clock was known: sign again, once
                if exc.status_code == 401 and not resigned and self.clock_offset != offset:
                    resigned = True
                    continue
                # permissions the installation has not accepted (yet): ask for what it granted
                refused = exc.status_code == 422 and "permission" in str(exc).lower()
                if refused and permissions is not None and not narrowed:
                    narrowed = True
                    await self._learn_granted(installation_id)
                    grantable = self._grantable(installation_id, dict(permissions))
                    if grantable != request["permissions"]:
                        request["permissions"] = grantable
                        continue
                raise
        return data["token"], timestamp_seconds(data["expires_at"])

    async def _learn_granted(self, installation_id: int) -> None:
        """What the installation's owner accepted (``GET /app/installations``): after a new
        Pitcrew version asks for a new permission, the owner must review it before GitHub
        grants it, and until then every token asking for it is refused with 422."""
        app = self.app_client()
        async for inst in app.getiter("/app/installations", jwt=self.jwt()):
            if inst.get("id") == installation_id:
                self._granted[installation_id] = dict(inst.get("permissions") or {})
                self._missing.pop(installation_id, None)
                return

    def _grantable(self, installation_id: int, wanted: dict[str, str]) -> dict[str, str]:
        """``wanted`` cut down to what the installation granted, when that is known (for an
        hour after a 422); each cut is logged once and counted, and the features that need
        the missing permission skip with that reason (`missing_permissions`)."""
        granted = self._granted.get(installation_id)
        if granted is None:
            return wanted
        levels = {"read": 1, "write": 2, "admin": 3}
        allowed: dict[str, str] = {}
        missing: dict[str, str] = {}
        for name, level in wanted.items():
            have = granted.get(name, "")
            if levels.get(have, 0) >= levels.get(level, 9):
                allowed[name] = level
            else:
                missing[name] = level
                if have:
                    allowed[name] = have
        if missing:
            for name in missing:
                self.metrics.token_permissions_missing.labels(name).inc()
            known = self._missing.setdefault(installation_id, {})
            new = {name: level for name, level in missing.items() if known.get(name) != level}
            known.update(missing)
            if new:
                log.warning(
                    "installation has not accepted permissions Pitcrew asks for; the features"
                    " that need them are skipped until an owner accepts them in the App's"
                    " installation settings",
                    extra={
                        "installation_id": installation_id,
                        "missing": ",".join(f"{n}:{lv}" for n, lv in sorted(new.items())),
                    },
                )
        return allowed or {"metadata": "read"}

    def missing_permissions(self, installation_id: int | None) -> dict[str, str]:
        """Permissions Pitcrew asked for that this installation has not accepted (learned
        from a 422 at token mint; empty when none are known to be missing)."""
        if installation_id is None or self._granted.get(installation_id) is None:
            return {}
        return dict(self._missing.get(installation_id) or {})

    def for_installation(
        self,
        installation_id: int,
        *,
        repository: str | None = None,
        permissions: Mapping[str, str] | None = None,
    ) -> InstallationAPI:
        """A client of the installation; with ``repository`` (its name, without the owner)
        and ``permissions``, its token can do only that (least privilege for one job)."""
        scope = token_scope(repository, permissions)
        key = (installation_id, scope)
        client = self._clients.get(key)
        if client is None:
            client = InstallationAPI(
                self.session,
                hub=self,
                installation_id=installation_id,
                base_url=self.base_url,
                scope=scope,
            )
            self._clients[key] = client
        return client

    def known_tokens(self) -> list[str]:
        """Live tokens, so callers can mask them in anything they print."""
        tokens = [value[0] for value in self._tokens.values()]
        return [*tokens, self.static_token] if self.static_token else tokens

    async def installation_for_repo(self, owner: str, repo: str) -> int:
        if self.static_token:
            return 0
        data = await self.app_client().getitem(
            "/repos/{owner}/{repo}/installation",
            url_vars={"owner": owner, "repo": repo},
            jwt=self.jwt(),
        )
        return int(data["id"])
