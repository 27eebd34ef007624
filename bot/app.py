"""The aiohttp application: routes, one ClientSession, the queue and the workers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web

from bot.appkeys import CTX, LEASE, METRICS, QUEUE, SCHEDULER, SETTINGS, WIRING, WORKERS
from bot.context import Context
from bot.feature import Wiring
from bot.features.registry import build_wiring
from bot.github import GitHubApp, RetryPolicy
from bot.leader import lease_ctx
from bot.metrics import Metrics
from bot.queue import JobQueue, open_queue
from bot.reconciler import reconciler_ctx
from bot.repo_config import ConfigLoader
from bot.scheduler import Scheduler
from bot.services import Services
from bot.settings import Settings
from bot.webhook import handle_webhook
from bot.worker import WorkerPool

log = logging.getLogger(__name__)


async def healthz(request: web.Request) -> web.Response:
    app = request.app
    pool: WorkerPool | None = app.get(WORKERS)
    try:
        depth = await app[QUEUE].depth()
        queue_ok = True
    except Exception:
        depth, queue_ok = -1, False
    body = {
        "status": "ok" if queue_ok and (pool is None or pool.running) else "degraded",
        "queue_depth": depth,
        "workers": {
            "running": bool(pool and pool.running),
            "busy": pool.busy if pool else 0,
            "total": pool.concurrency if pool else 0,
            "processed": pool.processed if pool else 0,
        },
    }
    return web.json_response(body, status=200 if body["status"] == "ok" else 503)


async def metrics_view(request: web.Request) -> web.Response:
    metrics: Metrics = request.app[METRICS]
    try:
        metrics.queue_depth.set(await request.app[QUEUE].depth())
    except Exception:
        pass
    return web.Response(body=metrics.render(), content_type="text/plain", charset="utf-8")


async def scheduler_ctx(app: web.Application) -> AsyncIterator[None]:
    """Cron schedules from repository config, run by whichever replica holds the lease."""
    scheduler = None
    interval = app[SETTINGS].scheduler_interval_s
    if app[CTX].github is not None and interval > 0:
        scheduler = Scheduler(app[CTX], app[QUEUE], app.get(LEASE), interval=interval)
        scheduler.start()
    app[SCHEDULER] = scheduler
    try:
        yield
    finally:
        if scheduler is not None:
            await scheduler.stop()


def make_app(
    settings: Settings,
    *,
    wiring: Wiring | None = None,
    queue: JobQueue | None = None,
    start_workers: bool = True,
    policy: RetryPolicy | None = None,
    services: Services | None = None,
) -> web.Application:
    """The service; ``wiring`` defaults to every feature in `bot.features.registry`."""
    # aiohttp's default 1 MiB limit would reject GitHub's larger payloads
    app = web.Application(client_max_size=settings.max_body_bytes)
    metrics = Metrics()
    wiring = wiring or build_wiring()
    app[SETTINGS] = settings
    app[METRICS] = metrics
    app[WIRING] = wiring
    app[QUEUE] = queue or open_queue(settings)
    app[CTX] = Context(
        settings=settings,
        metrics=metrics,
        config_loader=ConfigLoader(),
        commands=wiring.commands,
        services=services if services is not None else Services(),
    )

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        await app[QUEUE].open()
        session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None, sock_connect=10))
        ctx = app[CTX]
        if ctx.services.queue is None:
            ctx.services.queue = app[QUEUE]
        if settings.has_app_credentials:
            ctx.github = GitHubApp(
                session=session,
                base_url=settings.github_url,
                app_id=settings.app_id,
                private_key=settings.private_key,
                metrics=metrics,
                policy=policy or RetryPolicy(write_interval=settings.write_interval_s),
            )
        else:
            log.warning("no App credentials: events are accepted but nothing is written to GitHub")
        pool = WorkerPool(
            app[QUEUE],
            wiring.router,
            ctx,
            concurrency=settings.workers,
            permissions=wiring.permissions_for,  # each job's token: least privilege
        )
        app[WORKERS] = pool
        if start_workers:
            pool.start()
        try:
            yield
        finally:
            await pool.stop(grace=settings.shutdown_budget[1])  # intake is closed by now
            await session.close()
            await app[QUEUE].close()
            ctx.services.close()

    app.cleanup_ctx.append(lifecycle)
    app.cleanup_ctx.append(lease_ctx)  # app[LEASE]: one leader per schedule
    app.cleanup_ctx.append(reconciler_ctx)  # re-asks GitHub for failed deliveries
    app.cleanup_ctx.append(scheduler_ctx)
    app.router.add_post("/webhook", handle_webhook)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics_view)
    return app
