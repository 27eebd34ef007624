"""The scale-out queue: every replica shares one Redis, with the SQLite queue's guarantees.

Why Lua scripts instead of arq/SAQ/streams: the contract needs four things to change together
(delivery dedupe, job record, ready set, per-key lock), and a script runs atomically on the
server, so no interleaving of two replicas can accept a delivery twice or run one key twice.

Layout (``P`` is ``{namespace}``, a Redis Cluster hash tag so every key lives in one slot)::

    P:seq            INCR counter → job ids (shared by replicas, so ids are unique)
    P:dd:<delivery>  delivery id → job id, ``EX`` 8 days (GitHub redelivers for 3 days)
    P:job:<id>       hash: the job's fields, plus ``lease`` (claim counter = lease token)
    P:ready          zset id → next_run_at: queued jobs, retries delayed by their score
    P:running        zset id → lease deadline (server clock); past → the replica died
    P:keys           hash key → id of the running job holding it (the per-key lock)
    P:wait:<key>     zset id → next_run_at: runnable while their key was held, in line
    P:blocked        zset id → next_run_at, the same ids, for counting and listing
    P:dead, P:done   zset id → time; P:jobs zset id → id, every job (``pitcrew jobs``)

Leases: ``claim_many`` gives each job a lease of ``visibility_timeout`` seconds and a token;
a background heartbeat renews the leases of every job this process holds, so a job is reclaimed
only when its replica stops (crash, ``kill -9``, partition). ``complete``/``fail``/
``checkpoint`` carry the token, so a replica whose lease was taken over cannot overwrite the
new owner's work (its calls are refused and logged).

Durability: ``enqueue`` returns after Redis executed the script. With ``appendonly yes`` and
``appendfsync always`` Redis writes and fsyncs the AOF before it answers, so an acknowledged
delivery survives a crash of Redis (``kill -9``), of the replica or of the host. With
``everysec`` it does not: while a background fsync is slow (a busy disk), Redis postpones the
AOF write by up to 2 s and still answers, so a crash of the Redis process loses deliveries that
were acknowledged with ``202`` and that GitHub will never redeliver. ``open`` logs one warning
when Redis is configured so (Redis 7.0 has no ``WAITAOF`` to ask for one write's fsync).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Iterable, Mapping
from typing import Any

from redis import asyncio as aioredis

from bot.queue.base import JobStatus, QueuedJob

log = logging.getLogger(__name__)

DEDUPE_TTL_S = 8 * 86400  # longer than GitHub's 3-day redelivery window
DONE_RETENTION_S = 7 * 86400
RECLAIM_LIMIT = 10  # a job that kills its replica this many times is dead-lettered
SCAN_LIMIT = 500  # ready entries one claim may examine (bounds the time Redis is busy)

# Shared Lua: release a job's key lock and let the oldest job waiting for that key run.
_RELEASE = """
local function release(prefix, key, id)
  if not key then return end
  local keys = prefix .. ':keys'
  if redis.call('HGET', keys, key) ~= id then return end
  redis.call('HDEL', keys, key)
  local nxt = redis.call('ZPOPMIN', prefix .. ':wait:' .. key)
  if nxt[1] then
    redis.call('ZREM', prefix .. ':blocked', nxt[1])
    redis.call('ZADD', prefix .. ':ready', nxt[2], nxt[1])
  end
end
"""

_ENQUEUE = """
local prefix, delivery = ARGV[1], ARGV[2]
local dd = prefix .. ':dd:' .. delivery
if redis.call('EXISTS', dd) == 1 then return 0 end
local id = tostring(redis.call('INCR', prefix .. ':seq'))
redis.call('SET', dd, id, 'EX', ARGV[8])
local now = ARGV[7]
local job = prefix .. ':job:' .. id
redis.call('HSET', job, 'delivery_id', delivery, 'event', ARGV[3], 'key', ARGV[5],
  'body', ARGV[6], 'status', 'queued', 'attempts', 0, 'next_run_at', now,
  'created_at', now, 'updated_at', now, 'done_handlers', '[]', 'lease', 0)
if ARGV[4] ~= '' then redis.call('HSET', job, 'action', string.sub(ARGV[4], 2)) end
redis.call('ZADD', prefix .. ':ready', now, id)
redis.call('ZADD', prefix .. ':jobs', id, id)
return tonumber(id)
"""

_CLAIM = (
    _RELEASE
    + """
