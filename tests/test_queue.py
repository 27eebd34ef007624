"""The SQLite queue: durability, dedupe, key exclusion, retries, dead letters, the jobs CLI."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from bot.__main__ import main
from bot.queue.sqlite import SQLiteQueue


@pytest.fixture
async def queue(tmp_path):
    q = SQLiteQueue(tmp_path / "q.sqlite3")
    await q.open()
    yield q
    await q.close()


async def put(q, delivery, key="o/r#1", event="pull_request"):
    return await q.enqueue(delivery_id=delivery, event=event, action="opened", key=key, body=b"{}")


async def test_delivery_accepted_once(queue):
    assert await put(queue, "a")
    assert not await put(queue, "a")
    assert len(await queue.list_jobs()) == 1


async def test_same_key_never_runs_twice_at_once(queue):
    await put(queue, "a", key="o/r#1")
    await put(queue, "b", key="o/r#1")
    await put(queue, "c", key="o/r#2")
    first = await queue.claim()
    second = await queue.claim()
    assert {first.key, second.key} == {"o/r#1", "o/r#2"}
    assert await queue.claim() is None  # b waits for a
    await queue.complete(first if first.key == "o/r#1" else second)
    third = await queue.claim()
    assert third.delivery_id == "b"


async def test_retry_waits_until_retry_at_then_dead_letters(queue):
    await put(queue, "a")
    job = await queue.claim()
    await queue.fail(job, "HTTP 502", retry_at=time.time() + 60)
    assert await queue.claim() is None
    [stored] = await queue.list_jobs()
    assert stored.status == "queued" and stored.last_error == "HTTP 502" and stored.attempts == 1
    await queue.fail(job, "gave up", retry_at=None)
    [dead] = await queue.list_jobs("dead")
    assert dead.last_error == "gave up"
    assert await queue.requeue(dead.id)
    again = await queue.claim()
    assert again.delivery_id == "a"


async def test_running_jobs_are_recovered_after_a_crash(tmp_path):
    path = tmp_path / "q.sqlite3"
    q = SQLiteQueue(path)
    await q.open()
    await put(q, "a")
    job = await q.claim()
    job.done_handlers.append("bot.features.x.on_y")
    await q.checkpoint(job)
    await q.close()  # the process "dies" with the job running
    q2 = SQLiteQueue(path)
    await q2.open()
    recovered = await q2.claim()
    assert recovered.delivery_id == "a"
    assert recovered.attempts == 2
    assert recovered.done_handlers == ["bot.features.x.on_y"]
    await q2.close()


async def test_concurrent_enqueues_all_durable(queue):
    results = await asyncio.gather(*[put(queue, f"d{i}", key=f"o/r#{i}") for i in range(200)])
    assert all(results)
    assert await queue.depth() == 200


async def test_jobs_cli_json_and_retry(tmp_path, capsys):
    q = SQLiteQueue(tmp_path / "queue.sqlite3")
    await q.open()
    await put(q, "dead-one")
    job = await q.claim()
    await q.fail(job, "boom", retry_at=None)
    await put(q, "live-one", key="o/r#9")
    await q.close()

    assert (
        await asyncio.to_thread(main, ["jobs", "--data-dir", str(tmp_path), "--format", "json"])
        == 0
    )
    listed = json.loads(capsys.readouterr().out)
    assert [j["delivery_id"] for j in listed] == ["dead-one", "live-one"]
    for field in ("id", "delivery_id", "event", "action", "status", "attempts", "last_error"):
        assert field in listed[0]
    assert listed[0]["status"] == "dead" and listed[0]["last_error"] == "boom"

    argv = ["jobs", "--data-dir", str(tmp_path), "--failed", "--format", "json"]
    assert await asyncio.to_thread(main, argv) == 0
    assert [j["delivery_id"] for j in json.loads(capsys.readouterr().out)] == ["dead-one"]

    argv = ["jobs", "retry", str(listed[0]["id"]), "--data-dir", str(tmp_path)]
    assert await asyncio.to_thread(main, argv) == 0
    argv = ["jobs", "retry", "12345", "--data-dir", str(tmp_path)]
    assert await asyncio.to_thread(main, argv) == 1
    capsys.readouterr()
    argv = ["jobs", "--data-dir", str(tmp_path), "--failed", "--format", "json"]
    assert await asyncio.to_thread(main, argv) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_jobs_cli_without_queue_is_a_clear_error(tmp_path, capsys):
    assert main(["jobs", "--data-dir", str(tmp_path / "nope")]) == 2
    assert "no queue" in capsys.readouterr().err


async def test_a_busy_key_never_starves_others_and_keeps_its_order(queue):
    for i in range(50):
        await put(queue, f"busy-{i}", key="o/r#1")
    await put(queue, "other", key="o/r#2")
    first = await queue.claim()
    assert first.delivery_id == "busy-0"
    [other] = await queue.claim_many(10)  # one index seek past 49 waiting jobs
    assert other.delivery_id == "other"
    order = []
    job = first
    while job is not None:
        order.append(job.delivery_id)
        await queue.complete(job)
        job = await queue.claim()
    assert order == [f"busy-{i}" for i in range(50)]


async def test_requeued_dead_job_runs_again_after_restart(tmp_path):
    q = SQLiteQueue(tmp_path / "q.sqlite3")
    await q.open()
    await put(q, "a", key="o/r#1")
    await put(q, "b", key="o/r#1")
    job = await q.claim()
    await q.fail(job, "boom", retry_at=None)  # dead: "b" may run now
    nxt = await q.claim()
    assert nxt.delivery_id == "b"
    await q.close()
    q2 = SQLiteQueue(tmp_path / "q.sqlite3")
    await q2.open()  # "b" was running when the process died
    assert (await q2.claim()).delivery_id == "b"
    assert await q2.requeue(job.id)
    assert await q2.claim() is None  # "a" waits: "b" of the same key is running
    await q2.close()


async def test_write_ahead_log_stays_bounded_however_much_is_written(tmp_path):
    """Large bodies land in the database; the log is checkpointed and cut back as it goes.

    Without the checkpoint interval and size limit the log held every body written since the
    last checkpoint (4 MiB by SQLite's default), which alone filled a small data disk.
    """
    from bot.queue.sqlite import WAL_CHECKPOINT_PAGES, WAL_SIZE_LIMIT

    q = SQLiteQueue(tmp_path / "q.sqlite3")
    await q.open()
    body = b"x" * 100_000
    for i in range(60):  # 6 MB, one commit each, as webhooks arrive
        assert await q.enqueue(delivery_id=f"d{i}", event="e", action=None, key=f"k{i}", body=body)
        job = await q.claim()
        assert job is not None
        await q.complete(job)
    wal = (tmp_path / "q.sqlite3-wal").stat().st_size
    database = (tmp_path / "q.sqlite3").stat().st_size
    await q.close()
    assert database > 5_000_000
    bound = max(WAL_SIZE_LIMIT, WAL_CHECKPOINT_PAGES * 4096) + 2 * len(body)
    assert wal <= bound, f"the log grew to {wal} bytes"
