"""`redis-server` killed and restarted (appendonly) mid-burst under three `pitcrew serve`
replicas: while Redis is down the intake answers 503 (never a 202 for a job not stored); after
the restart the same replica processes, without a restart of their own, finish every
acknowledged delivery, each exactly once."""

from __future__ import annotations

import asyncio
import json
import time

import aiohttp
import pytest

from bot.queue.redis import RedisQueue
from tests.conftest import delivery_headers
from tests.helpers import comment_event, free_port, world
from tests.test_faults import REPO, replies_by_comment, start_serve, wait_healthy

pytestmark = pytest.mark.slow


async def test_redis_killed_and_restarted_mid_burst(own_redis, fake_github, app_key, tmp_path):
    world(fake_github)
    numbers = [fake_github.add_pull(REPO, head_ref=f"r{i}")["number"] for i in range(6)]
    ports = [free_port() for _ in range(3)]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    procs = [
        start_serve(
            fake_github,
            app_key,
            tmp_path / f"replica{i}",
            port,
            PITCREW_REDIS_URL=own_redis.url,
            PITCREW_WORKERS="2",
        )
        for i, port in enumerate(ports)
    ]
    acknowledged: dict[str, int] = {}
    refused: dict[str, dict] = {}
    try:
        async with aiohttp.ClientSession() as session:
            await asyncio.gather(
                *[wait_healthy(session, u, p, 30) for u, p in zip(urls, procs, strict=True)]
            )

            async def send(i: int, delivery: str, payload: dict) -> int:
                body = json.dumps(payload).encode()
                headers = delivery_headers("issue_comment", body, delivery)
                url = urls[i % 3] + "/webhook"
                async with session.post(url, data=body, headers=headers) as resp:
                    if resp.status == 202:
                        acknowledged[delivery] = payload["comment"]["id"]
                    elif resp.status == 503:
                        refused[delivery] = payload
                    return resp.status

            statuses = []
            for i in range(36):
                if i == 12:
                    own_redis.kill()
                    killed = time.monotonic()
                if i == 24:
                    await asyncio.sleep(max(0.0, 3.0 - (time.monotonic() - killed)))
                    own_redis.start()  # same dir: the AOF is replayed
                    restarted = time.monotonic()
                payload = comment_event(fake_github, REPO, numbers[i % 6], "/help")
                statuses.append(await send(i, f"redis-{i}", payload))
                await asyncio.sleep(0.05)
            down = statuses[12:24]
            assert set(statuses) <= {202, 503}, statuses  # never a 500
            assert down == [503] * 12, f"while Redis was down: {down}"
            assert all(s == 202 for s in statuses[24:]), statuses[24:]
            for j, (delivery, payload) in enumerate(list(refused.items())):  # redeliveries
                assert await send(j, delivery, payload) == 202

            deadline = time.monotonic() + 60
            depths: list[int] = []
            while time.monotonic() < deadline:
                depths = []
                for url in urls:
                    async with session.get(url + "/healthz") as resp:
                        depths.append((await resp.json())["queue_depth"])
                if depths == [0, 0, 0]:
                    break
                await asyncio.sleep(0.2)
            assert depths == [0, 0, 0], depths
            drained = time.monotonic() - restarted
            assert all(proc.poll() is None for proc in procs), "a replica died"
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(30)
    replies = replies_by_comment(fake_github, numbers)
    assert {c: replies.get(c) for c in acknowledged.values()} == {
        c: 1 for c in acknowledged.values()
    }
    queue = RedisQueue(own_redis.url, namespace=f"pitcrew:{fake_github.app_id}")
    await queue.open()
    try:
        jobs = await queue.list_jobs()
    finally:
        await queue.close()
    assert {j.delivery_id: j.status for j in jobs} == {d: "done" for d in acknowledged}
    print(f"down {restarted - killed:.1f}s; drained {drained:.1f}s after the restart")
