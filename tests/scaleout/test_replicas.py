"""Three replica processes share one Redis: a replica killed mid-job loses nothing and doubles
nothing; leadership moves when the leader is killed."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from redis import asyncio as aioredis

from bot.queue.redis import RedisQueue

ROOT = Path(__file__).resolve().parents[2]


async def wait_for(predicate, timeout: float = 15.0, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = await predicate()
        if value:
            return value
        await asyncio.sleep(interval)
    raise AssertionError(f"timed out waiting for {predicate.__name__}")


@pytest.fixture
async def cluster(redis_server, namespace):
    procs: dict[str, subprocess.Popen] = {}
    r = aioredis.from_url(redis_server.url, decode_responses=True)
    t = "{" + namespace + "}:t"

    async def start(name: str) -> None:
        procs[name] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.scaleout.replica",
                redis_server.url,
                namespace,
                name,
                "1.0",
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )

    for name in ("A", "B", "C"):
        await start(name)

    async def all_ready():
        return await r.llen(f"{t}:ready") == 3

    await wait_for(all_ready, timeout=30)
    yield procs, r, t
    for proc in procs.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs.values():
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    await r.aclose()


async def test_a_replica_killed_mid_job_loses_and_doubles_nothing(cluster, redis_server, namespace):
    procs, r, t = cluster
    q = RedisQueue(redis_server.url, namespace=namespace)
    await q.open()

    async def put(delivery: str, pr: str, sleep: float) -> bool:
        body = json.dumps({"pr": pr, "sleep": sleep}).encode()
        return await q.enqueue(
            delivery_id=delivery, event="issue_comment", action="created", key=pr, body=body
        )

    try:
        assert await put("slow", "o/r#1", 30)  # long enough to be killed in the middle

        async def slow_started():
            return await r.lrange(f"{t}:started", 0, -1)

        [victim_entry] = await wait_for(slow_started)
        victim = victim_entry.split(":")[0]
        procs[victim].kill()  # kill -9 mid-job: no ack, no more heartbeats
        procs[victim].wait(5)
        # the same PR again, plus other PRs, while the victim's job is still leased
        assert await put("after-kill", "o/r#1", 0)
        for i in range(30):
            assert await put(f"d{i}", f"o/r#{100 + i}", 0.01)
        assert not await put("d3", "o/r#103", 0)  # a redelivery of an accepted delivery

        # the re-run of "slow" sleeps 30 s too; make it quick now that the point is proven
        job = next(j for j in await q.list_jobs() if j.delivery_id == "slow")
        await r.hset(f"{q.prefix}:job:{job.id}", "body", json.dumps({"pr": "o/r#1", "sleep": 0}))

        expected = {"slow", "after-kill", *(f"d{i}" for i in range(30))}

        async def all_finished():
            finished = await r.lrange(f"{t}:finished", 0, -1)
            return finished if {f.split(":", 1)[1] for f in finished} == expected else None

        finished = await wait_for(all_finished, timeout=20)
        await asyncio.sleep(0.2)
        finished = await r.lrange(f"{t}:finished", 0, -1)
        deliveries = [f.split(":", 1)[1] for f in finished]
        assert sorted(deliveries) == sorted(expected)  # every delivery once: none lost/doubled
        slow_runner = next(f.split(":")[0] for f in finished if f.endswith(":slow"))
        assert slow_runner != victim  # another replica finished the dead one's job
        started = await r.lrange(f"{t}:started", 0, -1)
        assert next(s for s in started if s.endswith(":slow")) == f"{victim}:slow"
        # "after-kill" shares the PR key: it never ran while "slow" held it
        assert finished.index(f"{slow_runner}:slow") < next(
            i for i, f in enumerate(finished) if f.endswith(":after-kill")
        )
        assert int(await r.get(f"{t}:comments_created")) == 31  # one sticky comment per PR
        assert await q.depth() == 0
        jobs = await q.list_jobs()
        assert len(jobs) == 32 and {j.status for j in jobs} == {"done"}
        slow_job = next(j for j in jobs if j.delivery_id == "slow")
        assert slow_job.attempts == 2
    finally:
        await q.close()


async def test_leadership_moves_when_the_leader_is_killed(cluster):
    procs, r, t = cluster

    async def leaders():
        return await r.lrange(f"{t}:leaders", 0, -1)

    [first] = await wait_for(leaders)
    name, token = first.split(":")
    procs[name].kill()
    procs[name].wait(5)

    async def new_leader():
        entries = await leaders()
        return entries if len(entries) >= 2 else None

    entries = await wait_for(new_leader, timeout=10)
    assert len(entries) == 2  # one leader at a time: exactly one successor
    successor, new_token = entries[1].split(":")
    assert successor != name and int(new_token) > int(token)

    async def beat_from_successor():
        value = await r.hget("{" + t[1:].split("}")[0] + "}:state:sched", "beat")
        return value == entries[1]

    await wait_for(beat_from_successor, timeout=5)
