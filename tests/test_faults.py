"""Bad days with real parts: GitHub down mid-burst, the data dir full, SIGTERM mid-burst.

Times are scaled down so each test stays well under a minute: the GitHub outage lasts ~8 s
instead of 5 minutes (with retry back-off scaled down alike); what is checked is the same —
nothing acknowledged is lost, nothing dead-letters because of the outage alone, and it recovers
by itself.
"""

from __future__ import annotations

import asyncio
import errno
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from bot.appkeys import QUEUE
from tests.conftest import delivery_headers
from tests.helpers import FAST_POLICY, comment_event, drain, free_port, pitcrew_settings, world

REPO = "octo-org/widgets"
ROOT = Path(__file__).resolve().parents[1]


def replies_by_comment(fake, numbers: list[int]) -> dict[int, int]:
    """How many replies Pitcrew posted to each comment id (its hidden reply marker)."""
    replies: dict[int, int] = {}
    for number in numbers:
        for comment in fake.comments(REPO, number):
            if comment["user"]["login"] != "pitcrew[bot]":
                continue
            marker = comment["body"].split("<!-- pitcrew:reply:", 1)[1].split(" -->", 1)[0]
            replies[int(marker)] = replies.get(int(marker), 0) + 1
    return replies


async def post(client, payload: dict, delivery: str) -> int:
    body = json.dumps(payload).encode()
    resp = await client.post(
        "/webhook", data=body, headers=delivery_headers("issue_comment", body, delivery)
    )
    return resp.status


async def test_github_503_for_a_while_mid_burst(app_client, settings_factory, fake_github, app_key):
    """5 minutes of 503 scaled to ~8 s; PITCREW_MAX_ATTEMPTS=2 would dead-letter every job that
    hit the outage if outage failures used up attempts."""
    world(fake_github)
    numbers = [fake_github.add_pull(REPO, head_ref=f"o{i}")["number"] for i in range(4)]
    settings = pitcrew_settings(
        settings_factory,
        fake_github,
        app_key,
        PITCREW_MAX_ATTEMPTS="2",
        PITCREW_RETRY_BASE_S="0.2",
        PITCREW_WORKERS="6",
    )
    client = await app_client(settings, policy=FAST_POLICY)
    comments: list[int] = []
    outage = None
    for i in range(16):
        if i == 6:
            outage = fake_github.inject("*", "*", status=503, times=None)
            outage_started = time.monotonic()
        payload = comment_event(fake_github, REPO, numbers[i % 4], "/help")
        assert await post(client, payload, f"outage-{i}") == 202
        comments.append(payload["comment"]["id"])
        await asyncio.sleep(0.05)
    assert outage is not None
    await asyncio.sleep(max(0.0, 8.0 - (time.monotonic() - outage_started)))
    assert outage.hits > 0, "the outage was not hit"
    fake_github.faults.remove(outage)  # GitHub is back
    recovered = time.monotonic()
    await drain(client, timeout=45)
    queue = client.app[QUEUE]
    assert await queue.list_jobs("dead") == []
    replies = replies_by_comment(fake_github, numbers)
    assert {c: replies.get(c) for c in comments} == {c: 1 for c in comments}
    # the per-installation bound held while every retry came back at once
    assert 0 < fake_github.peak_in_flight[77] <= FAST_POLICY.max_in_flight
    print(f"recovered {time.monotonic() - recovered:.1f}s after GitHub came back")


