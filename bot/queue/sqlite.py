"""The embedded queue: one SQLite file in WAL mode, owned by one thread.

Every statement runs on a single dedicated thread so the event loop never blocks on disk and
SQLite never sees two writers. A commit is durable against a crash of the process
(``kill -9``): WAL frames are in the OS before ``enqueue`` returns. ``PITCREW_SQLITE_SYNC=FULL``
also makes them survive a power cut, at the price of an fsync per commit.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.queue.base import JobStatus, QueuedJob
from bot.sqlite_thread import SQLiteThread, T

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id TEXT NOT NULL UNIQUE,
    event TEXT NOT NULL,
    action TEXT,
    key TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued',
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    next_run_at REAL NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    done_handlers TEXT NOT NULL DEFAULT '[]',
    ready INTEGER NOT NULL DEFAULT 0
);
-- Bodies live apart: a status update then rewrites a small row, not a 25 MiB payload.
CREATE TABLE IF NOT EXISTS job_bodies (
    id INTEGER PRIMARY KEY,
    body BLOB NOT NULL
);
-- Per-key order without scanning: only the head of each idle key is `ready`, so a claim is one
-- index seek however many jobs wait behind a busy pull request.
CREATE INDEX IF NOT EXISTS jobs_ready ON jobs (next_run_at, id) WHERE ready = 1;
CREATE INDEX IF NOT EXISTS jobs_ready_key ON jobs (key) WHERE ready = 1;
CREATE INDEX IF NOT EXISTS jobs_by_key ON jobs (key, status, next_run_at, id);
CREATE INDEX IF NOT EXISTS jobs_by_status ON jobs (status, id);
"""

_FROM = "FROM jobs JOIN job_bodies USING (id)"

# The write-ahead log is copied into the database every WAL_CHECKPOINT_PAGES pages (SQLite's
# default is 1,000, about 4 MiB) and cut back to WAL_SIZE_LIMIT bytes afterwards. Without both
# the log keeps every body written since the last checkpoint, and a queue of large payloads
# on a small disk fills it with copies of what the database already holds.
WAL_CHECKPOINT_PAGES = 128
WAL_SIZE_LIMIT = 1 << 20
_COLUMNS = (
    "jobs.id, delivery_id, event, action, key, job_bodies.body, status, attempts, last_error, "
    "next_run_at, created_at, updated_at, done_handlers"
)


def _row_to_job(row: tuple[Any, ...]) -> QueuedJob:
    (job_id, delivery_id, event, action, key, body, status, attempts, last_error) = row[:9]
    next_run_at, created_at, updated_at, done_handlers = row[9:]
    return QueuedJob(
        job_id,
        delivery_id,
        event,
        action,
        key,
        body,
        status,
        attempts,
        last_error,
        next_run_at,
        created_at,
        updated_at,
        done_handlers=json.loads(done_handlers),
    )