local prefix = ARGV[1]
local now, limit, vis = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local reclaim_limit, scan_limit = tonumber(ARGV[5]), tonumber(ARGV[6])
local ready, running = prefix .. ':ready', prefix .. ':running'
local t = redis.call('TIME')
local clock = tonumber(t[1]) + tonumber(t[2]) / 1000000  -- leases use the server's clock
-- 1. leases that ran out: their replica stopped; put the job back (or bury a crash loop).
for _, id in ipairs(redis.call('ZRANGEBYSCORE', running, '-inf', clock, 'LIMIT', 0, 100)) do
  local job = prefix .. ':job:' .. id
  redis.call('ZREM', running, id)
  release(prefix, redis.call('HGET', job, 'key'), id)
  redis.call('HINCRBY', job, 'lease', 1)  -- the old holder's token stops working
  local attempts = tonumber(redis.call('HGET', job, 'attempts') or '0')
  local msg = 'lease expired: the replica running this job stopped'
  if reclaim_limit > 0 and attempts >= reclaim_limit then
    redis.call('HSET', job, 'status', 'dead', 'updated_at', now, 'last_error', msg)
    redis.call('ZADD', prefix .. ':dead', now, id)
  else
    redis.call('HSET', job, 'status', 'queued', 'updated_at', now, 'last_error', msg)
    -- its original place in line: it runs before jobs of its key queued after it
    redis.call('ZADD', ready, redis.call('HGET', job, 'next_run_at') or now, id)
  end
