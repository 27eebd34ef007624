"""The service's failure store: SQLite in the data dir, Redis when scaled out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.memory.model import FailureStore
from bot.memory.sqlite_store import SqliteFailureStore

if TYPE_CHECKING:
    from bot.services import HasServices
    from bot.settings import Settings


def open_failure_store(settings: Settings) -> FailureStore:
    """Redis when ``redis_url`` is set (replicas remember the same failures), else SQLite."""
    if settings.redis_url:
        from bot.memory.redis_store import RedisFailureStore

        return RedisFailureStore(settings.redis_url, f"pitcrew:{settings.app_id or 'dev'}")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteFailureStore(settings.data_dir / "failures.sqlite3")


def memory_of(ctx: HasServices) -> FailureStore:
    """The process's failure store, opened on first use."""
    if ctx.services.failures is None:
        ctx.services.failures = open_failure_store(ctx.settings)
    return ctx.services.failures
