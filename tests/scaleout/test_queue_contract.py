"""The queue contract, run against both backends: SQLite (two handles on one file) and Redis
(two RedisQueue instances on one server, i.e. two replicas)."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.queue.redis import RedisQueue
from bot.queue.sqlite import SQLiteQueue


@pytest.fixture(params=["sqlite", "redis"])
async def replicas(request, tmp_path, namespace):
    """A factory of queue handles sharing one store: each handle stands for one replica."""
    opened = []

    async def make():
        if request.param == "sqlite":
            q = SQLiteQueue(tmp_path / "q.sqlite3")
        else:
            server = request.getfixturevalue("redis_server")
            q = RedisQueue(server.url, namespace=namespace)
        await q.open()
        opened.append(q)
        return q

    yield make
    for q in opened:
        await q.close()


async def put(q, delivery, key="o/r#1"):
    return await q.enqueue(
        delivery_id=delivery, event="pull_request", action="opened", key=key, body=b'{"a": 1}'
    )


async def test_a_delivery_is_accepted_once_even_concurrently_on_two_replicas(replicas):
    a, b = await replicas(), await replicas()
    results = await asyncio.gather(*[put(q, "same") for q in (a, b) * 10])
    assert results.count(True) == 1
    assert not await put(b, "same")
    jobs = await a.list_jobs()
    assert [j.delivery_id for j in jobs] == ["same"]
    assert jobs[0].payload() == {"a": 1} and jobs[0].action == "opened"


async def test_the_same_key_never_runs_on_two_replicas_at_once(replicas):
    a, b = await replicas(), await replicas()
    for delivery, key in (("1", "o/r#1"), ("2", "o/r#1"), ("3", "o/r#2")):
        await put(a, delivery, key)
    first = await a.claim()
    assert first.delivery_id == "1" and first.status == "running" and first.attempts == 1
    others = await b.claim_many(10)
    assert [j.delivery_id for j in others] == ["3"]  # "2" waits for "1", on any replica
    assert await a.claim_many(10) == []
    await a.complete(first)
    nxt = await b.claim()
    assert nxt.delivery_id == "2"


async def test_retry_at_delays_then_dead_letter_and_requeue(replicas):
    q = await replicas()
    await put(q, "d")
    job = await q.claim()
    await q.fail(job, "HTTP 502", retry_at=time.time() + 60)
    assert await q.claim() is None
    [stored] = await q.list_jobs("queued")
    assert stored.last_error == "HTTP 502" and stored.attempts == 1
    assert await q.depth() == 1
    assert await q.requeue(stored.id) is False  # only dead jobs are re-queued


async def test_a_due_retry_runs_again_and_dead_jobs_can_be_requeued(replicas):
    q = await replicas()
    await put(q, "d")
    job = await q.claim()
    await q.fail(job, "HTTP 502", retry_at=time.time() - 0.01)
    again = await q.claim()
    assert again.delivery_id == "d" and again.attempts == 2
    await q.fail(again, "gave up", retry_at=None)
    [dead] = await q.list_jobs("dead")
    assert dead.last_error == "gave up" and dead.status == "dead"
    assert await q.depth() == 0
    assert await q.requeue(str(dead.id))
    revived = await q.claim()
    assert revived.delivery_id == "d" and revived.attempts == 1
    await q.complete(revived)
    assert [j.status for j in await q.list_jobs()] == ["done"]
    assert await q.requeue("999999") is False


async def test_checkpointed_handlers_are_kept_for_the_retry(replicas):
    q = await replicas()
    await put(q, "d")
    job = await q.claim()
    job.done_handlers.append("bot.features.a.on_x")
    await q.checkpoint(job)
    await q.fail(job, "boom", retry_at=time.time() - 0.01)
    again = await q.claim()
    assert again.done_handlers == ["bot.features.a.on_x"]


async def test_public_json_fields(replicas):
    q = await replicas()
    await put(q, "d")
    [job] = await q.list_jobs()
    public = job.to_public()
    for name in ("id", "delivery_id", "event", "action", "status", "attempts", "last_error"):
        assert name in public
    assert public["status"] == "queued" and public["delivery_id"] == "d"
