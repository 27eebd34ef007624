"""Leadership for periodic jobs: exactly one replica runs each (scheduler, reconciler).

A lease has a holder, an expiry and a **fencing token** that grows every time leadership
changes hands. Leadership alone is not enough: a leader that stalls (GC pause, partition) past
its expiry still believes it leads when it wakes. So writes that matter go through
``put_state(..., token)``, which the store refuses unless ``token`` is the current one
(Kleppmann's fencing), and ``check(name, token)`` lets other writes ask the same question.

Two backends with one interface: ``SQLiteLease`` (a table in the data dir, embedded mode) and
``RedisLease`` (``SET NX PX``, scale-out). Redis expiries use the server's clock, so replicas
with skewed clocks still agree on who leads.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import sqlite3
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar

from aiohttp import web

from bot.appkeys import LEASE, SETTINGS
from bot.sqlite_thread import SQLiteThread

log = logging.getLogger(__name__)
T = TypeVar("T")


class LeaderLease(Protocol):
    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def acquire(self, name: str, holder: str, ttl: float) -> int | None:
        """The fencing token when ``holder`` leads ``name`` for ``ttl`` s (re-entrant: the
        current holder gets its token back and the expiry extended), else None."""
        ...

    async def renew(self, name: str, holder: str, token: int, ttl: float) -> bool: ...

    async def release(self, name: str, holder: str, token: int) -> bool: ...

    async def check(self, name: str, token: int) -> bool:
        """Is ``token`` the live leadership of ``name``? False for a stale leader."""
        ...

    async def get_state(self, name: str, field: str) -> str | None: ...

    async def put_state(self, name: str, field: str, value: str, token: int) -> bool:
        """Write leader-owned state; refused (False) unless ``token`` is current."""
        ...


def default_holder() -> str:
    """Unique per process and start, readable in `redis-cli` output."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


# --- SQLite (embedded) ---------------------------------------------------------------------

_SQLITE_SCHEMA = """
CREATE TABLE IF NOT EXISTS leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    token INTEGER NOT NULL,
    expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS lease_state (
    name TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (name, field)
);
"""


class LeadershipLost(RuntimeError):
    """A fenced write was refused: another replica leads now."""


def backoff_s(interval: float, failures: int, ceiling: float = 600.0) -> float:
    """A leader loop's wait after ``failures`` failed passes in a row: doubling, capped."""
    return float(min(max(ceiling, interval), interval * 2 ** max(0, failures - 1)))


