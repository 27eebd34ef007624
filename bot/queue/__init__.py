"""Durable job queue: one interface, SQLite by default, Redis when scaled out."""

from __future__ import annotations

from bot.queue.base import JobQueue, JobStatus, QueuedJob
from bot.settings import Settings

__all__ = ["JobQueue", "JobStatus", "QueuedJob", "open_queue"]


def open_queue(settings: Settings) -> JobQueue:
    """The queue the settings ask for (Redis when ``redis_url`` is set)."""
    if settings.redis_url:
        from bot.queue.redis import RedisQueue

        return RedisQueue(settings.redis_url, namespace=f"pitcrew:{settings.app_id or 'dev'}")
    from bot.queue.sqlite import SQLiteQueue

    return SQLiteQueue(settings.data_dir / "queue.sqlite3", synchronous=settings.sqlite_sync)
