"""One SQLite connection that only its own thread touches (the queue's and the leases' base).

Running every statement on one dedicated thread keeps the event loop off the disk and means
SQLite never sees two writers from this process; other processes are kept apart by its locks.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


class SQLiteThread:
    """``path``'s connection (``_conn``, set by the subclass's opener) and its one thread."""

    def __init__(self, path: Path | str, *, name: str) -> None:
        self.path = Path(path)
        self._name = name
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"sqlite-{name}")
        self._conn: sqlite3.Connection | None = None

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` on the connection's thread."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    async def close(self) -> None:
        if self._conn is not None:
            await self._run(self._conn.close)
            self._conn = None
        self._executor.shutdown(wait=True)

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError(f"{self._name} is not open")
        return self._conn
