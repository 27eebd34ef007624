"""FakeGitHub: the server core (routing, validation, recording, auth, faults, ETags, limits).

Request pipeline for the REST API (everything outside /git/ and /_blobs/):
  parse body → validate with validate_call (problem → 422, unknown route → 404) → injected
  fault → auth (App JWT or installation token) → primary rate limit → handler → ETag/304 →
  rate-limit headers → record → optional self-check of the response with validate_response.
Route handlers live in routes_*.py; state in state.py.
"""

from __future__ import annotations

import asyncio
import base64
import fnmatch
import hashlib
import json
import logging
import random
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import jwt as pyjwt
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from . import routing, scopes
from .routing import ROUTES, Ctx, HTTPError, Reply
from .shared import validate_call
from .state import PLACEHOLDER_API, Installation, State

log = logging.getLogger(__name__)
DOCS = "https://docs.github.com/rest"


@dataclass
class Call:
    """One request the fake answered (or dropped): what the bot sent and what it got."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    headers: dict[str, str]  # minus Authorization
    status: int  # 0 = connection dropped
    template: str | None = None
    auth: str | None = None  # "jwt" | "token" | None
    installation_id: int | None = None
    fault: bool = False
    at: float = field(default_factory=time.time)  # when it arrived (soak: time to first write)


@dataclass
class GitRequest:
    """One smart-HTTP request to a bare repo; `token` is the password seen (installation token)."""

    method: str
    repo: str
    path: str
    service: str | None
    authorization: str | None
    username: str | None
    token: str | None
    installation_id: int | None
    status: int


@dataclass
class Fault:
    method: str
    pattern: str | re.Pattern[str]
    status: int | None
    times: int | None
    headers: dict[str, str]
    body: Any
    delay: float
    drop: bool
    hits: int = 0
    probability: float = 1.0  # < 1: a random share of matching calls (soak: 5 % of 5xx)

    def matches(self, method: str, path: str) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        if self.method not in ("*", method):
            return False
        if isinstance(self.pattern, re.Pattern):
            found = bool(self.pattern.search(path))
        else:
            found = fnmatch.fnmatchcase(path, self.pattern)
        return found and (self.probability >= 1.0 or _RANDOM.random() < self.probability)


_RANDOM = random.Random(20261204)  # seeded: a soak run's faults are reproducible


def generate_private_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()


def _import_route_modules() -> None:
    from . import (  # noqa: F401  (registering routes is the import's effect)
        githttp,
        routes_actions,
        routes_app,
        routes_checks,
        routes_git,
        routes_issues,
        routes_manifest,
        routes_memory,
        routes_optimize_extra,
        routes_pulls,
        routes_repos,
    )


class FakeGitHub:
    """A stateful fake of api.github.com for integration tests. See docs in __init__.py."""

    def __init__(
        self,
        *,
        private_key: str | None = None,
        app_id: int = 4242,
        app_slug: str = "pitcrew",
        check_responses: bool = False,
        rate_limit: int = 5000,
    ) -> None:
        _import_route_modules()
        self.private_key = private_key or generate_private_key()
        key = serialization.load_pem_private_key(self.private_key.encode(), password=None)
        self.public_key = key.public_key()
        self.state = State(app_id=app_id, app_slug=app_slug)
        self.calls: list[Call] = []
        self.problems: list[str] = []
        self.response_problems: list[str] = []
        self.git_requests: list[GitRequest] = []
        self.blob_requests: list[dict[str, Any]] = []
        self.faults: list[Fault] = []
        self.latency = 0.0  # seconds added to every API answer (soak: 100 ms)
        self.rate_limited_calls: Counter[int | str] = Counter()
        # requests being answered right now / at most at once, per installation (token calls)
        self.in_flight: Counter[int] = Counter()
        self.peak_in_flight: Counter[int] = Counter()
        self.rate_limit = rate_limit
        self.rate_reset_at = int(time.time()) + 3600
        self.check_responses = check_responses
        self.expect_problems = False  # tests that send bad calls on purpose set this
        self.hook_url: str | None = None
        self.manifest_posts: list[dict[str, Any]] = []  # forms posted to the "new App" page
        self.manifest_code_ttl = 3600.0  # seconds a manifest code converts (GitHub: one hour)
        self.hook_secret: str | None = None
        self._server: TestServer | None = None
        self._session: ClientSession | None = None
        self.base_url = PLACEHOLDER_API

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> str:
        """Serve on 127.0.0.1 (free port); returns the base URL, e.g. http://127.0.0.1:PORT."""
        app = web.Application(client_max_size=64 * 1024**2)
        routing.add_raw_routes(app, self)
        app.router.add_route("*", "/{tail:.*}", self._handle_api)
        self._server = TestServer(app, host="127.0.0.1")
        await self._server.start_server()
        self.base_url = str(self._server.make_url("")).rstrip("/")
        self.state.api = self.base_url
        return self.base_url

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._server is not None:
            await self._server.close()
            self._server = None
        self.state.cleanup()

    async def __aenter__(self) -> FakeGitHub:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def app_id(self) -> int:
        return self.state.app_id

    # ------------------------------------------------------------------ test helpers
    def app_jwt(self, *, iat: int | None = None, exp: int | None = None, key: str | None = None):
        """A JWT as the App would make it (for tests that call /app routes directly)."""
        now = int(time.time())
        payload = {
            "iat": iat if iat is not None else now - 60,
            "exp": exp if exp is not None else now + 540,
            "iss": str(self.app_id),
        }
        return pyjwt.encode(payload, key or self.private_key, algorithm="RS256")

    def issue_token(self, installation_id: int) -> str:
        """Mint an installation token without HTTP (for tests that act as the bot)."""
        return self.state.issue_token(installation_id).value

    def token_requests(self, installation_id: int) -> int:
        return self.state.installations[installation_id].token_requests

    def calls_to(self, method: str, pattern: str) -> list[Call]:
        """Recorded calls whose path matches a glob (query string excluded)."""
        return [
            c for c in self.calls if c.method == method and fnmatch.fnmatchcase(c.path, pattern)
        ]

    def pushes(self, repo: str | None = None) -> list[GitRequest]:
        """Smart-HTTP receive-pack POSTs (actual pushes), optionally for one repo."""
        return [
            g
            for g in self.git_requests
            if g.service == "git-receive-pack"
            and g.method == "POST"
            and (repo is None or g.repo.lower() == repo.lower())
        ]

    def inject(
        self,
        method: str,
        path_pattern: str | re.Pattern[str],
        *,
        status: int | None = None,
        times: int | None = 1,
        headers: dict[str, str] | None = None,
        body: Any = None,
        delay: float = 0.0,
        drop: bool = False,
        probability: float = 1.0,
    ) -> Fault:
        """Fault the next `times` matching calls (None = forever), or a random share of them.

        `path_pattern`: a glob on the path (``/repos/*/pulls/*``) or a regex (compiled, or a
        string starting with ``^``). `delay` sleeps first (then answers normally unless
        `status`/`drop`); `drop` closes the connection without an answer.
        """
        pattern = (
            re.compile(path_pattern)
            if isinstance(path_pattern, str) and path_pattern.startswith("^")
            else path_pattern
        )
        fault = Fault(
            method.upper(),
            pattern,
            status,
            times,
            dict(headers or {}),
            body,
            delay,
            drop,
            probability=probability,
        )
        self.faults.append(fault)
        return fault

    def inject_secondary_rate_limit(
        self,
        method: str,
        pattern: str,
        *,
        retry_after: int = 1,
        times: int | None = 1,
        probability: float = 1.0,
    ) -> Fault:
        return self.inject(
            method,
            pattern,
            status=403,
            times=times,
            probability=probability,
            headers={"retry-after": str(retry_after)},
            body={
                "message": "You have exceeded a secondary rate limit. Please wait a "
                "few minutes before you try again.",
                "documentation_url": DOCS,
            },
        )

    def inject_primary_rate_limit(
        self, method: str, pattern: str, *, reset_in: float = 1, times: int | None = 1
    ) -> Fault:
        reset = str(int(time.time() + reset_in))
        return self.inject(
            method,
            pattern,
            status=403,
            times=times,
            headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset},
            body={
                "message": "API rate limit exceeded for installation.",
                "documentation_url": DOCS,
            },
        )

    async def send_webhook(
        self,
        url: str,
        event: str,
        payload: dict[str, Any],
        *,
        secret: str,
        delivery_id: str | None = None,
    ) -> tuple[int, str]:
        """Sign and POST a delivery to `url`; also recorded for /app/hook/deliveries."""
        from .webhooks import send_webhook

        if self._session is None:
            self._session = ClientSession()
        self.hook_url, self.hook_secret = url, secret
        import uuid

        guid = delivery_id or str(uuid.uuid4())
        status, text = await send_webhook(
            url, event, payload, secret=secret, delivery_id=guid, session=self._session
        )
        self.state.add_delivery(
            event, payload, guid=guid, status_code=status, url=url, response_body=text
        )
        return status, text

    # ------------------------------------------------------------------ builders (see state.py)
    def add_installation(self, installation_id: int, account_login: str, **kw: Any) -> dict:
        return self._out(self.state.add_installation(installation_id, account_login, **kw))

    def add_repo(
        self,
        full_name: str,
        default_branch: str = "main",
        with_git: bool = True,
        private: bool = False,
        **kw: Any,
    ):
        """Returns the state.Repo (``.json`` is the API shape, ``.git`` the GitStore or None)."""
        return self.state.add_repo(
            full_name, default_branch=default_branch, with_git=with_git, private=private, **kw
        )

    def add_pull(
        self,
        repo: str,
        number: int | None = None,
        head_ref: str = "feature",
        base_ref: str | None = None,
        user_login: str = "contributor",
        **kw: Any,
    ) -> dict:
        return self._out(self.state.add_pull(repo, number, head_ref, base_ref, user_login, **kw))

    def add_issue(self, repo: str, number: int | None = None, **kw: Any) -> dict:
        return self._out(self.state.add_issue(repo, number, **kw))

    def set_permission(self, repo: str, login: str, perm: str) -> None:
        self.state.set_permission(repo, login, perm)

    def add_file(
        self, repo: str, path: str, content: str | bytes, ref: str | None = None, message: str = ""
    ) -> str:
        return self.state.add_file(repo, path, content, ref, message)

    def add_tag(self, repo: str, tag: str, ref: str | None = None) -> str:
        return self.state.add_tag(repo, tag, ref)

    def add_comment(self, repo: str, number: int, body: str, user_login: str = "contributor"):
        return self._out(self.state.add_comment(repo, number, body, user_login))

    def add_status(self, repo: str, sha: str, state: str, context: str = "ci/test", **kw: Any):
        return self._out(self.state.add_status(repo, sha, state, context, **kw))

    def add_workflow_run(self, repo: str, **fields: Any) -> dict:
        return self._out(self.state.add_workflow_run(repo, **fields))

    def add_job(
        self,
        run_id: int,
        name: str,
        conclusion: str | None = "success",
        steps: list[Any] | None = None,
        log: str = "",
        **kw: Any,
    ) -> dict:
        return self._out(self.state.add_job(run_id, name, conclusion, steps, log, **kw))

    def add_artifact(self, run_id: int, name: str, data: bytes, **fields: Any) -> dict:
        return self._out(self.state.add_artifact(run_id, name, data, **fields))

    def comments(self, repo: str, number: int) -> list[dict]:
        return self._out(self.state.comments(repo, number))

    def labels(self, repo: str, number: int) -> list[str]:
        return self.state.labels(repo, number)

    def reactions(self, comment_id: int) -> list[str]:
        return self.state.reaction_contents(comment_id)

    def check_runs(self, repo: str, sha: str | None = None) -> list[dict]:
        return self._out(self.state.check_runs_for(repo, sha))

    def pull(self, repo: str, number: int) -> dict:
        return self._out(self.state.pull_json(self.state.get_repo(repo), number))

    def _out(self, obj: Any) -> Any:
        """Objects built before start() carry a placeholder base URL: fix it on the way out."""
        if self.base_url == PLACEHOLDER_API:
            return obj
        return json.loads(json.dumps(obj).replace(PLACEHOLDER_API, self.base_url))

    # ------------------------------------------------------------------ the pipeline
    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        scheme, _, credential = request.headers.get("Authorization", "").partition(" ")
        inst = self.state.token_installation(credential) if scheme.lower() == "token" else None
        if inst is None:
            return await self._pipeline(request)
        self.in_flight[inst.id] += 1
        self.peak_in_flight[inst.id] = max(self.peak_in_flight[inst.id], self.in_flight[inst.id])
        try:
            return await self._pipeline(request)
        finally:
            self.in_flight[inst.id] -= 1

    async def _pipeline(self, request: web.Request) -> web.StreamResponse:
        method = request.method.upper()
        raw = await request.read()
        body, problems = None, []
        if raw.strip():
            try:
                body = json.loads(raw)
            except ValueError:
                problems.append(f"body: not JSON ({raw[:60]!r})")
        vc = validate_call()
        path_qs = request.raw_path
        template, params, _op = vc.match(method, path_qs)
        problems += vc.validate(method, path_qs, body)
        route = ROUTES.get((method, template)) if template else None
        call = Call(
            method, request.path, dict(request.query), body, _public_headers(request), 0, template
        )
        self.calls.append(call)
        if problems or route is None:
            status = 422 if template else 404
            if not problems:
                problems = [f"the fake has no handler for {method} {template or request.path}"]
            self.problems += [f"{method} {path_qs}: {p}" for p in problems]
            return self._finish(call, request, Reply(status, _error("; ".join(problems))))
        if self.latency:
            await asyncio.sleep(self.latency)
        fault = next((f for f in self.faults if f.matches(method, request.path)), None)
        if fault is not None:
            fault.hits += 1
            call.fault = True
            if fault.delay:
                await asyncio.sleep(fault.delay)
            if fault.drop:
                call.status = 0
                if request.transport is not None:
                    request.transport.abort()
                raise asyncio.CancelledError  # aiohttp drops the handler quietly
            if fault.status is not None:
                reply = Reply(
                    fault.status,
                    fault.body
                    if fault.body is not None
                    else _error(f"injected HTTP {fault.status}"),
                    dict(fault.headers),
                )
                return self._finish(call, request, reply, rate_headers=True)
        try:
            installation = self._authenticate(request, route.auth, call)
            if call.auth == "token":
                credential = request.headers["Authorization"].partition(" ")[2]
                token = self.state.tokens.get(credential)
                scopes.check_api(self.state, token, method, template or "", params)
            self._charge(call)
            ctx = Ctx(
                self, request, method, template or "", params, request.query, body, installation
            )
            reply = await route.handler(ctx)
        except HTTPError as exc:
            reply = Reply(exc.status, _error(exc.message), exc.headers)
        return self._finish(call, request, reply)

    def _authenticate(self, request: web.Request, mode: str, call: Call) -> Installation | None:
        header = request.headers.get("Authorization", "")
        scheme, _, credential = header.partition(" ")
        scheme = scheme.lower()
        if not header:
            if mode == "any":
                return None
            raise HTTPError(401, "Requires authentication")
        if scheme == "bearer" and credential.count(".") == 2:
            if mode == "token":
                raise HTTPError(
                    401,
                    "A JSON web token cannot be used on this endpoint; use an "
                    "installation access token",
                )
            self._verify_jwt(credential)
            call.auth = "jwt"
            return None
        if scheme not in ("token", "bearer"):
            raise HTTPError(401, "Bad credentials")
        if mode == "jwt":
            raise HTTPError(401, "A JSON web token could not be decoded")
        inst = self.state.token_installation(credential)
        if inst is None:
            raise HTTPError(401, "Bad credentials")
        call.auth, call.installation_id = "token", inst.id
        return inst

    def _verify_jwt(self, token: str) -> None:
        try:
            claims = pyjwt.decode(
                token,
                self.public_key,
                algorithms=["RS256"],
                options={"require": ["iat", "exp", "iss"]},
                leeway=0,
            )
        except pyjwt.ExpiredSignatureError:
            raise HTTPError(
                401,
                "'Expiration time' claim ('exp') must be a numeric value "
                "representing the future time at which the assertion expires",
            ) from None
        except pyjwt.PyJWTError as exc:
            raise HTTPError(401, f"A JSON web token could not be decoded ({exc})") from None
        if str(claims["iss"]) != str(self.app_id):
            raise HTTPError(401, "'Issuer' claim ('iss') must be an Integer")
        if claims["exp"] - claims["iat"] > 660 or claims["exp"] > time.time() + 660:
            raise HTTPError(401, "'Expiration time' claim ('exp') is too far in the future")
        if claims["iat"] > time.time() + 60:
            raise HTTPError(
                401,
                "'Issued at' claim ('iat') must be an Integer representing the "
                "time that the assertion was issued",
            )

    def _bucket(self, call: Call) -> int | str:
        return call.installation_id if call.installation_id is not None else (call.auth or "anon")

    def _charge(self, call: Call) -> None:
        """Primary rate limit: once a bucket's calls reach the limit, 403 until reset."""
        if self.rate_limited_calls[self._bucket(call)] >= self.rate_limit:
            raise HTTPError(
                403,
                f"API rate limit exceeded for installation ID {call.installation_id}.",
                {"x-ratelimit-remaining": "0"},
            )

    def _finish(
        self, call: Call, request: web.Request, reply: Reply, *, rate_headers: bool = True
    ) -> web.Response:
        headers = {
            "X-GitHub-Request-Id": f"FAKE:{len(self.calls)}",
            "X-GitHub-Media-Type": "github.v3; format=json",
        }
        payload: bytes | None = None
        if reply.body is not None:
            text = json.dumps(reply.body).replace(PLACEHOLDER_API, self.base_url)
            payload = text.encode()
            headers["Content-Type"] = "application/json; charset=utf-8"
        elif reply.text is not None:
            payload = reply.text.encode()
            headers["Content-Type"] = "text/plain; charset=utf-8"
        elif reply.raw is not None:
            payload = reply.raw
            headers["Content-Type"] = "application/vnd.github.raw"
            headers["X-GitHub-Media-Type"] = "github.v3; param=raw"
        status = reply.status
        if call.method == "GET" and status == 200 and payload is not None:
            etag = 'W/"' + hashlib.sha256(payload).hexdigest()[:40] + '"'
            headers["ETag"] = etag
            if _etag_matches(request.headers.get("If-None-Match"), etag):
                status, payload = 304, None
                headers.pop("Content-Type", None)
        if status != 304 and call.auth is not None:
            self.rate_limited_calls[self._bucket(call)] += 1
        used = self.rate_limited_calls[self._bucket(call)]
        headers.update(
            {
                "x-ratelimit-limit": str(self.rate_limit),
                "x-ratelimit-remaining": str(max(0, self.rate_limit - used)),
                "x-ratelimit-reset": str(self.rate_reset_at),
                "x-ratelimit-used": str(used),
                "x-ratelimit-resource": "core",
            }
        )
        headers.update(reply.headers)
        call.status = status
        if self.check_responses and status < 400 and not call.fault:
            checked = json.loads(payload) if payload and reply.body is not None else None
            found = validate_call().validate_response(
                call.method, request.raw_path, status, checked
            )
            self.response_problems += [f"{call.method} {request.raw_path}: {p}" for p in found]
        return web.Response(status=status, body=payload, headers=headers)


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    strip = lambda v: v.strip().removeprefix("W/")  # noqa: E731
    return header.strip() == "*" or any(strip(v) == strip(etag) for v in header.split(","))


def _error(message: str) -> dict[str, str]:
    return {"message": message, "documentation_url": DOCS}


def _public_headers(request: web.Request) -> dict[str, str]:
    return {k: v for k, v in request.headers.items() if k.lower() != "authorization"}


def basic_credentials(header: str | None) -> tuple[str | None, str | None]:
    """(username, password) from a Basic header, or (None, token) from token/Bearer."""
    if not header:
        return None, None
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "basic":
        try:
            user, _, password = base64.b64decode(value).decode().partition(":")
        except ValueError:
            return None, None
        return user, password
    if scheme.lower() in ("token", "bearer"):
        return None, value
    return None, None