end
-- 2. runnable jobs whose key is free, oldest first; the others wait behind their key.
local out, scanned = {}, 0
while #out < limit and scanned < scan_limit do
  local ids = redis.call('ZRANGEBYSCORE', ready, '-inf', now, 'LIMIT', 0, limit - #out)
  if #ids == 0 then break end
  for _, id in ipairs(ids) do
    scanned = scanned + 1
    redis.call('ZREM', ready, id)
    local job = prefix .. ':job:' .. id
    local key = redis.call('HGET', job, 'key')
    if key then
      local holder = redis.call('HGET', prefix .. ':keys', key)
      if holder and not redis.call('ZSCORE', running, holder) then
        release(prefix, key, holder)  -- a lock without a running job: never block on it
        holder = redis.call('HGET', prefix .. ':keys', key)
      end
      if holder then
        local at = redis.call('HGET', job, 'next_run_at')
        redis.call('ZADD', prefix .. ':wait:' .. key, at, id)
        redis.call('ZADD', prefix .. ':blocked', at, id)
      else
        redis.call('HSET', prefix .. ':keys', key, id)
        redis.call('HINCRBY', job, 'lease', 1)
        redis.call('HINCRBY', job, 'attempts', 1)
        redis.call('HSET', job, 'status', 'running', 'updated_at', now)
        redis.call('ZADD', running, clock + vis, id)
        out[#out + 1] = redis.call('HGETALL', job)
        out[#out + 1] = id
      end
    end
  end
end
return out
"""
)

# ARGV: prefix, id, token, now, done_handlers,
#       outcome ('done'|'retry'|'dead'|'release'|'checkpoint'), last_error, retry_at
_FINISH = (
    _RELEASE
    + """
local prefix, id, token, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local job = prefix .. ':job:' .. id
if redis.call('HGET', job, 'lease') ~= token or redis.call('HGET', job, 'status') ~= 'running' then
  return 0
end
redis.call('HSET', job, 'done_handlers', ARGV[5], 'updated_at', now)
local outcome = ARGV[6]
if outcome == 'checkpoint' then return 1 end
redis.call('ZREM', prefix .. ':running', id)
release(prefix, redis.call('HGET', job, 'key'), id)
if outcome == 'done' then
  redis.call('HSET', job, 'status', 'done')
  redis.call('HDEL', job, 'last_error')
  redis.call('ZADD', prefix .. ':done', now, id)
elseif outcome == 'release' then  -- this replica stops: back in line, where it was
  redis.call('HSET', job, 'status', 'queued', 'last_error', ARGV[7])
  redis.call('ZADD', prefix .. ':ready', redis.call('HGET', job, 'next_run_at') or now, id)
elseif outcome == 'dead' then
  redis.call('HSET', job, 'status', 'dead', 'last_error', ARGV[7])
  redis.call('ZADD', prefix .. ':dead', now, id)
else
  redis.call('HSET', job, 'status', 'queued', 'last_error', ARGV[7], 'next_run_at', ARGV[8])
  redis.call('ZADD', prefix .. ':ready', ARGV[8], id)
end
return 1
"""
)

# ARGV: prefix, now, vis, id1, token1, id2, token2, ...  → ids whose lease was lost
_HEARTBEAT = """
local prefix, vis = ARGV[1], tonumber(ARGV[3])
local t = redis.call('TIME')
local clock = tonumber(t[1]) + tonumber(t[2]) / 1000000
local lost = {}
for i = 4, #ARGV, 2 do
  local id, token = ARGV[i], ARGV[i + 1]
  local job = prefix .. ':job:' .. id
  if redis.call('HGET', job, 'lease') == token and redis.call('ZSCORE', prefix .. ':running', id)
  then
    redis.call('ZADD', prefix .. ':running', 'XX', clock + vis, id)
  else
    lost[#lost + 1] = id
  end
end
return lost
"""

_REQUEUE = """
local prefix, id, now = ARGV[1], ARGV[2], ARGV[3]
local job = prefix .. ':job:' .. id
if redis.call('HGET', job, 'status') ~= 'dead' then return 0 end
redis.call('ZREM', prefix .. ':dead', id)
redis.call('HSET', job, 'status', 'queued', 'attempts', 0, 'next_run_at', now, 'updated_at', now)
redis.call('ZADD', prefix .. ':ready', now, id)
return 1
"""

_PRUNE = """
local prefix, cutoff = ARGV[1], ARGV[2]
local ids = redis.call('ZRANGEBYSCORE', prefix .. ':done', '-inf', cutoff, 'LIMIT', 0, 1000)
for _, id in ipairs(ids) do
  redis.call('DEL', prefix .. ':job:' .. id)
  redis.call('ZREM', prefix .. ':done', id)
  redis.call('ZREM', prefix .. ':jobs', id)
end
return #ids
"""

_INT_FIELDS = ("attempts",)
_FLOAT_FIELDS = ("next_run_at", "created_at", "updated_at")


def _job_id(raw: bytes | str) -> int | str:
    text = raw.decode() if isinstance(raw, bytes) else str(raw)
    return int(text) if text.isdigit() else text


def _text(raw: bytes | str) -> str:
    return raw.decode() if isinstance(raw, bytes) else raw


def _members(members: Iterable[object]) -> list[bytes]:
    """Sorted-set members: bytes, as the client is opened with ``decode_responses=False``."""
    return [member for member in members if isinstance(member, bytes)]


def _job_from_hash(job_id: int | str, data: Mapping[bytes | str, bytes | str]) -> QueuedJob:
    fields = {_text(k): v if isinstance(v, bytes) else v.encode() for k, v in data.items()}

    def text(name: str) -> str | None:
        value = fields.get(name)
        return None if value is None else value.decode()

    return QueuedJob(
        id=job_id,
        delivery_id=text("delivery_id") or "",
        event=text("event") or "",
        action=text("action"),
        key=text("key") or "",
        body=fields.get("body", b"{}"),
        status=text("status") or JobStatus.QUEUED,
        attempts=int(fields.get("attempts", b"0")),
        last_error=text("last_error"),
        next_run_at=float(fields.get("next_run_at", b"0")),
        created_at=float(fields.get("created_at", b"0")),
        updated_at=float(fields.get("updated_at", b"0")),
        done_handlers=json.loads(fields.get("done_handlers", b"[]")),
    )


def connect(url: str, max_connections: int = 64) -> aioredis.Redis:
    """A client whose pool waits for a free connection under bursts (instead of failing)."""
    pool = aioredis.BlockingConnectionPool.from_url(
        url, max_connections=max_connections, timeout=30, decode_responses=False
    )
    return aioredis.Redis.from_pool(pool)


async def warn_unless_durable(r: Any) -> bool:
    """Whether Redis is set up so an acknowledged write survives a crash (``appendonly yes``,
    ``appendfsync always``); one warning line if not. A Redis that refuses ``CONFIG`` (a
    managed service) cannot be checked and is trusted."""
    try:
        found = await r.config_get("append*")
    except Exception:
        return True
    config = {_text(k): _text(v) for k, v in found.items()}
    if config.get("appendonly") == "yes" and config.get("appendfsync") == "always":
        return True
    log.warning(
        "Redis may lose acknowledged deliveries in a crash: set appendonly yes and"
        " appendfsync always (docs/scaleout.md)",
        extra={"appendonly": config.get("appendonly"), "appendfsync": config.get("appendfsync")},
    )
    return False


class RedisQueue:
    """A ``JobQueue`` shared by any number of replicas through one Redis."""

    def __init__(
        self,
        url: str,
        *,
        namespace: str = "pitcrew:dev",
        visibility_timeout: float = 30.0,
        heartbeat_interval: float | None = None,
        dedupe_ttl_s: int = DEDUPE_TTL_S,
        done_retention_s: float = DONE_RETENTION_S,
        reclaim_limit: int = RECLAIM_LIMIT,
        client: aioredis.Redis | None = None,
    ) -> None:
        self.url = url
        self.namespace = namespace
        self.prefix = "{" + namespace + "}"
        self.visibility_timeout = float(visibility_timeout)
        self.heartbeat_interval = heartbeat_interval or self.visibility_timeout / 3
        self.dedupe_ttl_s = int(dedupe_ttl_s)
        self.done_retention_s = done_retention_s
        self.reclaim_limit = reclaim_limit
        self._client = client
        self._own_client = client is None
        self._leases: dict[int | str, str] = {}  # job id → lease token, for jobs we run
        self._heartbeat_task: asyncio.Task[None] | None = None
        self.lost: set[int | str] = set()  # jobs whose lease another replica took over

    # --- lifecycle -----------------------------------------------------------------
    @property
    def redis(self) -> aioredis.Redis:
        if self._client is None:
            raise RuntimeError("queue is not open")
        return self._client

    async def open(self, *, recover: bool = True) -> None:
        """Connect and start the lease heartbeat. ``recover`` is accepted for SQLite's
        signature; in Redis, jobs of dead replicas come back when their lease runs out."""
        if self._client is None:
            self._client = connect(self.url)
            self._own_client = True
        r = self._client
        self._enqueue = r.register_script(_ENQUEUE)
        self._claim = r.register_script(_CLAIM)
        self._finish = r.register_script(_FINISH)
        self._heartbeat = r.register_script(_HEARTBEAT)
        self._requeue = r.register_script(_REQUEUE)
        self._prune = r.register_script(_PRUNE)
        await r.ping()
        await warn_unless_durable(r)
        self._heartbeat_task = asyncio.create_task(self._heartbeat_loop(), name="redis-leases")

    async def close(self) -> None:
        """Hand back the jobs this replica still holds (interrupted by a shutdown) so another
        replica takes them at once, not after the visibility timeout; then disconnect."""
        if self._leases and self._client is not None:
            with contextlib.suppress(Exception):
                await self.release_held("replica shut down mid-job; re-queued")
        if self._heartbeat_task is not None:
            self._heartbeat_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._heartbeat_task
            self._heartbeat_task = None
        if self._client is not None and self._own_client:
            await self._client.aclose()
        if self._own_client:
            self._client = None

    # --- writes --------------------------------------------------------------------
    async def enqueue(
        self, *, delivery_id: str, event: str, action: str | None, key: str, body: bytes
    ) -> bool:
        """Atomically dedupe, store and queue; durable (AOF) on return. False = seen before."""
        marked_action = "" if action is None else "=" + action  # '' is None; '=' is ''
        now, ttl = time.time(), self.dedupe_ttl_s
        job_id = await self._enqueue(
            args=[self.prefix, delivery_id, event, marked_action, key, body, now, ttl]
        )
        return bool(job_id)

    async def claim(self) -> QueuedJob | None:
        jobs = await self.claim_many(1)
        return jobs[0] if jobs else None

    async def claim_many(self, limit: int) -> list[QueuedJob]:
        """Up to ``limit`` runnable jobs, each leased to this process; also reclaims jobs
        whose replica stopped renewing its lease."""
        if limit <= 0:
            return []
        raw = await self._claim(
            args=[
                self.prefix,
                time.time(),
                limit,
                self.visibility_timeout,
                self.reclaim_limit,
                SCAN_LIMIT,
            ]
        )
        jobs: list[QueuedJob] = []
        for flat, raw_id in zip(raw[::2], raw[1::2], strict=True):
            data = dict(zip(flat[::2], flat[1::2], strict=True))
            job = _job_from_hash(_job_id(raw_id), data)
            self._leases[job.id] = data[b"lease"].decode()
            jobs.append(job)
        return jobs

    async def _finish_job(
        self, job: QueuedJob, outcome: str, error: str = "", retry_at: float = 0.0
    ) -> bool:
        token = self._leases.get(job.id)
        if token is None:
            log.warning("job is not leased to this replica", extra={"job_id": job.id})
            return False
        ok = await self._finish(
            args=[
                self.prefix,
                str(job.id),
                token,
                time.time(),
                json.dumps(job.done_handlers),
                outcome,
                error,
                retry_at,
            ]
        )
        if outcome != "checkpoint" or not ok:
            self._leases.pop(job.id, None)
        if not ok:
            self.lost.add(job.id)
            log.warning(
                "lease lost: another replica took this job over; result not recorded",
                extra={"job_id": job.id, "delivery_id": job.delivery_id, "outcome": outcome},
            )
        return bool(ok)

    async def release_held(self, reason: str) -> int:
        """Re-queue every job leased to this process (their handlers were interrupted)."""
        released = 0
        for job_id in list(self._leases):
            stub = QueuedJob(id=job_id, delivery_id="", event="", action=None, key="", body=b"")
            stored = await self.get(job_id)
            stub.done_handlers = stored.done_handlers if stored else []
            released += await self._finish_job(stub, "release", reason)
        return released

    async def complete(self, job: QueuedJob) -> None:
        job.status = JobStatus.DONE
        await self._finish_job(job, "done")

    async def fail(self, job: QueuedJob, error: str, *, retry_at: float | None) -> None:
        job.last_error = error[:2000]
        if retry_at is None:
            job.status = JobStatus.DEAD
            await self._finish_job(job, "dead", job.last_error)
        else:
            job.status = JobStatus.QUEUED
            await self._finish_job(job, "retry", job.last_error, retry_at)

    async def checkpoint(self, job: QueuedJob) -> None:
        await self._finish_job(job, "checkpoint")

    async def heartbeat(self, job: QueuedJob | None = None) -> bool:
        """Renew the lease of ``job`` (or of every job this process holds, when None).

        False when the lease of ``job`` was lost: another replica may be running it now. The
        background loop calls this for all held jobs every ``heartbeat_interval`` seconds.
        """
        held = (
            dict(self._leases)
            if job is None
            else ({job.id: self._leases[job.id]} if job.id in self._leases else {})
        )
        if not held:
            return job is None
        args: list[Any] = [self.prefix, time.time(), self.visibility_timeout]
        for job_id, token in held.items():
            args += [str(job_id), token]
        lost = {_job_id(raw) for raw in await self._heartbeat(args=args)}
        for job_id in lost:
            if self._leases.pop(job_id, None) is not None:
                self.lost.add(job_id)
                log.warning("lease lost while running", extra={"job_id": job_id})
        return not lost

    async def _heartbeat_loop(self) -> None:
        last_prune = time.monotonic()
        while True:
            await asyncio.sleep(self.heartbeat_interval)
            try:
                await self.heartbeat()
                if time.monotonic() - last_prune > 3600:
                    last_prune = time.monotonic()
                    await self.prune()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("renewing job leases failed")

    async def requeue(self, job_id: int | str) -> bool:
        return bool(await self._requeue(args=[self.prefix, str(job_id), time.time()]))

    async def prune(self, older_than_s: float | None = None) -> int:
        """Forget finished jobs (their delivery ids keep deduplicating until the TTL)."""
        cutoff = time.time() - (self.done_retention_s if older_than_s is None else older_than_s)
        return int(await self._prune(args=[self.prefix, cutoff]))

    # --- reads -----------------------------------------------------------------------
    async def _ids(self, status: str | None, limit: int) -> list[bytes]:
        r, p = self.redis, self.prefix
        if status is None:
            return _members(await r.zrange(f"{p}:jobs", 0, limit - 1))
        by_status: dict[str, tuple[str, ...]] = {
            JobStatus.QUEUED: ("ready", "blocked"),
            JobStatus.RUNNING: ("running",),
            JobStatus.DEAD: ("dead",),
            JobStatus.DONE: ("done",),
        }
        ids: set[bytes] = set()
        for name in by_status.get(status, ()):
            ids.update(_members(await r.zrange(f"{p}:{name}", 0, -1)))
        return sorted(ids, key=lambda raw: (len(raw), raw))[:limit]

    async def list_jobs(self, status: str | None = None, limit: int = 1000) -> list[QueuedJob]:
        ids = await self._ids(status, limit)
        async with self.redis.pipeline(transaction=False) as pipe:
            for raw in ids:
                pipe.hgetall(f"{self.prefix}:job:{raw.decode()}")
            rows = await pipe.execute()
        jobs = [
            _job_from_hash(_job_id(raw), row) for raw, row in zip(ids, rows, strict=True) if row
        ]
        return [job for job in jobs if status is None or job.status == status]

    async def get(self, job_id: int | str) -> QueuedJob | None:
        row = await self.redis.hgetall(f"{self.prefix}:job:{job_id}")
        return _job_from_hash(_job_id(str(job_id)), row) if row else None

    async def depth(self) -> int:
        """Jobs waiting (ready, delayed or behind their key) or running."""
        async with self.redis.pipeline(transaction=False) as pipe:
            for name in ("ready", "blocked", "running"):
                pipe.zcard(f"{self.prefix}:{name}")
            counts = await pipe.execute()
        return sum(counts)
