"""Redis-only behaviour: leases, reclaim after a replica dies, stale acks, durability, CLI."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest

from bot.__main__ import main
from bot.queue.redis import RedisQueue


@pytest.fixture
async def make_queue(redis_server, namespace):
    opened = []

    async def make(url=None, **kwargs):
        q = RedisQueue(url or redis_server.url, namespace=namespace, **kwargs)
        await q.open()
        opened.append(q)
        return q

    yield make
    for q in opened:
        await q.close()


async def put(q, delivery, key="o/r#1"):
    return await q.enqueue(
        delivery_id=delivery, event="issue_comment", action=None, key=key, body=b"{}"
    )


async def die(q: RedisQueue) -> None:
    """The replica is killed: no more heartbeats, no acks, no hand-back (jobs stay 'running')."""
    q._leases.clear()
    await q.close()


async def test_a_graceful_shutdown_hands_running_jobs_back_at_once(make_queue):
    a = await make_queue(visibility_timeout=30)
    b = await make_queue(visibility_timeout=30)
    await put(a, "first", key="o/r#1")
    await put(a, "second", key="o/r#1")
    job = await a.claim()
    job.done_handlers.append("h1")
    await a.checkpoint(job)
    await a.close()  # SIGTERM: the worker pool was stopped mid-job
    again = await b.claim_many(5)
    assert [j.delivery_id for j in again] == ["first"]  # still first in line for its key
    assert again[0].done_handlers == ["h1"] and "shut down" in again[0].last_error


async def test_a_job_of_a_dead_replica_is_reclaimed_after_the_visibility_timeout(make_queue):
    a = await make_queue(visibility_timeout=0.4)
    b = await make_queue(visibility_timeout=0.4)
    await put(a, "d1")
    job = await a.claim()
    job.done_handlers.append("h1")
    await a.checkpoint(job)
    await die(a)
    assert await b.claim() is None  # still leased: never on two replicas at once
    await asyncio.sleep(0.6)
    taken = await b.claim()
    assert taken.delivery_id == "d1" and taken.attempts == 2
    assert taken.done_handlers == ["h1"]
    assert "lease expired" in taken.last_error
    await b.complete(taken)
    [done] = await b.list_jobs("done")
    assert done.delivery_id == "d1" and done.last_error is None


async def test_heartbeats_keep_a_long_job_on_its_replica(make_queue):
    a = await make_queue(visibility_timeout=0.4, heartbeat_interval=0.1)
    b = await make_queue(visibility_timeout=0.4)
    await put(a, "long")
    job = await a.claim()
    await asyncio.sleep(1.0)  # 2.5 visibility timeouts
    assert await b.claim() is None
    assert await a.heartbeat(job)
    await a.complete(job)
    assert [j.status for j in await b.list_jobs()] == ["done"]


async def test_a_stale_replica_cannot_ack_a_job_taken_over_by_another(make_queue):
    a = await make_queue(visibility_timeout=0.3, heartbeat_interval=30)  # a "stalls"
    b = await make_queue(visibility_timeout=30)
    await put(a, "d1")
    stale = await a.claim()
    await asyncio.sleep(0.45)
    fresh = await b.claim()
    assert fresh.id == stale.id
    assert not await a.heartbeat(stale)
    assert stale.id in a.lost
    stale.done_handlers.append("from-stale")
    await a.complete(stale)  # refused: the job belongs to b now
    await a.fail(stale, "late", retry_at=None)  # refused too
    [job] = await b.list_jobs()
    assert job.status == "running" and job.done_handlers == []
    await b.complete(fresh)
    assert [j.status for j in await b.list_jobs()] == ["done"]


async def test_a_job_that_keeps_killing_its_replica_is_dead_lettered(make_queue):
    for _ in range(3):
        q = await make_queue(visibility_timeout=0.1, reclaim_limit=3)
        if not (await q.list_jobs()):
            await put(q, "poison")
        await asyncio.sleep(0.15)
        assert await q.claim() is not None
        await die(q)
    await asyncio.sleep(0.15)
    q = await make_queue(visibility_timeout=0.1, reclaim_limit=3)
    assert await q.claim() is None
    [dead] = await q.list_jobs("dead")
    assert dead.attempts == 3 and "lease expired" in dead.last_error


async def test_the_lock_of_a_dead_replica_is_released_for_the_key(make_queue):
    a = await make_queue(visibility_timeout=0.3)
    b = await make_queue(visibility_timeout=30)
    await put(a, "first", key="o/r#7")
    await put(a, "second", key="o/r#7")
    await a.claim()
    assert await b.claim_many(5) == []  # "second" waits behind the key
    assert await b.depth() == 2
    await die(a)
    await asyncio.sleep(0.45)
    batch = await b.claim_many(5)
    assert len(batch) == 1  # one of the two; the other still waits for the key
    await b.complete(batch[0])
    rest = await b.claim_many(5)
    assert len(rest) == 1 and rest[0].id != batch[0].id
    await b.complete(rest[0])
    assert await b.depth() == 0


async def test_many_jobs_behind_one_key_do_not_starve_other_keys(make_queue):
    q = await make_queue()
    await asyncio.gather(*[put(q, f"hot{i}", key="o/r#1") for i in range(300)])
    await put(q, "cold", key="o/r#2")
    first = await q.claim_many(4)
    assert sorted(j.key for j in first) == ["o/r#1", "o/r#2"]
    hot = next(j for j in first if j.key == "o/r#1")
    assert hot.delivery_id == "hot0"
    order = []
    while True:
        await q.complete(hot)
        nxt = await q.claim_many(4)
        if not nxt:
            break
        [hot] = nxt
        order.append(int(hot.delivery_id[3:]))
    assert len(order) == 299  # every one ran, one at a time
    assert await q.depth() == 1  # "cold" still running


async def test_acknowledged_deliveries_survive_a_redis_crash(own_redis, namespace):
    q = RedisQueue(own_redis.url, namespace=namespace)
    await q.open()
    assert all(await asyncio.gather(*[put(q, f"d{i}", key=f"o/r#{i}") for i in range(50)]))
    await q.close()
    own_redis.kill()  # kill -9: only what Redis wrote to its AOF survives
    own_redis.start()
    q = RedisQueue(own_redis.url, namespace=namespace)
    await q.open()
    try:
        assert await q.depth() == 50
        assert not await put(q, "d7")  # the dedupe record survived too
    finally:
        await q.close()


async def test_jobs_cli_lists_and_retries_on_redis(redis_server, monkeypatch, capsys):
    app_id = str(uuid.uuid4().int % 10**9)  # the CLI derives the namespace from the app id
    monkeypatch.setenv("PITCREW_REDIS_URL", redis_server.url)
    monkeypatch.setenv("PITCREW_APP_ID", app_id)
    q = RedisQueue(redis_server.url, namespace=f"pitcrew:{app_id}")
    await q.open()
    await put(q, "cli-dead")
    job = await q.claim()
    await q.fail(job, "boom", retry_at=None)
    await q.close()

    argv = ["jobs", "--failed", "--format", "json"]
    assert await asyncio.to_thread(main, argv) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [j["delivery_id"] for j in listed] == ["cli-dead"]
    assert listed[0]["last_error"] == "boom"
    assert await asyncio.to_thread(main, ["jobs", "retry", str(listed[0]["id"])]) == 0
    assert await asyncio.to_thread(main, ["jobs", "retry", "no-such-job"]) == 1
    capsys.readouterr()
    assert await asyncio.to_thread(main, argv) == 0
    assert json.loads(capsys.readouterr().out) == []
