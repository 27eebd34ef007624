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
from bot.leader import LeaderLease, LeadershipLost, backoff_s, cancel_and_wait, run_as_leader
from bot.memory.backend import memory_of
from bot.queue import JobQueue
from bot.report.backend import store_of

log = logging.getLogger(__name__)

SCHEDULE_EVENT = "pitcrew_schedule"
LEASE_NAME = "scheduler"
SCHEDULED_KINDS = (("report", "report"), ("optimize", "optimize"))
#: the scheduler's own tokens: discovery lists repositories, ticks read one repository's config
DISCOVERY_PERMISSIONS = {"metadata": "read"}
CONFIG_PERMISSIONS = {"contents": "read"}
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
            # least privilege: listing repositories needs metadata only
            gh = hub.for_installation(installation["id"], permissions=DISCOVERY_PERMISSIONS)
            async for repo in gh.getiter("/installation/repositories", iterable_key="repositories"):
                repos.append(KnownRepo(repo["owner"]["login"], repo["name"], installation["id"]))
        self._repos, self._repos_at = repos, time.time()
        return repos

    def _config_reader(self, repo: KnownRepo) -> Any:
        """A client that can read this one repository's files and nothing else (its org's
        `.github` config is read with the loader's own read-only org client)."""
        if self.ctx.github is None:
            return None
        return self.ctx.github.for_installation(
            repo.installation_id, repository=repo.name, permissions=CONFIG_PERMISSIONS
        )

    async def tick(
        self,
        now: float | None = None,
        repos: Iterable[KnownRepo] | None = None,
        *,
        token: int | None = None,
    ) -> int:
        """Enqueue every due firing; returns how many were new.

        With ``token`` (the leader's fencing token) the lease is checked after the slow reads
        and before anything is enqueued: a replica that lost the lease meanwhile fires nothing.
        """
        now = time.time() if now is None else now
        due: list[tuple[KnownRepo, str, float]] = []
        for repo in repos if repos is not None else await self.discover():
            gh = self._config_reader(repo)
            config = await self.ctx.config_loader.load(gh, repo.owner, repo.name)
            for section, kind in _kinds(repo):
                cron = str(_section(config, section).get("schedule") or "")
                due += [(repo, kind, fire_at) for fire_at in due_firings(cron, now)]
        lease = self.lease
        if due and token is not None and lease and not await lease.check(LEASE_NAME, token):
            raise LeadershipLost(f"{LEASE_NAME}: token {token} is stale; firing nothing")
        new = 0
        for repo, kind, fire_at in due:
            accepted = await self.queue.enqueue(
                delivery_id=f"schedule:{repo.full_name}:{kind}:{int(fire_at)}",
                event=SCHEDULE_EVENT,
                action=kind,
                key=f"{repo.full_name}:{kind}",
                body=json.dumps(schedule_payload(repo, kind, fire_at)).encode(),
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

    async def lead(self, token: int | None) -> None:
        """The work while leading: a tick every ``interval``; after a failed tick (GitHub
        unreachable) one warning line and a doubling wait, not a traceback per tick."""
        failures = 0
        while True:
            try:
                await self.tick(token=token)
                if time.time() - self._pruned_at > 3600:
                    log.info("retention", extra={"pruned": await self.prune()})
                failures = 0
            except LeadershipLost:
                raise
            except Exception as exc:
                failures += 1
                log.warning(
                    "scheduler tick failed; backing off",
                    extra={
                        "error": f"{type(exc).__name__}: {exc}"[:300],
                        "wait_s": backoff_s(self.interval, failures),
                    },
                )
            await asyncio.sleep(backoff_s(self.interval, failures) if failures else self.interval)

    async def run(self) -> None:
        """Lead like the reconciler: the lease is renewed every ``interval`` while leading
        and the work is cancelled the moment a renewal fails; firings are fenced."""
        if self.lease is None:
            await self.lead(None)
            return
        while True:
            try:
                await run_as_leader(
                    self.lease, LEASE_NAME, self.lead, holder=self.holder, ttl=self.interval * 3
                )
            except LeadershipLost:
                log.warning("scheduler lost leadership during a tick")

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="pitcrew-scheduler")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None
