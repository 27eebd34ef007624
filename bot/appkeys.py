"""Typed keys of the aiohttp application (``app[QUEUE]``), instead of string keys.

Annotations only name the types (``TYPE_CHECKING``), so this module imports none of the
modules that use it and any of them may import it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from bot.context import Context
    from bot.feature import Wiring
    from bot.leader import LeaderLease
    from bot.metrics import Metrics
    from bot.queue import JobQueue
    from bot.reconciler import Reconciler
    from bot.scheduler import Scheduler
    from bot.settings import Settings
    from bot.worker import WorkerPool

SETTINGS: web.AppKey[Settings] = web.AppKey("settings")
METRICS: web.AppKey[Metrics] = web.AppKey("metrics")
WIRING: web.AppKey[Wiring] = web.AppKey("wiring")
QUEUE: web.AppKey[JobQueue] = web.AppKey("queue")
CTX: web.AppKey[Context] = web.AppKey("ctx")
WORKERS: web.AppKey[WorkerPool] = web.AppKey("workers")
LEASE: web.AppKey[LeaderLease] = web.AppKey("lease")
SCHEDULER: web.AppKey[Scheduler | None] = web.AppKey("scheduler")
RECONCILER: web.AppKey[Reconciler | None] = web.AppKey("reconciler")
