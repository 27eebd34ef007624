"""Two real `pitcrew serve` processes on one Redis (PITCREW_REDIS_URL): the same delivery sent
to both, several times and concurrently, becomes one job."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import uuid

import aiohttp
import pytest

from bot.queue.redis import RedisQueue
from tests.conftest import ROOT, WEBHOOKS, delivery_headers
from tests.helpers import free_port


def comment_body() -> bytes:
    data = json.loads(
        (WEBHOOKS / "issue_comment" / "created.with-installation.payload.json").read_text()
    )
    data["comment"]["body"] = "/help"
    data["issue"]["pull_request"] = {"url": "https://api.github.com/repos/o/r/pulls/1"}
    return json.dumps(data).encode()


async def healthy(url: str, proc: subprocess.Popen, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            assert proc.poll() is None, f"pitcrew serve exited with {proc.returncode}"
            try:
                async with session.get(url + "/healthz") as resp:
                    if resp.status == 200:
                        return await resp.json()
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("pitcrew serve did not become healthy")


@pytest.fixture
async def two_serves(redis_server, tmp_path):
    app_id = str(uuid.uuid4().int % 10**9)
    procs, urls = [], []
    for i in range(2):
        port = free_port()
        env = {
            **os.environ,
            "PITCREW_WEBHOOK_SECRET": "test-secret",
            "PITCREW_REDIS_URL": redis_server.url,
            "PITCREW_APP_ID": app_id,
            "PITCREW_DATA_DIR": str(tmp_path / f"replica{i}"),
            "PITCREW_WORKERS": "1",
        }
        env.pop("PITCREW_PRIVATE_KEY", None)
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        await asyncio.gather(*[healthy(url, proc) for url, proc in zip(urls, procs, strict=True)])
        yield urls, f"pitcrew:{app_id}"
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


async def test_the_same_delivery_sent_to_two_replicas_is_one_job(two_serves, redis_server):
    urls, namespace = two_serves
    body = comment_body()
    delivery = str(uuid.uuid4())
    async with aiohttp.ClientSession() as session:

        async def send(url: str) -> int:
            headers = delivery_headers("issue_comment", body, delivery)
            async with session.post(url + "/webhook", data=body, headers=headers) as resp:
                return resp.status

        statuses = await asyncio.gather(*[send(url) for url in urls * 5])
    assert sorted(statuses) == [200] * 9 + [202]  # one queued, nine duplicates
    q = RedisQueue(redis_server.url, namespace=namespace)
    await q.open()
    try:
        jobs = await q.list_jobs()
    finally:
        await q.close()
    assert [j.delivery_id for j in jobs] == [delivery]
    async with aiohttp.ClientSession() as session:
        for url in urls:  # both replicas see the one shared queue
            async with session.get(url + "/healthz") as resp:
                assert resp.status == 200
                assert (await resp.json())["workers"]["running"]
