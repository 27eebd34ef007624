"""Both failure-store backends: SQLite on disk, and a real redis-server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.memory.model import FailureStore
from bot.memory.sqlite_store import SqliteFailureStore
from tests.scaleout.conftest import namespace, redis_server  # noqa: F401  (fixtures)


@pytest.fixture(params=["sqlite", "redis"])
def store(request: pytest.FixtureRequest, tmp_path, namespace: str) -> Iterator[FailureStore]:  # noqa: F811
    if request.param == "sqlite":
        backend: FailureStore = SqliteFailureStore(tmp_path / "failures.sqlite3")
    else:
        from bot.memory.redis_store import RedisFailureStore

        server = request.getfixturevalue("redis_server")
        backend = RedisFailureStore(server.url, namespace)
    yield backend
    backend.close()
