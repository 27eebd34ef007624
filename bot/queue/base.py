"""The job model and the queue contract every backend honours.

Contract: ``enqueue`` returns only after the job is durable (the webhook is acknowledged
after it); a delivery id is accepted once; ``claim`` never hands out a job whose key is held
by a running job; a job is done only when ``complete`` is called (at-least-once).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, Protocol

import orjson


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    DEAD = "dead"


@dataclass
class QueuedJob:
    id: int | str
    delivery_id: str
    event: str
    action: str | None
    key: str
    body: bytes = field(repr=False)
    status: str = JobStatus.QUEUED
    attempts: int = 0
    last_error: str | None = None
    next_run_at: float = 0.0
    created_at: float = 0.0
    updated_at: float = 0.0
    done_handlers: list[str] = field(default_factory=list)

    def payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = orjson.loads(self.body)
        return payload

    def to_public(self) -> dict[str, Any]:
        """The JSON shape of `pitcrew jobs` (a public interface: extend, never rename)."""
        data = asdict(self)
        data.pop("body")
        return data


class JobQueue(Protocol):
    async def open(self, *, recover: bool = True) -> None:
        """Ready the backend; ``recover`` re-queues jobs a dead process left running."""
        ...

    async def close(self) -> None: ...

    async def enqueue(
        self, *, delivery_id: str, event: str, action: str | None, key: str, body: bytes
    ) -> bool:
        """Durably add a job; False when ``delivery_id`` was accepted before."""
        ...

    async def claim(self) -> QueuedJob | None:
        """The next runnable job (its key not running elsewhere), marked running."""
        ...

    async def claim_many(self, limit: int) -> list[QueuedJob]:
        """Up to ``limit`` runnable jobs at once, with the same guarantees as ``claim``."""
        ...

    async def complete(self, job: QueuedJob) -> None: ...

    async def fail(self, job: QueuedJob, error: str, *, retry_at: float | None) -> None:
        """Record a failure: re-queue at ``retry_at``, or dead-letter when it is None."""
        ...

    async def checkpoint(self, job: QueuedJob) -> None:
        """Persist ``job.done_handlers`` so a retry skips handlers that already succeeded."""
        ...

    async def list_jobs(self, status: str | None = None, limit: int = 1000) -> list[QueuedJob]: ...

    async def requeue(self, job_id: int | str) -> bool:
        """Put a dead job back in the queue (``pitcrew jobs retry``)."""
        ...

    async def depth(self) -> int:
        """Jobs waiting or running."""
        ...