class SQLiteLease(SQLiteThread):
    """Leases in ``leader.sqlite3``; several processes on one data dir are safe (file locks)."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(path, name="lease store")

    def _open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA busy_timeout=5000")
        conn.executescript(_SQLITE_SCHEMA)
        self._conn = conn

    async def open(self) -> None:
        await self._run(self._open)

    def _tx(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = fn(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return result

    @staticmethod
    def _row(conn: sqlite3.Connection, name: str) -> tuple[str, int, float] | None:
        row: tuple[str, int, float] | None = conn.execute(
            "SELECT holder, token, expires_at FROM leases WHERE name=?", (name,)
        ).fetchone()
        return row

    def _acquire(self, name: str, holder: str, ttl: float) -> int | None:
        def op(conn: sqlite3.Connection) -> int | None:
            now = time.time()
            row = self._row(conn, name)
            if row and row[2] > now:
                if row[0] != holder:
                    return None
                conn.execute("UPDATE leases SET expires_at=? WHERE name=?", (now + ttl, name))
                return int(row[1])
            token = (row[1] if row else 0) + 1  # the token survives expiry: always grows
            conn.execute(
                "INSERT INTO leases (name, holder, token, expires_at) VALUES (?,?,?,?)"
                " ON CONFLICT(name) DO UPDATE SET holder=excluded.holder,"
                " token=excluded.token, expires_at=excluded.expires_at",
                (name, holder, token, now + ttl),
            )
            return token

        return self._tx(op)

    def _renew(self, name: str, holder: str, token: int, ttl: float) -> bool:
        def op(conn: sqlite3.Connection) -> bool:
            now = time.time()
            cur = conn.execute(
                "UPDATE leases SET expires_at=? WHERE name=? AND holder=? AND token=?"
                " AND expires_at > ?",
                (now + ttl, name, holder, token, now),
            )
            return cur.rowcount == 1

        return self._tx(op)

    def _release(self, name: str, holder: str, token: int) -> bool:
        def op(conn: sqlite3.Connection) -> bool:
            cur = conn.execute(
                "UPDATE leases SET expires_at=0 WHERE name=? AND holder=? AND token=?",
                (name, holder, token),
            )
            return cur.rowcount == 1

        return self._tx(op)

    def _live(self, conn: sqlite3.Connection, name: str, token: int) -> bool:
        row = self._row(conn, name)
        return bool(row and row[1] == token and row[2] > time.time())

    def _put_state(self, name: str, field: str, value: str, token: int) -> bool:
        def op(conn: sqlite3.Connection) -> bool:
            if not self._live(conn, name, token):
                return False
            conn.execute(
                "INSERT INTO lease_state (name, field, value) VALUES (?,?,?)"
                " ON CONFLICT(name, field) DO UPDATE SET value=excluded.value",
                (name, field, value),
            )
            return True

        return self._tx(op)

    def _get_state(self, name: str, field: str) -> str | None:
        row = self.conn.execute(
            "SELECT value FROM lease_state WHERE name=? AND field=?", (name, field)
        ).fetchone()
        return row[0] if row else None

    async def acquire(self, name: str, holder: str, ttl: float) -> int | None:
        return await self._run(self._acquire, name, holder, float(ttl))

    async def renew(self, name: str, holder: str, token: int, ttl: float) -> bool:
        return await self._run(self._renew, name, holder, int(token), float(ttl))

    async def release(self, name: str, holder: str, token: int) -> bool:
        return await self._run(self._release, name, holder, int(token))

    async def check(self, name: str, token: int) -> bool:
        return await self._run(self._tx, lambda conn: self._live(conn, name, int(token)))

    async def get_state(self, name: str, field: str) -> str | None:
        return await self._run(self._get_state, name, field)

    async def put_state(self, name: str, field: str, value: str, token: int) -> bool:
        return await self._run(self._put_state, name, field, value, int(token))


# --- Redis (scale-out) ---------------------------------------------------------------------

# KEYS: lease, fence. ARGV: holder, ttl_ms. The lease value is "<token>:<holder>".
_ACQUIRE = """
local cur = redis.call('GET', KEYS[1])
if cur then
  local token, who = string.match(cur, '^(%d+):(.*)$')
  if who == ARGV[1] then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return tonumber(token)
  end
  return false
end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], token .. ':' .. ARGV[1], 'NX', 'PX', ARGV[2])
return token
"""

# KEYS: lease. ARGV: "<token>:<holder>", ttl_ms (0 = release)
_RENEW = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '0' then redis.call('DEL', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
"""

# KEYS: lease, state. ARGV: token, field, value
_PUT_STATE = """
local cur = redis.call('GET', KEYS[1])
if not cur or string.match(cur, '^(%d+):') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
return 1
"""


class RedisLease:
    """Leases as ``SET NX PX`` keys; fencing tokens from a per-name ``INCR`` counter."""

    def __init__(self, url: str, *, namespace: str = "pitcrew:dev", client: Any = None) -> None:
        self.url = url
        self.prefix = "{" + namespace + "}"
        self._client = client
        self._own_client = client is None

    async def open(self) -> None:
        if self._client is None:
            from bot.queue.redis import connect

            self._client = connect(self.url, max_connections=8)
        r = self._client
        self._acquire = r.register_script(_ACQUIRE)
        self._renew = r.register_script(_RENEW)
        self._put = r.register_script(_PUT_STATE)
        await r.ping()

    async def close(self) -> None:
        if self._client is not None and self._own_client:
            await self._client.aclose()
            self._client = None

    def _keys(self, name: str) -> tuple[str, str, str]:
        p = self.prefix
        return f"{p}:lease:{name}", f"{p}:fence:{name}", f"{p}:state:{name}"

    async def acquire(self, name: str, holder: str, ttl: float) -> int | None:
        lease, fence, _ = self._keys(name)
        token = await self._acquire(keys=[lease, fence], args=[holder, max(1, int(ttl * 1000))])
        return None if token is None else int(token)

    async def renew(self, name: str, holder: str, token: int, ttl: float) -> bool:
        lease = self._keys(name)[0]
        return bool(await self._renew(keys=[lease], args=[f"{token}:{holder}", int(ttl * 1000)]))

    async def release(self, name: str, holder: str, token: int) -> bool:
        return bool(await self._renew(keys=[self._keys(name)[0]], args=[f"{token}:{holder}", 0]))

    async def check(self, name: str, token: int) -> bool:
        value = await self._client.get(self._keys(name)[0])
        return value is not None and value.split(b":", 1)[0] == str(int(token)).encode()

    async def get_state(self, name: str, field: str) -> str | None:
        value = await self._client.hget(self._keys(name)[2], field)
        return None if value is None else value.decode()

    async def put_state(self, name: str, field: str, value: str, token: int) -> bool:
        lease, _, state = self._keys(name)
        return bool(await self._put(keys=[lease, state], args=[int(token), field, value]))


