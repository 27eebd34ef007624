"""Async workers: claim a job, dispatch it, then complete, retry later or dead-letter it.

Bad days: a queue write that fails (Redis restarting, disk full) is retried until it lands, so a
finished job is never left "running"; a job that failed only because GitHub was down is retried
without using up its attempts (for ``PITCREW_OUTAGE_RETRY_S``), so an outage alone dead-letters
nothing; ``stop(grace)`` lets running jobs finish before it interrupts them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from gidgethub import routing, sansio

from bot.context import Context
from bot.dispatch import DispatchOutcome, dispatch, is_outage
from bot.kvstore import kv_of
from bot.leader import cancel_and_wait
from bot.logs import log_context
from bot.queue.base import JobQueue, QueuedJob
from bot.redact import redact
from bot.retry_schedule import delay_ceiling, retries
from bot.shadow import WRITES_NS, ShadowScope, SuppressedWrite, shadow_scope, write_key

log = logging.getLogger(__name__)

QUEUE_RETRY_MAX_S = 5.0  # ceiling of the back-off between attempts to reach a failing queue


def outage_only(outcome: DispatchOutcome) -> bool:
    """Every failure is GitHub being unreachable, 5xx or rate limiting: not the job's fault."""
    return bool(outcome.failed) and all(is_outage(exc) for exc in outcome.failed.values())


