"""A small durable key-value store for feature state (diagnosis cache, label overrides).

SQLite in the data directory; values are JSON with an optional expiry. Synchronous and
thread-safe: features call it through ``asyncio.to_thread``.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from bot.services import HasServices
    from bot.settings import Settings


class KVStore(Protocol):
    """Small expiring feature state; `SQLiteKVStore` and `RedisKVStore` implement it."""

    def get(self, ns: str, key: str, default: Any = None) -> Any: ...
    def put(self, ns: str, key: str, value: Any, ttl: float | None = None) -> None: ...
    def items(self, ns: str, prefix: str = "") -> dict[str, Any]: ...
    def delete_prefix(self, ns: str, prefix: str) -> int: ...
    def prune(self) -> int: ...
    def close(self) -> None: ...


class SQLiteKVStore:
    def __init__(self, path: Path | str) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS kv (ns TEXT NOT NULL, key TEXT NOT NULL,"
            " value TEXT NOT NULL, expires_at REAL, PRIMARY KEY (ns, key))"
        )
        self._lock = threading.Lock()

    def get(self, ns: str, key: str, default: Any = None) -> Any:
        with self._lock:
            row = self._conn.execute(
                "SELECT value, expires_at FROM kv WHERE ns=? AND key=?", (ns, key)
            ).fetchone()
        if row is None or (row[1] is not None and row[1] < time.time()):
            return default
        return json.loads(row[0])

    def put(self, ns: str, key: str, value: Any, ttl: float | None = None) -> None:
        expires = time.time() + ttl if ttl else None
        with self._lock:
            self._conn.execute(
                "INSERT INTO kv (ns, key, value, expires_at) VALUES (?,?,?,?)"
                " ON CONFLICT (ns, key) DO UPDATE SET value=excluded.value,"
                " expires_at=excluded.expires_at",
                (ns, key, json.dumps(value), expires),
            )

    def items(self, ns: str, prefix: str = "") -> dict[str, Any]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT key, value FROM kv WHERE ns=? AND substr(key, 1, ?) = ? AND"
                " (expires_at IS NULL OR expires_at >= ?)",
                (ns, len(prefix), prefix, time.time()),
            ).fetchall()
        return {key: json.loads(value) for key, value in rows}

    def delete_prefix(self, ns: str, prefix: str) -> int:
        with self._lock:
            return self._conn.execute(
                "DELETE FROM kv WHERE ns=? AND substr(key, 1, ?) = ?", (ns, len(prefix), prefix)
            ).rowcount

    def prune(self) -> int:
        with self._lock:
            return self._conn.execute(
                "DELETE FROM kv WHERE expires_at IS NOT NULL AND expires_at < ?", (time.time(),)
            ).rowcount

    def close(self) -> None:
        with self._lock:
            self._conn.close()


_GLOB = str.maketrans({c: "\\" + c for c in "*?[]\\"})


class RedisKVStore:
    """The same store on Redis, so every replica sees the same feature state (scale-out)."""

    def __init__(self, url: str, namespace: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url)
        self._prefix = f"{{{namespace}}}:kv:"

    def _key(self, ns: str, key: str) -> str:
        return f"{self._prefix}{ns}:{key}"

    def get(self, ns: str, key: str, default: Any = None) -> Any:
        raw = self._redis.get(self._key(ns, key))
        return default if raw is None else json.loads(raw)

    def put(self, ns: str, key: str, value: Any, ttl: float | None = None) -> None:
        self._redis.set(self._key(ns, key), json.dumps(value), px=int(ttl * 1000) if ttl else None)

    def _scan(self, ns: str, prefix: str) -> list[bytes]:
        pattern = self._key(ns, prefix).translate(_GLOB) + "*"
        return list(self._redis.scan_iter(match=pattern, count=500))

    def items(self, ns: str, prefix: str = "") -> dict[str, Any]:
        names = self._scan(ns, prefix)
        values = self._redis.mget(names) if names else []
        cut = len(self._key(ns, ""))
        return {
            name.decode()[cut:]: json.loads(value)
            for name, value in zip(names, values, strict=True)
            if value is not None
        }

    def delete_prefix(self, ns: str, prefix: str) -> int:
        names = self._scan(ns, prefix)
        return int(self._redis.delete(*names)) if names else 0

    def prune(self) -> int:
        return 0  # Redis expires keys by itself

    def close(self) -> None:
        self._redis.close()


def open_kv(settings: Settings) -> KVStore:
    """Redis when ``redis_url`` is set, else SQLite."""
    if settings.redis_url:
        return RedisKVStore(settings.redis_url, f"pitcrew:{settings.app_id or 'dev'}")
    return SQLiteKVStore(settings.data_dir / "kv.sqlite3")


def kv_of(ctx: HasServices) -> KVStore:
    """The process's feature-state store, opened on first use."""
    if ctx.services.kv is None:
        ctx.services.kv = open_kv(ctx.settings)
    return ctx.services.kv
