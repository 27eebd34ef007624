"""Cron schedules from repository config → jobs on the same queue. One leader at a time.

Each firing is enqueued with a delivery id derived from (repo, kind, fire time), so the queue's
dedupe makes a firing happen once even if two replicas both believed they led for a moment.
Repositories are discovered through the App's installations (ETag-cached GETs, so an hourly
refresh is nearly free).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from croniter import croniter

from bot.context import Context
from bot.kvstore import kv_of
from bot.leader import LeaderLease, cancel_and_wait
from bot.memory.backend import memory_of
from bot.queue import JobQueue
from bot.report.backend import store_of

log = logging.getLogger(__name__)

SCHEDULE_EVENT = "pitcrew_schedule"
SCHEDULED_KINDS = (("report", "report"), ("optimize", "optimize"))
CATCH_UP_S = 6 * 3600  # a firing missed while no replica ran is still honoured this long


@dataclass(frozen=True)
class KnownRepo:
    owner: str
    name: str
    installation_id: int

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


def due_firings(cron: str, now: float, catch_up_s: float = CATCH_UP_S) -> list[float]:
    """The most recent firing of ``cron`` at or before ``now``, if within the catch-up window."""
    if not cron or not croniter.is_valid(cron):
        return []
    previous = croniter(cron, datetime.fromtimestamp(now, UTC)).get_prev(float)
    return [previous] if now - previous <= catch_up_s else []


def schedule_payload(repo: KnownRepo, kind: str, fire_at: float) -> dict[str, Any]:
    return {
        "action": kind,
        "scheduled_for": datetime.fromtimestamp(fire_at, UTC).isoformat(),
        "repository": {
            "name": repo.name,
            "full_name": repo.full_name,
            "owner": {"login": repo.owner},
        },
        "installation": {"id": repo.installation_id},
    }


#: The org report fires from the org's `.github` repository (and is honoured only there).
ORG_KIND = ("report.org", "org_report")


def _kinds(repo: KnownRepo) -> tuple[tuple[str, str], ...]:
    return (*SCHEDULED_KINDS, ORG_KIND) if repo.name == ".github" else SCHEDULED_KINDS


def _section(config: Any, dotted: str) -> dict[str, Any]:
    value: Any = config
    for part in dotted.split("."):
        value = (value.get(part) if hasattr(value, "get") else None) or {}
    return value if isinstance(value, dict) else {}


class Scheduler:
    def __init__(
        self,
        ctx: Context,
        queue: JobQueue,
        lease: LeaderLease | None = None,
        *,
        interval: float = 60.0,
    ) -> None:
        self.ctx = ctx
        self.queue = queue
        self.lease = lease
        self.interval = interval
        self.holder = f"scheduler-{id(self)}-{time.time_ns()}"
        self._repos: list[KnownRepo] = []
        self._repos_at = 0.0
        self._task: asyncio.Task[None] | None = None
        self._pruned_at = 0.0

    async def discover(self) -> list[KnownRepo]:
        """Every repository of every installation (hourly; conditional requests)."""
        hub = self.ctx.github
        if hub is None:
            return []
        if self._repos and time.time() - self._repos_at < 3600:
            return self._repos
        app = hub.app_client()
        repos: list[KnownRepo] = []
        async for installation in app.getiter("/app/installations", jwt=hub.jwt()):
            gh = hub.for_installation(installation["id"])
            async for repo in gh.getiter("/installation/repositories", iterable_key="repositories"):
                repos.append(KnownRepo(repo["owner"]["login"], repo["name"], installation["id"]))
        self._repos, self._repos_at = repos, time.time()
        return repos

    async def tick(self, now: float | None = None, repos: Iterable[KnownRepo] | None = None) -> int:
        """Enqueue every due firing; returns how many were new."""
        now = time.time() if now is None else now
        new = 0
        for repo in repos if repos is not None else await self.discover():
            gh = self.ctx.github.for_installation(repo.installation_id) if self.ctx.github else None
            config = await self.ctx.config_loader.load(gh, repo.owner, repo.name)
            for section, kind in _kinds(repo):
                cron = str(_section(config, section).get("schedule") or "")
                for fire_at in due_firings(cron, now):
                    payload = schedule_payload(repo, kind, fire_at)
                    accepted = await self.queue.enqueue(
                        delivery_id=f"schedule:{repo.full_name}:{kind}:{int(fire_at)}",
                        event=SCHEDULE_EVENT,
                        action=kind,
                        key=f"{repo.full_name}:{kind}",
                        body=json.dumps(payload).encode(),
                    )
                    new += int(accepted)
        return new

    async def prune(self, now: float | None = None) -> dict[str, int]:
        """Bounded retention: run history, diagnoses, finished jobs and expired feature state."""
        from datetime import timedelta

        now = time.time() if now is None else now
        cutoff = datetime.fromtimestamp(now, UTC) - timedelta(days=self.ctx.settings.retention_days)
        counts = dict(await asyncio.to_thread(store_of(self.ctx).prune, cutoff))
        if hasattr(self.queue, "prune"):
            counts["jobs"] = await self.queue.prune(self.ctx.settings.retention_days * 86400)
        counts["kv"] = await asyncio.to_thread(kv_of(self.ctx).prune)
        counts["failures"] = await asyncio.to_thread(memory_of(self.ctx).prune, cutoff)
        self._pruned_at = now
        return counts

    async def run(self) -> None:
        while True:
            try:
                if await self._lead():
                    await self.tick()
                    if time.time() - self._pruned_at > 3600:
                        log.info("retention", extra={"pruned": await self.prune()})
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("scheduler tick failed")
            await asyncio.sleep(self.interval)

    async def _lead(self) -> bool:
        if self.lease is None:
            return True
        token = await self.lease.acquire("scheduler", self.holder, ttl=self.interval * 3)
        return token is not None

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="pitcrew-scheduler")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None
