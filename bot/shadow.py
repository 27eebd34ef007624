"""Shadow mode: every engine runs and every GitHub read happens, but no write is sent.

Why it is shaped like this: a write can only leave Pitcrew through the GitHub client's request
method or the git push of the rebase engine, so those two places ask :func:`intercept_write`
whether to send it. The answer depends on the job being processed (its repository's
``mode: shadow`` in ``.github/pitcrew.yml``, or ``PITCREW_MODE=shadow`` for the whole service),
which travels in a context variable the worker sets, like the job's log fields. Outside a job
(CLI, token minting, the reconciler) nothing is intercepted. The mode is resolved at the job's
first write and read from the repository config loader, whose cache a config push invalidates:
switching a repository between shadow and live needs no restart.

Each suppressed write is recorded with the job (``pitcrew jobs --writes``) and counted per
feature (``pitcrew_shadow_writes_total``). This module imports nothing of the service, so the
engines' push path can consult it cheaply.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

WRITES_NS = "shadow_writes"
SUMMARY_CHARS = 120


@dataclass(frozen=True)
class SuppressedWrite:
    job_id: str
    delivery_id: str
    repo: str
    method: str
    path: str
    summary: str
    at: float
    feature: str = ""

    def to_public(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ShadowScope:
    """One job's view: how to decide its mode, and where its suppressed writes go."""

    job_id: str
    delivery_id: str
    repo: str
    resolve: Callable[[], Awaitable[bool]]  # True = shadow; called once, at the first write
    record: Callable[[SuppressedWrite], Awaitable[None]]
    count: Callable[[str], None] = lambda feature: None
    _shadow: bool | None = field(default=None, init=False)

    async def is_shadow(self) -> bool:
        if self._shadow is None:
            self._shadow = await self.resolve()
        return self._shadow


_scope: contextvars.ContextVar[ShadowScope | None] = contextvars.ContextVar(
    "pitcrew_shadow_scope", default=None
)
_feature: contextvars.ContextVar[str] = contextvars.ContextVar("pitcrew_feature", default="")


@contextlib.contextmanager
def shadow_scope(scope: ShadowScope) -> Iterator[ShadowScope]:
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)


@contextlib.contextmanager
def feature_scope(handler: str) -> Iterator[None]:
    """Name the feature whose handler runs (``bot.features.rebase.on_push`` → ``rebase``)."""
    module = handler.rsplit(".", 1)[0] if "." in handler else handler
    token = _feature.set(module.rsplit(".", 1)[-1])
    try:
        yield
    finally:
        _feature.reset(token)


def summarize(method: str, path: str, body: Any) -> str:
    """A short, human line for what the write would have done."""
    if isinstance(body, dict):
        for key in ("body", "title", "name", "content", "labels", "message", "state"):
            if key in body and body[key] not in (None, ""):
                value = body[key]
                text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
                text = " ".join(text.split())
                if len(text) > SUMMARY_CHARS:
                    text = text[: SUMMARY_CHARS - 1] + "…"
                return f"{key}: {text}"
        return "fields: " + ", ".join(sorted(body)) if body else "no body"
    if isinstance(body, list):
        return f"{len(body)} items"
    return "no body"


async def intercept_write(method: str, path: str, body: Any) -> SuppressedWrite | None:
    """Record and return the write when the current job is in shadow mode; None = send it."""
    scope = _scope.get()
    if scope is None or not await scope.is_shadow():
        return None
    from bot.redact import redact

    write = SuppressedWrite(
        job_id=scope.job_id,
        delivery_id=scope.delivery_id,
        repo=scope.repo,
        method=method,
        path=path,
        summary=redact(summarize(method, path, body)),
        at=time.time(),
        feature=_feature.get(),
    )
    await scope.record(write)
    scope.count(write.feature or "unknown")
    return write


def synthetic_response(method: str, body: Any) -> tuple[int, dict[str, str], bytes]:
    """What a handler sees instead of GitHub's answer: the request echoed with placeholder ids.

    Handlers that read ``id``, ``number`` or ``html_url`` of what they created keep working;
    nothing they do next reaches GitHub either.
    """
    if method == "DELETE":
        return 204, {}, b""
    echoed = dict(body) if isinstance(body, dict) else {}
    echoed.update(id=0, number=0, node_id="", url="", html_url="", shadow=True)
    status = 201 if method == "POST" else 200
    return status, {"content-type": "application/json; charset=utf-8"}, json.dumps(echoed).encode()


def write_key(write: SuppressedWrite, seq: int) -> str:
    """Keys sort by time, so listing the store lists writes in order."""
    return f"{write.at:017.6f}:{write.job_id}:{seq:04d}"
