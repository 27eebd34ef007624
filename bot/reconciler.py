"""The redelivery reconciler: GitHub never retries a failed webhook delivery, so we ask it to.

Every ``interval`` seconds the leader lists ``GET /app/hook/deliveries`` back to its checkpoint
(newest first, cursor-paginated), groups the attempts by ``guid`` (one guid per event; each
redelivery is a new attempt with the same guid), and for each guid with no 2xx attempt that it
has not asked for before, calls ``POST /app/hook/deliveries/{id}/attempts`` once. A redelivery
that reaches a replica that had in fact queued the event is harmless: the delivery id is the
guid, and intake dedupes it.

The decision is the pure ``deliveries_to_redeliver``; ``Reconciler`` does the I/O. Its
checkpoint and the guids it asked for are leader state written with the fencing token, so a
replica that lost leadership cannot move the checkpoint or redeliver anything.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.appkeys import CTX, LEASE, RECONCILER, SETTINGS
from bot.leader import (
    LeaderLease,
    LeadershipLost,
    backoff_s,
    cancel_and_wait,
    default_holder,
    run_as_leader,
)
from bot.timeparse import timestamp_seconds

log = logging.getLogger(__name__)

LEASE_NAME = "reconciler"
REDELIVERY_WINDOW_S = 3 * 86400  # GitHub redelivers deliveries of the past 3 days only
OVERLAP_S = 600  # re-read this much before the checkpoint: late-listed attempts are not missed
REMEMBER_S = 4 * 86400  # forget guids we asked for once GitHub can no longer redeliver them


def _ts(value: Any) -> float:
    try:
        return timestamp_seconds(str(value))
    except (TypeError, ValueError):
        return 0.0


def _succeeded(delivery: Mapping[str, Any]) -> bool:
    code = delivery.get("status_code")
    return isinstance(code, int) and 200 <= code < 300


def deliveries_to_redeliver(
    deliveries: Iterable[Mapping[str, Any]],
    already_requested: Collection[str] = (),
    *,
    now: float | None = None,
    window_s: float = REDELIVERY_WINDOW_S,
) -> list[int]:
    """Delivery ids to redeliver: one per guid with no successful attempt, not requested by us
    before, still inside GitHub's redelivery window. The newest attempt of each guid is the one
    redelivered; the result is oldest first, so events are replayed in their original order."""
    now = time.time() if now is None else now
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for delivery in deliveries:
        guid = delivery.get("guid")
        if isinstance(guid, str) and guid and isinstance(delivery.get("id"), int):
            groups.setdefault(guid, []).append(delivery)
    chosen: list[tuple[float, int]] = []
    for guid, attempts in groups.items():
        if guid in already_requested or any(_succeeded(a) for a in attempts):
            continue
        newest = max(attempts, key=lambda a: (_ts(a.get("delivered_at")), a["id"]))
        first = min(_ts(a.get("delivered_at")) for a in attempts)
        if now - _ts(newest.get("delivered_at")) > window_s:
            continue
        chosen.append((first, newest["id"]))
    return [delivery_id for _, delivery_id in sorted(chosen)]


@dataclass
class ReconcileResult:
    scanned: int = 0
    redelivered: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    checkpoint: float = 0.0


class Reconciler:
    """Leader-run periodic job; works the same in embedded (SQLite lease) and Redis mode."""

    def __init__(
        self,
        hub: Any,
        lease: LeaderLease,
        *,
        interval: float = 300.0,
        initial_lookback_s: float = 86400.0,
        max_pages: int = 50,
        ttl: float = 60.0,
        holder: str | None = None,
    ) -> None:
        self.hub = hub  # bot.github.GitHubApp
        self.lease = lease
        self.interval = interval
        self.initial_lookback_s = initial_lookback_s
        self.max_pages = max_pages
        self.ttl = ttl
        self.holder = holder or default_holder()
        self._task: asyncio.Task[None] | None = None

    async def _state(self) -> tuple[float | None, dict[str, float]]:
        checkpoint = await self.lease.get_state(LEASE_NAME, "checkpoint")
        requested = await self.lease.get_state(LEASE_NAME, "requested")
        return (
            float(checkpoint) if checkpoint else None,
            json.loads(requested) if requested else {},
        )

    async def _put(self, token: int, field_name: str, value: str) -> None:
        if not await self.lease.put_state(LEASE_NAME, field_name, value, token):
            raise LeadershipLost(f"{LEASE_NAME}: token {token} is stale; not writing {field_name}")

    async def fetch(self, since: float) -> list[dict[str, Any]]:
        """Attempts delivered at or after ``since`` (GitHub lists newest first)."""
        gh = self.hub.app_client()
        found: list[dict[str, Any]] = []
        async for delivery in gh.getiter("/app/hook/deliveries?per_page=100", jwt=self.hub.jwt()):
            if _ts(delivery.get("delivered_at")) < since:
                break
            found.append(delivery)
            if len(found) >= self.max_pages * 100:
                log.warning("reconciler backlog over max_pages; older deliveries not examined")
                break
        return found

    async def redeliver(self, delivery_id: int) -> None:
        gh = self.hub.app_client()
        await gh.post(
            "/app/hook/deliveries/{delivery_id}/attempts",
            url_vars={"delivery_id": str(delivery_id)},
            data=b"",
            jwt=self.hub.jwt(),
        )

    async def run_once(self, token: int, *, now: float | None = None) -> ReconcileResult:
        now = time.time() if now is None else now
        checkpoint, requested = await self._state()
        since = (now - self.initial_lookback_s) if checkpoint is None else checkpoint - OVERLAP_S
        since = max(since, now - REDELIVERY_WINDOW_S)
        deliveries = await self.fetch(since)
        result = ReconcileResult(scanned=len(deliveries))
        by_id = {d["id"]: d for d in deliveries if isinstance(d.get("id"), int)}
        todo = deliveries_to_redeliver(deliveries, requested.keys(), now=now)
        if todo and not await self.lease.check(LEASE_NAME, token):
            raise LeadershipLost(f"{LEASE_NAME}: token {token} is stale; not redelivering")
        for delivery_id in todo:
            guid = str(by_id[delivery_id]["guid"])
            try:
                await self.redeliver(delivery_id)
                result.redelivered.append(delivery_id)
            except Exception as exc:  # once per guid, even when GitHub refuses (e.g. too old)
                result.errors.append(f"{delivery_id}: {type(exc).__name__}: {exc}")
                log.warning("redelivery failed", extra={"delivery": delivery_id, "guid": guid})
            requested[guid] = now
        requested = {g: at for g, at in requested.items() if now - at < REMEMBER_S}
        newest = max((_ts(d.get("delivered_at")) for d in deliveries), default=0.0)
        result.checkpoint = max(newest, checkpoint or 0.0) or since
        await self._put(token, "requested", json.dumps(requested))
        await self._put(token, "checkpoint", repr(result.checkpoint))
        if result.redelivered or result.errors:
            log.info(
                "reconciled webhook deliveries",
                extra={
                    "scanned": result.scanned,
                    "redelivered": len(result.redelivered),
                    "errors": len(result.errors),
                },
            )
        return result

    async def lead(self, token: int) -> None:
        """The work while leading: one pass every ``interval`` seconds; after a failed pass
        (GitHub unreachable) one warning line and a doubling wait, not a traceback per pass."""
        failures = 0
        while True:
            try:
                await self.run_once(token)
                failures = 0
            except LeadershipLost:
                raise
            except Exception as exc:
                failures += 1
                log.warning(
                    "reconciler pass failed; backing off",
                    extra={
                        "error": f"{type(exc).__name__}: {exc}"[:300],
                        "wait_s": backoff_s(self.interval, failures),
                    },
                )
            await asyncio.sleep(backoff_s(self.interval, failures) if failures else self.interval)

    async def run(self) -> None:
        while True:
            try:
                await run_as_leader(
                    self.lease, LEASE_NAME, self.lead, holder=self.holder, ttl=self.ttl
                )
            except LeadershipLost:
                log.warning("reconciler lost leadership during a pass")

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="pitcrew-reconciler")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None


async def reconciler_ctx(app: web.Application) -> AsyncIterator[None]:
    """aiohttp ``cleanup_ctx`` (after the main lifecycle and ``bot.leader.lease_ctx``).

    Runs only with App credentials; ``PITCREW_RECONCILE_INTERVAL_S`` (default 300, 0 = off).
    """
    interval = app[SETTINGS].reconcile_interval_s
    github = app[CTX].github
    reconciler = None
    if github is not None and interval > 0 and app.get(LEASE) is not None:
        reconciler = Reconciler(github, app[LEASE], interval=interval)
        reconciler.start()
    app[RECONCILER] = reconciler
    try:
        yield
    finally:
        if reconciler is not None:
            await reconciler.stop()