def open_lease(settings: Any) -> LeaderLease:
    """The lease store matching the queue: Redis when ``redis_url`` is set, else SQLite."""
    if settings.redis_url:
        return RedisLease(settings.redis_url, namespace=f"pitcrew:{settings.app_id or 'dev'}")
    return SQLiteLease(Path(settings.data_dir) / "leader.sqlite3")


# --- running work only while leading --------------------------------------------------------


async def run_as_leader(
    lease: LeaderLease,
    name: str,
    work: Callable[[int], Awaitable[T]],
    *,
    holder: str | None = None,
    ttl: float = 15.0,
    renew_every: float | None = None,
    retry_every: float | None = None,
) -> T:
    """Run ``work(token)`` whenever this process leads ``name``; cancel it the moment a renewal
    fails (lease lost or store unreachable), then campaign again. Returns ``work``'s result if
    it finishes (the lease is released); cancelling this coroutine releases the lease too.

    Renewal happens every ``ttl/3`` and gives up after ``ttl/3``, so the work is cancelled
    before the lease can expire under it; ``put_state`` fencing covers the remaining gap.
    """
    holder = holder or default_holder()
    renew_every = renew_every or ttl / 3
    retry_every = retry_every or ttl / 3
    while True:
        raise_if_cancelled()
        try:
            async with asyncio.timeout(renew_every):
                token = await lease.acquire(name, holder, ttl)
        except Exception as exc:  # a store error must not kill the campaign
            log.warning("leader election failed", extra={"lease": name, "error": repr(exc)})
            token = None
        if token is None:
            await asyncio.sleep(retry_every)
            continue
        log.info("became leader", extra={"lease": name, "holder": holder, "token": token})
        task = asyncio.ensure_future(work(token))
        try:
            kept = await _keep_leading(lease, name, holder, token, ttl, renew_every, task)
        except asyncio.CancelledError:
            await _cancel(task)
            with contextlib.suppress(Exception):
                await asyncio.shield(lease.release(name, holder, token))
            raise
        if kept:
            with contextlib.suppress(Exception):
                await lease.release(name, holder, token)
            return task.result()
        log.warning("leadership lost; work cancelled", extra={"lease": name, "token": token})
        await asyncio.sleep(retry_every)


async def _keep_leading(
    lease: LeaderLease,
    name: str,
    holder: str,
    token: int,
    ttl: float,
    every: float,
    task: asyncio.Future[Any],
) -> bool:
    """True when ``task`` finished while we led; False when leadership was lost."""
    while True:
        raise_if_cancelled()
        done, _ = await asyncio.wait({task}, timeout=every)
        if done:
            return True
        try:
            async with asyncio.timeout(every):
                ok = await lease.renew(name, holder, token, ttl)
        except Exception as exc:
            log.warning("lease renewal failed", extra={"lease": name, "error": repr(exc)})
            ok = False
        if not ok:
            await _cancel(task)
            return False


def raise_if_cancelled() -> None:
    """Stop a loop whose task was asked to stop, even if the cancellation was swallowed on the
    way: one that lands while redis-py runs a command can be absorbed inside the client (seen
    under load: the leader kept renewing after `cancel()`, forever, and no other replica could
    lead). The task's cancel count still says it was asked (`asyncio.timeout` takes its own
    cancellations back, so only a real one counts)."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


async def _cancel(task: asyncio.Future[Any]) -> None:
    await cancel_and_wait(task)


async def cancel_and_wait(task: asyncio.Future[Any] | None) -> None:
    """Cancel until the task is really done: a cancellation can be absorbed by the code it
    interrupts (a retry loop, or wait_for on Python 3.11), and a shutdown must not hang."""
    while task is not None and not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=1.0)
    if task is not None and task.done() and not task.cancelled():
        task.exception()  # retrieved, so asyncio does not log it as never retrieved


@contextlib.asynccontextmanager
async def opened_lease(settings: Any) -> AsyncIterator[LeaderLease]:
    lease = open_lease(settings)
    await lease.open()
    try:
        yield lease
    finally:
        await lease.close()


async def lease_ctx(app: web.Application) -> AsyncIterator[None]:
    """aiohttp ``cleanup_ctx``: ``app[LEASE]`` for the scheduler and the reconciler."""
    async with opened_lease(app[SETTINGS]) as lease:
        app[LEASE] = lease
        yield
