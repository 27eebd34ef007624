"""`kill -9` of `pitcrew serve` mid-burst loses no acknowledged delivery and duplicates nothing."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from tests.conftest import SECRET, delivery_headers
from tests.helpers import comment_event, free_port, world

REPO = "octo-org/widgets"
ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def start_serve(fake, app_key: str, data_dir: Path, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "PITCREW_WEBHOOK_SECRET": SECRET,
        "PITCREW_APP_ID": str(fake.app_id),
        "PITCREW_PRIVATE_KEY": app_key,
        "PITCREW_GITHUB_URL": fake.base_url,
        "PITCREW_DATA_DIR": str(data_dir),
        "PITCREW_WRITE_INTERVAL": "0",
        "PITCREW_RETRY_BASE_S": "0.2",
    }
    argv = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)]
    return subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)  # fmt: skip


async def healthz(session: aiohttp.ClientSession, url: str) -> dict | None:
    try:
        async with session.get(url + "/healthz") as resp:
            return await resp.json()
    except aiohttp.ClientError:
        return None


async def wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await predicate():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


async def test_kill_9_mid_burst_then_restart(fake_github, app_key, tmp_path):
    world(fake_github)
    numbers = [fake_github.add_pull(REPO, head_ref=f"f{i}")["number"] for i in range(5)]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    data_dir = tmp_path / "data"
    proc = start_serve(fake_github, app_key, data_dir, port)
    acknowledged: dict[str, int] = {}  # delivery id -> comment id
    try:
        async with aiohttp.ClientSession() as session:
            await wait_until(lambda: healthz(session, url), 20, "serve to start")
            events = []
            for i in range(60):
                payload = comment_event(fake_github, REPO, numbers[i % 5], "/help")
                events.append((f"crash-{i}", payload))

            async def send(delivery: str, payload: dict) -> None:
                body = json.dumps(payload).encode()
                headers = delivery_headers("issue_comment", body, delivery)
                try:
                    async with session.post(url + "/webhook", data=body, headers=headers) as r:
                        if r.status == 202:
                            acknowledged[delivery] = payload["comment"]["id"]
                except (aiohttp.ClientError, ConnectionError):
                    pass  # not acknowledged: GitHub would show it as failed

            tasks = []
            for delivery, payload in events:
                tasks.append(asyncio.create_task(send(delivery, payload)))
                await asyncio.sleep(0.01)
                if len(acknowledged) >= 25 and proc.poll() is None:
                    proc.send_signal(signal.SIGKILL)  # mid-burst, jobs in flight
                    proc.wait(10)
            await asyncio.gather(*tasks)
            assert proc.poll() is not None, "the burst ended before the kill"
            assert 25 <= len(acknowledged) < len(events)

            proc = start_serve(fake_github, app_key, data_dir, port)

            async def drained() -> bool:
                health = await healthz(session, url)
                return bool(health) and health["queue_depth"] == 0

            await wait_until(drained, 60, "the restarted service to drain its queue")
    finally:
        if proc.poll() is None:
            proc.terminate()
            await asyncio.to_thread(proc.wait, 30)  # the fake GitHub lives on this loop

    replies: dict[int, int] = {}
    for number in numbers:
        for comment in fake_github.comments(REPO, number):
            if comment["user"]["login"] != "pitcrew[bot]":
                continue
            marker = comment["body"].split("<!-- pitcrew:reply:", 1)[1].split(" -->", 1)[0]
            replies[int(marker)] = replies.get(int(marker), 0) + 1
    for delivery, comment_id in acknowledged.items():
        assert replies.get(comment_id) == 1, f"delivery {delivery}: {replies.get(comment_id)}"
    assert all(count == 1 for count in replies.values()), "a comment got two replies"
    jobs = subprocess.run(
        [sys.executable, "-m", "bot", "jobs", "--data-dir", str(data_dir), "--format", "json"],
        capture_output=True, text=True, cwd=ROOT, check=True,
    ).stdout  # fmt: skip
    statuses = {job["delivery_id"]: job["status"] for job in json.loads(jobs)}
    assert all(statuses[d] == "done" for d in acknowledged), statuses
