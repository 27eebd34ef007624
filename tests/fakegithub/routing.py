"""The route table and what a route handler gets and returns.

Adding a route is one decorated function in a ``routes_*.py`` module::

    @route("GET", "/repos/{owner}/{repo}/labels")
    async def list_repo_labels(ctx: Ctx) -> Reply:
        return ctx.paginate(list(ctx.repo.repo_labels.values()))

The template is the OpenAPI template from openapi-subset.json (checked at import), so matching
(multi-segment ``{ref}``/``{path}`` included) is done by ``validate_call.match`` and a route can
only exist if the contract knows it. ``auth`` is ``"token"`` (installation token, the default
for /repos), ``"jwt"`` (App JWT: /app*, */installation) or ``"any"``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from aiohttp import web
from multidict import MultiDictProxy

if TYPE_CHECKING:
    from .server import FakeGitHub
    from .state import Installation, Repo

Handler = Callable[["Ctx"], Awaitable["Reply"]]


@dataclass
class Route:
    method: str
    template: str
    handler: Handler
    auth: str


ROUTES: dict[tuple[str, str], Route] = {}


def default_auth(template: str) -> str:
    if template.startswith("/app") or template.endswith("/installation"):
        return "jwt"
    if template == "/rate_limit":
        return "any"
    return "token"


def route(method: str, template: str, *, auth: str | None = None) -> Callable[[Handler], Handler]:
    """Register a handler for an OpenAPI operation (METHOD + template)."""

    def register(handler: Handler) -> Handler:
        key = (method.upper(), template)
        if key not in _known_operations():
            raise ValueError(f"{method} {template} is not an operation in openapi-subset.json")
        if key in ROUTES:
            raise ValueError(f"route registered twice: {method} {template}")
        ROUTES[key] = Route(method.upper(), template, handler, auth or default_auth(template))
        return handler

    return register


@cache
def _known_operations() -> frozenset[tuple[str, str]]:
    from .shared import validate_call

    return frozenset((m, t) for m, t, _ in validate_call().operations())


class HTTPError(Exception):
    """Raise from a handler to answer GitHub's error shape ``{message, documentation_url}``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def not_found(what: str = "Not Found") -> HTTPError:
    return HTTPError(404, what)


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # JSON value, or None for no body
    headers: dict[str, str] = field(default_factory=dict)
    text: str | None = None  # non-JSON body (rare)
    raw: bytes | None = None  # a raw media type answer (``application/vnd.github.raw``)


@dataclass
class Ctx:
    """Everything a handler needs: the fake, parsed request, auth and the resolved repo."""

    fake: FakeGitHub
    request: web.Request
    method: str
    template: str
    params: dict[str, str]
    query: MultiDictProxy[str]
    body: Any
    installation: Installation | None
    _repo: Repo | None = None

    @property
    def state(self):
        return self.fake.state

    @property
    def api(self) -> str:
        return self.fake.state.api

    @property
    def repo(self) -> Repo:
        """The repo named by {owner}/{repo}; 404 when unknown or not visible to the token."""
        if self._repo is None:
            full = f"{self.params['owner']}/{self.params['repo']}"
            repo = self.fake.state.repos.get(full.lower())
            if repo is None or not self.fake.state.can_access(self.installation, repo):
                raise not_found()
            self._repo = repo
        return self._repo

    def int_param(self, name: str) -> int:
        return int(self.params[name])

    def q(self, name: str, default: str | None = None) -> str | None:
        return self.query.get(name, default)

    def body_field(self, name: str, default: Any = None) -> Any:
        return (self.body or {}).get(name, default) if isinstance(self.body, dict) else default

    def page_window(self) -> tuple[int, int]:
        per_page = max(1, min(100, int(self.q("per_page") or 30)))
        page = max(1, int(self.q("page") or 1))
        return per_page, page

    def paginate(self, items: list[Any], *, key: str | None = None, status: int = 200) -> Reply:
        """One page of `items` with GitHub's Link header; `key` wraps it ({total_count, key})."""
        per_page, page = self.page_window()
        chunk = items[(page - 1) * per_page : page * per_page]
        last = max(1, -(-len(items) // per_page))
        body: Any = {"total_count": len(items), key: chunk} if key else chunk
        headers = {}
        link = self.link_header(page, last)
        if link:
            headers["Link"] = link
        return Reply(status, body, headers)

    def link_header(self, page: int, last: int) -> str:
        base = f"{self.fake.base_url}{self.request.path}"
        pairs = [(k, v) for k, v in self.query.items() if k != "page"]
        if not any(k == "per_page" for k, _ in pairs):
            pairs.append(("per_page", str(self.page_window()[0])))

        def url(n: int) -> str:
            return f"{base}?{urlencode([*pairs, ('page', str(n))])}"

        rels = []
        if page < last:
            rels += [f'<{url(page + 1)}>; rel="next"', f'<{url(last)}>; rel="last"']
        if page > 1:
            rels += [f'<{url(1)}>; rel="first"', f'<{url(page - 1)}>; rel="prev"']
        return ", ".join(rels)


# --------------------------------------------------------------------------- non-API routes
RawHandler = Callable[["FakeGitHub", web.Request], Awaitable[web.StreamResponse]]
RAW_ROUTES: list[tuple[str, str, RawHandler]] = []


def raw_route(method: str, path: str) -> Callable[[RawHandler], RawHandler]:
    """A plain aiohttp route outside the REST API (git smart HTTP, log blobs): not validated."""

    def register(handler: RawHandler) -> RawHandler:
        RAW_ROUTES.append((method, path, handler))
        return handler

    return register


def add_raw_routes(app: web.Application, fake: FakeGitHub) -> None:
    for method, path, handler in RAW_ROUTES:

        async def bound(request: web.Request, _h: RawHandler = handler) -> web.StreamResponse:
            return await _h(fake, request)

        app.router.add_route(method, path, bound)