class SQLiteQueue(SQLiteThread):
    def __init__(self, path: Path | str, *, synchronous: str = "NORMAL") -> None:
        if synchronous not in ("NORMAL", "FULL", "EXTRA"):  # reaches a PRAGMA: never free text
            raise ValueError(f"synchronous must be NORMAL, FULL or EXTRA, not {synchronous!r}")
        super().__init__(path, name="queue")
        self.synchronous = synchronous
        self._pending: list[tuple[tuple[Any, tuple[Any, ...]], asyncio.Future[Any]]] = []
        self._flushing = False
        self._flush_task: asyncio.Task[None] | None = None

    # --- lifecycle -----------------------------------------------------------------
    def _open(self, recover: bool) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA synchronous={self.synchronous}")
        conn.execute("PRAGMA busy_timeout=5000")
        conn.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")
        conn.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT}")
        conn.executescript(SCHEMA)
        self._conn = conn
        if recover:
            # A job still 'running' at start-up belonged to a process that died: run it again.
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "UPDATE jobs SET status='queued', updated_at=? WHERE status='running'",
                (time.time(),),
            )
            self._recompute_ready()
            conn.execute("COMMIT")

    def _recompute_ready(self) -> None:
        """Mark the head (earliest due) queued job of every key with nothing running."""
        conn = self.conn
        conn.execute("UPDATE jobs SET ready=0 WHERE ready=1")
        conn.execute(
            "UPDATE jobs SET ready=1 WHERE id IN ("
            " SELECT (SELECT h.id FROM jobs h WHERE h.key=k.key AND h.status='queued'"
            "         ORDER BY h.next_run_at, h.id LIMIT 1)"
            " FROM (SELECT DISTINCT key FROM jobs WHERE status='queued') k"
            " WHERE NOT EXISTS (SELECT 1 FROM jobs r WHERE r.key=k.key AND r.status='running'))"
        )

    def _refresh_key(self, key: str) -> None:
        """After a job of ``key`` changed state: its next queued job becomes the ready head."""
        conn = self.conn
        conn.execute(
            "UPDATE jobs INDEXED BY jobs_ready_key SET ready=0 WHERE key=? AND ready=1", (key,)
        )
        if conn.execute(
            "SELECT 1 FROM jobs WHERE key=? AND status='running' LIMIT 1", (key,)
        ).fetchone():
            return
        conn.execute(
            "UPDATE jobs SET ready=1 WHERE id=(SELECT id FROM jobs WHERE key=? AND status='queued'"
            " ORDER BY next_run_at, id LIMIT 1)",
            (key,),
        )

    async def open(self, *, recover: bool = True) -> None:
        await self._run(self._open, recover)

    # --- writes: group commit ----------------------------------------------------------
    # Every write is an "op" queued here; one flush runs all ops waiting at that moment in one
    # transaction on the SQLite thread. Under load that turns hundreds of commits (and thread
    # hops) into a few, without making any caller wait longer than one commit.
    async def _write(self, op: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._pending.append(((op, args), future))
        if not self._flushing:
            self._flushing = True
            self._flush_task = loop.create_task(self._flush())
        return await future

    def _run_batch(self, ops: list[tuple[Any, tuple[Any, ...]]]) -> list[Any]:
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        results: list[Any] = []
        try:
            for op, args in ops:
                # Each op in its own savepoint: one that fails half-way (disk full between the
                # job row and its body) leaves nothing behind, and the others still commit.
                conn.execute("SAVEPOINT op")
                try:
                    results.append(op(*args))
                except sqlite3.Error as exc:
                    if not conn.in_transaction:  # SQLite rolled the whole batch back itself
                        raise
                    conn.execute("ROLLBACK TO op")
                    results.append(exc)
                conn.execute("RELEASE op")
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError) and "full" in str(exc):
                self._reclaim_log()
            raise
        return results

    def _reclaim_log(self) -> None:
        """After a full disk: fold the log into the database and truncate it, if that fits.

        Best effort: the caller's write is retried either way, and a checkpoint that cannot
        grow the database leaves the log as it was.
        """
        try:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass

    async def _flush(self) -> None:
        try:
            while self._pending:
                batch, self._pending = self._pending, []
                try:
                    results = await self._run(self._run_batch, [op for op, _ in batch])
                except Exception as exc:
                    results = [exc] * len(batch)
                for (_, future), result in zip(batch, results, strict=True):
                    if future.done():
                        continue
                    if isinstance(result, Exception):
                        future.set_exception(result)
                    else:
                        future.set_result(result)
        finally:
            self._flushing = False

    def _insert(
        self, delivery_id: str, event: str, action: str | None, key: str, body: bytes
    ) -> bool:
        now = time.time()
        cur = self.conn.execute(
            "INSERT OR IGNORE INTO jobs (delivery_id, event, action, key, status,"
            " next_run_at, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
            (delivery_id, event, action, key, JobStatus.QUEUED, now, now, now),
        )
        if cur.rowcount != 1:
            return False
        self.conn.execute("INSERT INTO job_bodies (id, body) VALUES (?, ?)", (cur.lastrowid, body))
        busy = self.conn.execute(
            "SELECT 1 FROM jobs WHERE key=? AND status IN ('queued', 'running') AND id<>? LIMIT 1",
            (key, cur.lastrowid),
        ).fetchone()
        if not busy:  # the common case: the only job of its key is its head
            self.conn.execute("UPDATE jobs SET ready=1 WHERE id=?", (cur.lastrowid,))
        return True

    async def enqueue(
        self, *, delivery_id: str, event: str, action: str | None, key: str, body: bytes
    ) -> bool:
        """Durable on return; False when the delivery id was accepted before."""
        return await self._write(self._insert, delivery_id, event, action, key, body)

    def _claim(self) -> QueuedJob | None:
        now = time.time()
        conn = self.conn
        head = conn.execute(
            "SELECT id FROM jobs INDEXED BY jobs_ready WHERE ready=1 AND next_run_at <= ?"
            " ORDER BY next_run_at, id LIMIT 1",
            (now,),
        ).fetchone()
        if head is None:
            return None
        row = conn.execute(f"SELECT {_COLUMNS} {_FROM} WHERE jobs.id=?", (head[0],)).fetchone()
        job = _row_to_job(row)
        job.attempts += 1
        job.status = JobStatus.RUNNING
        job.updated_at = now
        conn.execute(
            "UPDATE jobs SET status='running', ready=0, attempts=?, updated_at=? WHERE id=?",
            (job.attempts, now, job.id),
        )
        return job

    async def claim(self) -> QueuedJob | None:
        return await self._write(self._claim)

    def _claim_many(self, limit: int) -> list[QueuedJob]:
        jobs: list[QueuedJob] = []
        while len(jobs) < limit:
            job = self._claim()
            if job is None:
                break
            jobs.append(job)
        return jobs

    async def claim_many(self, limit: int) -> list[QueuedJob]:
        """Up to ``limit`` runnable jobs in one transaction (the worker pool's feeder)."""
        return await self._write(self._claim_many, limit)

    def _set(self, job_id: Any, fields: dict[str, Any], release_key: str | None = None) -> None:
        fields["updated_at"] = time.time()
        assignments = ", ".join(f"{name}=?" for name in fields)
        self.conn.execute(f"UPDATE jobs SET {assignments} WHERE id=?", (*fields.values(), job_id))
        if release_key is not None:
            self._refresh_key(release_key)

    async def _update(self, job: QueuedJob, **fields: Any) -> None:
        fields["done_handlers"] = json.dumps(job.done_handlers)
        release = fields.get("status", JobStatus.RUNNING) != JobStatus.RUNNING
        await self._write(self._set, job.id, fields, job.key if release else None)

    async def complete(self, job: QueuedJob) -> None:
        job.status = JobStatus.DONE
        await self._update(job, status=JobStatus.DONE, last_error=None)

    async def fail(self, job: QueuedJob, error: str, *, retry_at: float | None) -> None:
        job.last_error = error[:2000]
        if retry_at is None:
            job.status = JobStatus.DEAD
            await self._update(job, status=job.status, last_error=job.last_error)
        else:
            job.status = JobStatus.QUEUED
            await self._update(
                job, status=job.status, last_error=job.last_error, next_run_at=retry_at
            )

    async def checkpoint(self, job: QueuedJob) -> None:
        await self._update(job)

    def _requeue(self, job_id: int | str) -> bool:
        cur = self.conn.execute(
            "UPDATE jobs SET status='queued', attempts=0, next_run_at=?, updated_at=?"
            " WHERE id=? AND status='dead'",
            (time.time(), time.time(), int(job_id)),
        )
        if cur.rowcount != 1:
            return False
        (key,) = self.conn.execute("SELECT key FROM jobs WHERE id=?", (int(job_id),)).fetchone()
        self._refresh_key(key)
        return True

    async def requeue(self, job_id: int | str) -> bool:
        try:
            return await self._write(self._requeue, job_id)
        except ValueError:
            return False

    # --- reads -----------------------------------------------------------------------
    def _list(self, status: str | None, limit: int) -> list[QueuedJob]:
        if status:
            rows = self.conn.execute(
                f"SELECT {_COLUMNS} {_FROM} WHERE status=? ORDER BY jobs.id LIMIT ?",
                (status, limit),
            )
        else:
            rows = self.conn.execute(
                f"SELECT {_COLUMNS} {_FROM} ORDER BY jobs.id LIMIT ?", (limit,)
            )
        return [_row_to_job(row) for row in rows.fetchall()]

    async def list_jobs(self, status: str | None = None, limit: int = 1000) -> list[QueuedJob]:
        return await self._run(self._list, status, limit)

    def _depth(self) -> int:
        return int(
            self.conn.execute(
                "SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running')"
            ).fetchone()[0]
        )

    async def depth(self) -> int:
        return await self._run(self._depth)

    def _prune(self, older_than_s: float) -> int:
        cutoff = time.time() - older_than_s
        self.conn.execute(
            "DELETE FROM job_bodies WHERE id IN"
            " (SELECT id FROM jobs WHERE status='done' AND updated_at < ?)",
            (cutoff,),
        )
        cur = self.conn.execute(
            "DELETE FROM jobs WHERE status='done' AND updated_at < ?", (cutoff,)
        )
        return cur.rowcount

    async def prune(self, older_than_s: float = 14 * 86400) -> int:
        """Forget finished jobs; their delivery ids stop deduplicating after this."""
        return await self._run(self._prune, older_than_s)