class WorkerPool:
    def __init__(
        self,
        queue: JobQueue,
        router: routing.Router,
        ctx: Context,
        *,
        concurrency: int = 4,
        poll_interval: float = 0.5,
        permissions: Callable[[sansio.Event], Mapping[str, str]] | None = None,
    ) -> None:
        self.queue = queue
        self.router = router
        self.permissions = permissions  # None: whole-installation tokens
        self.ctx = ctx
        self.concurrency = max(1, concurrency)
        self.poll_interval = poll_interval
        self.busy = 0
        self.processed = 0
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = False

    @property
    def running(self) -> bool:
        return bool(self._tasks) and not self._stopping

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._slots = asyncio.Semaphore(self.concurrency)
        self._tasks = [asyncio.create_task(self._feed(), name="pitcrew-feeder")]

    async def stop(self, grace: float = 0.0) -> None:
        """Stop claiming; give running jobs up to ``grace`` seconds, then interrupt them.

        An interrupted job stays claimed: SQLite re-queues it at the next start, Redis hands it
        back when the queue closes (or when its lease runs out).
        """
        self._stopping = True
        self._wake.set()
        feeder, running = self._tasks[:1], self._tasks[1:]
        for task in feeder:
            await cancel_and_wait(task)
        if running and grace > 0:
            _done, pending = await asyncio.wait(running, timeout=grace)
            if pending:
                log.warning(
                    "shutdown: interrupting jobs still running after the grace period",
                    extra={"jobs": len(pending), "grace_s": grace},
                )
        for task in list(self._tasks):
            await cancel_and_wait(task)
        self._tasks = []

    async def _persist(self, write: Callable[[], Awaitable[None]], what: str) -> None:
        """Retry a queue write until it lands: a job that ran must not stay "running"."""
        delay = self.poll_interval
        while True:
            try:
                await write()
                return
            except Exception as exc:
                if self._stopping:
                    raise
                log.warning(
                    "queue write failed; retrying",
                    extra={"write": what, "error": f"{type(exc).__name__}: {exc}"[:300]},
                )
            await asyncio.sleep(delay)
            delay = min(QUEUE_RETRY_MAX_S, delay * 2)

    async def _feed(self) -> None:
        """One feeder claims as many jobs as there are free workers, in one queue call."""
        claim_backoff = self.poll_interval
        while not self._stopping:
            await self._slots.acquire()
            free = 1
            while free < self.concurrency and not self._slots.locked():
                await self._slots.acquire()
                free += 1
            self._wake.clear()  # anything that sets it from here on is seen below
            try:
                jobs = await self.queue.claim_many(free)
                claim_backoff = self.poll_interval
            except Exception as exc:  # one line per back-off step, not a traceback per poll
                log.warning(
                    "claiming jobs failed; retrying",
                    extra={"error": f"{type(exc).__name__}: {exc}"[:300], "wait_s": claim_backoff},
                )
                jobs = []
                await asyncio.sleep(claim_backoff)
                claim_backoff = min(QUEUE_RETRY_MAX_S, claim_backoff * 2)
            for _ in range(free - len(jobs)):
                self._slots.release()
            for job in jobs:
                task = asyncio.create_task(self._run_and_release(job))
                self._tasks.append(task)
                task.add_done_callback(self._forget)
            if not jobs:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.poll_interval):
                        await self._wake.wait()

    def _forget(self, task: asyncio.Task[None]) -> None:
        with contextlib.suppress(ValueError):
            self._tasks.remove(task)

    async def _run_and_release(self, job: QueuedJob) -> None:
        self.busy += 1
        self.ctx.metrics.workers_busy.set(self.busy)
        released = False

        def release() -> None:
            nonlocal released
            if not released:
                released = True
                self.busy -= 1
                self.ctx.metrics.workers_busy.set(self.busy)
                self._slots.release()
                self._wake.set()  # a slot is free: the feeder may claim again

        try:
            await self.run_job(job, before_ack=release)
        except Exception:
            log.exception("job crashed the worker", extra={"delivery_id": job.delivery_id})
        finally:
            release()

    def _client_for(self, event: sansio.Event) -> Any:
        """The job's client: its token reaches only the event's repository, with only the
        permissions of the features that handle the event (least privilege)."""
        payload = event.data
        installation = (payload.get("installation") or {}).get("id")
        if self.ctx.github is None or not installation:
            return None
        repository = (payload.get("repository") or {}).get("name")
        if self.permissions is None or not repository:
            return self.ctx.github.for_installation(int(installation))
        return self.ctx.github.for_installation(
            int(installation), repository=repository, permissions=self.permissions(event)
        )

    def _config_reader(self, payload: dict[str, Any]) -> Any:
        """A read-only client for the event's repository: enough to read its config."""
        installation = (payload.get("installation") or {}).get("id")
        repository = (payload.get("repository") or {}).get("name")
        if self.ctx.github is None or not installation:
            return None
        if not repository:
            return self.ctx.github.for_installation(int(installation))
        return self.ctx.github.for_installation(
            int(installation), repository=repository, permissions={"contents": "read"}
        )

    def _retries(self, job: QueuedJob, outcome: DispatchOutcome) -> bool:
        """Attempts left, or a GitHub outage while the job is younger than the outage budget
        (`bot.retry_schedule`, which a command's "retrying until" reply also reads)."""
        now = time.time()
        return retries(
            self.ctx.settings,
            attempts=job.attempts,
            created_at=job.created_at or now,
            now=now,
            outage=outage_only(outcome),
        )

    def retry_delay(self, attempts: int) -> float:
        ceiling = delay_ceiling(self.ctx.settings, attempts)
        return float(ceiling / 2 + random.uniform(0, ceiling / 2))  # "equal jitter"

    async def run_job(self, job: QueuedJob, before_ack: Any = None) -> None:
        """Run one job with its identity attached to every log record made meanwhile."""
        try:
            payload = job.payload()
        except Exception:
            payload = {}
        started = time.perf_counter()
        repo = (payload.get("repository") or {}).get("full_name")
        with (
            log_context(
                job_id=job.id,
                delivery_id=job.delivery_id,
                event=job.event,
                repo=repo,
                installation_id=(payload.get("installation") or {}).get("id"),
            ),
            shadow_scope(self._shadow_scope(job, payload, repo or "")),
        ):
            await self._run_job(job, before_ack)
            log.info(
                "job finished",
                extra={"duration_ms": round((time.perf_counter() - started) * 1000, 1)},
            )

    def _shadow_scope(self, job: QueuedJob, payload: dict[str, Any], repo: str) -> ShadowScope:
        """Shadow when the service is, or when the repository's config says ``mode: shadow``."""
        ctx = self.ctx
        seq = iter(range(10_000))

        async def resolve() -> bool:
            if ctx.settings.mode == "shadow":
                return True
            if not repo or ctx.github is None:
                return False
            owner, _, name = repo.partition("/")
            reader = self._config_reader(payload)
            config = await ctx.config_loader.load(reader, owner, name)
            return bool(config.get("mode") == "shadow")

        async def record(write: SuppressedWrite) -> None:
            ttl = ctx.settings.retention_days * 86400.0
            key = write_key(write, next(seq, 9999))
            await asyncio.to_thread(kv_of(ctx).put, WRITES_NS, key, write.to_public(), ttl)

        def count(feature: str) -> None:
            ctx.metrics.shadow_writes.labels(feature).inc()

        return ShadowScope(str(job.id), job.delivery_id, repo, resolve, record, count)

    async def _run_job(self, job: QueuedJob, before_ack: Any = None) -> None:
        started = time.perf_counter()
        event_name = job.event
        try:
            payload = job.payload()
            event = sansio.Event(payload, event=job.event, delivery_id=job.delivery_id)
            ctx = self.ctx.for_delivery(
                job.delivery_id, attempt=job.attempts, job_created_at=job.created_at
            )

            async def checkpoint(_name: str) -> None:
                await self._persist(lambda: self.queue.checkpoint(job), "checkpoint")

            outcome = await dispatch(
                self.router,
                event,
                self._client_for(event),
                ctx=ctx,
                done=job.done_handlers,
                on_done=checkpoint,
            )
        except Exception as exc:  # malformed stored job: visible, not retried forever
            error = redact(f"{type(exc).__name__}: {exc}")
            await self._persist(lambda: self.queue.fail(job, error, retry_at=None), "dead")
            self.ctx.metrics.job_outcomes.labels(event_name, "dead").inc()
            log.exception("job could not be dispatched", extra={"delivery_id": job.delivery_id})
            return
        finally:
            self.ctx.metrics.job_duration.labels(event_name).observe(time.perf_counter() - started)
        self.processed += 1
        if not outcome.failed:
            # Free the slot first: the feeder's next claim then shares this completion's commit
            # (the queue applies writes in order, so the key is released before any claim).
            acknowledged = asyncio.ensure_future(
                self._persist(lambda: self.queue.complete(job), "complete")
            )
            if before_ack is not None:
                before_ack()
            await acknowledged
            self.ctx.metrics.job_outcomes.labels(event_name, "done").inc()
            return
        secrets = self.ctx.github.known_tokens() if self.ctx.github else []
        error = redact(outcome.summary(), secrets)
        if outcome.retryable and self._retries(job, outcome):
            retry_at = outcome.retry_at or time.time() + self.retry_delay(job.attempts)
            await self._persist(lambda: self.queue.fail(job, error, retry_at=retry_at), "retry")
            self.ctx.metrics.job_outcomes.labels(event_name, "retry").inc()
            log.info("job will be retried", extra={"delivery_id": job.delivery_id})
        else:
            await self._persist(lambda: self.queue.fail(job, error, retry_at=None), "dead")
            self.ctx.metrics.job_outcomes.labels(event_name, "dead").inc()
            log.error("job dead-lettered", extra={"delivery_id": job.delivery_id, "error": error})