@pytest.fixture
def small_tmpfs(tmp_path):
    """A 4 MiB tmpfs as the data dir, so the disk can really fill up (the test stores ~2 MB)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(
            "the disk-full test mounts a small tmpfs and needs root (CAP_SYS_ADMIN): "
            + (done.stderr.strip() or f"mount exited {done.returncode}")
        )
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(directory: Path) -> Path:
    """Write a file until the file system answers ENOSPC."""
    filler = directory / "filler"
    chunk = b"\0" * 65536
    with open(filler, "wb") as out:
        try:
            while True:
                out.write(chunk)
                out.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc
    return filler


async def test_data_dir_full_answers_503_and_recovers(
    app_client, settings_factory, fake_github, app_key, small_tmpfs
):
    world(fake_github)
    numbers = [fake_github.add_pull(REPO, head_ref=f"d{i}")["number"] for i in range(3)]
    settings = pitcrew_settings(
        settings_factory, fake_github, app_key, PITCREW_DATA_DIR=str(small_tmpfs / "data")
    )
    client = await app_client(settings, policy=FAST_POLICY)
    padding = "x" * 120_000  # big bodies use up the little space left quickly

    def event(i: int) -> dict:
        payload = comment_event(fake_github, REPO, numbers[i % 3], "/help")
        payload["padding"] = padding
        return payload

    acknowledged: dict[str, int] = {}
    for i in range(3):
        payload = event(i)
        assert await post(client, payload, f"full-{i}") == 202
        acknowledged[f"full-{i}"] = payload["comment"]["id"]
    await drain(client)

    filler = fill(small_tmpfs)
    refused: dict[str, dict] = {}
    statuses = []
    for i in range(3, 15):
        payload = event(i)
        status = await post(client, payload, f"full-{i}")
        statuses.append(status)
        assert status in (202, 503), status  # never a 500, never a 202 for what was not stored
        if status == 202:
            acknowledged[f"full-{i}"] = payload["comment"]["id"]
        else:
            refused[f"full-{i}"] = payload
    assert refused, f"the full disk refused nothing: {statuses}"

    filler.unlink()  # space returns; no restart
    returned = time.monotonic()
    for delivery, payload in refused.items():  # GitHub's redelivery (the reconciler asks)
        assert await post(client, payload, delivery) == 202
        acknowledged[delivery] = payload["comment"]["id"]
    await drain(client, timeout=30)
    replies = replies_by_comment(fake_github, numbers)
    assert {c: replies.get(c) for c in acknowledged.values()} == {
        c: 1 for c in acknowledged.values()
    }
    jobs = await client.app[QUEUE].list_jobs()
    assert {j.delivery_id: j.status for j in jobs} == {d: "done" for d in acknowledged}
    print(f"{len(refused)} refused with 503; drained {time.monotonic() - returned:.1f}s after")


def start_serve(fake, app_key: str, data_dir: Path, port: int, **env: str) -> subprocess.Popen:
    import os

    from tests.conftest import SECRET

    full_env = {
        **os.environ,
        "PITCREW_WEBHOOK_SECRET": SECRET,
        "PITCREW_APP_ID": str(fake.app_id),
        "PITCREW_PRIVATE_KEY": app_key,
        "PITCREW_GITHUB_URL": fake.base_url,
        "PITCREW_DATA_DIR": str(data_dir),
        "PITCREW_WRITE_INTERVAL": "0",
        "PITCREW_SCHEDULER_INTERVAL_S": "0",
        "PITCREW_RECONCILE_INTERVAL_S": "0",
        **env,
    }
    argv = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)]
    return subprocess.Popen(
        argv, env=full_env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


async def wait_healthy(session: aiohttp.ClientSession, url: str, proc, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"serve exited {proc.returncode}: {proc.stderr.read()[-2000:]}"
        try:
            async with session.get(url + "/healthz") as resp:
                if resp.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError("serve did not become healthy")


@pytest.mark.slow
async def test_sigterm_mid_burst_stops_within_the_budget_and_loses_nothing(
    fake_github, app_key, tmp_path
):
    """Jobs are slowed by GitHub latency so several run when SIGTERM comes. The process must
    exit within PITCREW_SHUTDOWN_S; a restart then finishes every acknowledged delivery once."""
    world(fake_github)
    numbers = [fake_github.add_pull(REPO, head_ref=f"t{i}")["number"] for i in range(6)]
    fake_github.latency = 0.3
    data_dir, port = tmp_path / "data", free_port()
    url = f"http://127.0.0.1:{port}"
    shutdown_s = 6.0
    proc = start_serve(fake_github, app_key, data_dir, port, PITCREW_SHUTDOWN_S=str(shutdown_s))
    acknowledged: dict[str, int] = {}
    try:
        async with aiohttp.ClientSession() as session:
            await wait_healthy(session, url, proc, 30)
            for i in range(24):
                payload = comment_event(fake_github, REPO, numbers[i % 6], "/help")
                body = json.dumps(payload).encode()
                headers = delivery_headers("issue_comment", body, f"term-{i}")
                async with session.post(url + "/webhook", data=body, headers=headers) as resp:
                    assert resp.status == 202
                acknowledged[f"term-{i}"] = payload["comment"]["id"]
            await asyncio.sleep(0.5)  # jobs are running (each takes several slow calls)
            signalled = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            await asyncio.to_thread(proc.wait, shutdown_s + 10)
            took = time.monotonic() - signalled
            assert took <= shutdown_s + 1.5, f"SIGTERM took {took:.1f}s (budget {shutdown_s}s)"
            print(f"SIGTERM: exited {took:.1f}s after the signal (budget {shutdown_s}s)")
            assert proc.returncode == 0, proc.stderr.read()[-2000:]
            with pytest.raises(aiohttp.ClientError):  # intake closed
                async with session.get(url + "/healthz"):
                    pass

            fake_github.latency = 0.0
            proc = start_serve(fake_github, app_key, data_dir, port)
            await wait_healthy(session, url, proc, 30)
            deadline = time.monotonic() + 40
            while time.monotonic() < deadline:
                async with session.get(url + "/healthz") as resp:
                    if (await resp.json())["queue_depth"] == 0:
                        break
                await asyncio.sleep(0.2)
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(15)
    replies = replies_by_comment(fake_github, numbers)
    assert {c: replies.get(c) for c in acknowledged.values()} == {
        c: 1 for c in acknowledged.values()
    }
