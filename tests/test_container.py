"""The container image, built and run with podman: health, non-root, HEALTHCHECK, a signed ping,
SIGTERM; and deploy/compose (Pitcrew ×2 + Redis) carrying one delivery to the fake GitHub.

No container registry is reachable from CI: when ``python:3.11-slim`` is not already in podman's
store, a stand-in base is built from Debian packages (``deploy/container/standin-base.sh``) and
passed as ``BASE_IMAGE``; the compose test's Redis is a stand-in built from Debian's redis-server.
Both stay in podman's store, so later runs on the same machine reuse them.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from tests.conftest import delivery_headers, sign
from tests.helpers import comment_event, free_port, world

ROOT = Path(__file__).resolve().parents[1]
CONTAINER_DIR = ROOT / "deploy" / "container"
CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
UPSTREAM_BASE = "docker.io/library/python:3.11-slim"
STANDIN_BASE = "localhost/pitcrew-base:3.11"
STANDIN_REDIS = "localhost/pitcrew-redis-standin:7"
IMAGE = "localhost/pitcrew:ci"
SECRET = "container-secret"
# building the stand-in base on a clean machine downloads Debian packages: minutes, not seconds
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def podman_env() -> dict[str, str]:
    return {**os.environ, "CONTAINERS_CONF": str(CONTAINER_DIR / "containers.conf")}


def podman(*args: str, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
    result = subprocess.run(
        ["podman", *args], env=podman_env(), capture_output=True, text=True, timeout=timeout
    )
    if check and result.returncode != 0:
        raise AssertionError(f"podman {' '.join(args[:3])} failed: {result.stderr[-2000:]}")
    return result


def build_args() -> list[str]:
    args = ["--format", "docker"]  # OCI format drops HEALTHCHECK
    if Path(CA_BUNDLE).exists():  # pip inside the build trusts what the host trusts
        args += ["-v", f"{CA_BUNDLE}:{CA_BUNDLE}:ro"]
    return args


@contextlib.contextmanager
def build_lock() -> Iterator[None]:
    """xdist may run this module's tests on two workers: one builds, the other reuses."""
    with open(Path(tempfile.gettempdir()) / "pitcrew-podman-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="module")
def base_image() -> str:
    with build_lock():
        return _base_image()


def _base_image() -> str:
    missing = [tool for tool in ("podman", "runc") if shutil.which(tool) is None]
    if missing:
        pytest.skip(
            f"{', '.join(missing)} not installed (apt-get install podman runc; .ci/run does)"
        )
    if podman("image", "exists", UPSTREAM_BASE, check=False).returncode == 0:
        return UPSTREAM_BASE
    if shutil.which("mmdebstrap") is None:
        pytest.skip("no python:3.11-slim locally and no mmdebstrap to build a stand-in base")
    started = time.monotonic()
    result = subprocess.run(
        [str(CONTAINER_DIR / "standin-base.sh"), STANDIN_BASE],
        env=podman_env(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    print(f"stand-in base ready in {time.monotonic() - started:.0f} s: {result.stdout.strip()}")
    return STANDIN_BASE


@pytest.fixture(scope="module")
def image(base_image: str) -> str:
    started = time.monotonic()
    with build_lock():
        podman("build", *build_args(), "--build-arg", f"BASE_IMAGE={base_image}", "-t", IMAGE,
               str(ROOT))  # fmt: skip
    size = int(podman("image", "inspect", "--format", "{{.Size}}", IMAGE).stdout.strip())
    print(f"image {IMAGE} on {base_image}: {size / 1e6:.0f} MB, built in "
          f"{time.monotonic() - started:.0f} s")  # fmt: skip
    return IMAGE


async def wait_healthy(url: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            try:
                async with session.get(url + "/healthz") as resp:
                    if resp.status == 200:
                        return await resp.json()
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.3)
    raise AssertionError(f"{url}/healthz never answered 200")


async def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers=headers) as resp,
    ):
        return resp.status, await resp.text()


async def test_image_serves_as_non_root_and_stops_on_sigterm(image: str) -> None:
    port = free_port()
    name = f"pitcrew-test-{uuid.uuid4().hex[:8]}"
    podman(
        "run", "-d", "--name", name, "-p", f"127.0.0.1:{port}:8000",
        "--health-interval", "disable",  # no systemd timer here: the check is run by hand below
        "-e", f"PITCREW_WEBHOOK_SECRET={SECRET}", image,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        health = await wait_healthy(url)
        assert health["status"] == "ok" and health["workers"]["running"]
        assert podman("exec", name, "id", "-u").stdout.strip() != "0"
        assert podman("healthcheck", "run", name, check=False).returncode == 0
        body = json.dumps({"zen": "Keep it logically awesome.", "hook_id": 1}).encode()
        headers = delivery_headers("ping", body)
        headers["X-Hub-Signature-256"] = sign(body, SECRET)
        status, text = await post(url + "/webhook", body, headers)
        assert status == 200 and "pong" in text
        started = time.monotonic()
        podman("kill", "--signal", "TERM", name)
        podman("wait", name, timeout=15)
        stopped_in = time.monotonic() - started
        assert stopped_in < 10, f"SIGTERM took {stopped_in:.1f} s"
        state = podman("inspect", "--format", "{{.State.ExitCode}}", name).stdout.strip()
        assert state == "0", podman("logs", name, check=False).stderr[-2000:]
        logs = podman("logs", name).stderr.splitlines()
        assert any(json.loads(line)["msg"] == "listening" for line in logs if line.startswith("{"))
    finally:
        podman("rm", "-f", name, check=False)


def _compose(project: str, files: list[Path], *args: str, env: dict[str, str]) -> str:
    beside_python = Path(sys.executable).parent / "podman-compose"  # the venv's, unactivated
    exe = str(beside_python) if beside_python.exists() else shutil.which("podman-compose")
    if exe is None:
        pytest.skip("podman-compose is not installed (pip install -e '.[test]')")
    argv = [exe, "-p", project]
    for file in files:
        argv += ["-f", str(file)]
    result = subprocess.run(
        [*argv, *args], env={**podman_env(), **env}, capture_output=True, text=True, timeout=600
    )
    if result.returncode != 0:
        raise AssertionError(f"podman-compose {' '.join(args)}: {result.stderr[-3000:]}")
    return result.stdout


async def test_compose_two_replicas_and_redis_carry_a_delivery(
    image: str, base_image: str, fake_github, app_key: str, tmp_path: Path
) -> None:
    podman("tag", image, "localhost/pitcrew:0.1.0")  # the compose file's image name
    with build_lock():
        podman(
            "build", *build_args(), "--build-arg", f"BASE_IMAGE={base_image}",
            "-f", str(CONTAINER_DIR / "redis-standin.Containerfile"), "-t", STANDIN_REDIS,
            str(CONTAINER_DIR),
        )  # fmt: skip
    repo = world(fake_github)
    number = fake_github.add_pull(repo, head_ref="feature")["number"]
    key = tmp_path / "private-key.pem"
    key.write_text(app_key)
    os.chown(key, 10001, -1)  # the image's user; the key stays unreadable to anyone else
    key.chmod(0o400)
    redis_port = free_port()
    fake_port = fake_github.base_url.rsplit(":", 1)[1]
    # The fake GitHub listens on the host's loopback only: the replicas reach it (and Redis's
    # published port) through slirp4netns's host-loopback address instead of the compose bridge.
    override = tmp_path / "compose.test.yml"
    replica = {
        "network_mode": "slirp4netns:allow_host_loopback=true",
        "environment": {
            "PITCREW_REDIS_URL": f"redis://10.0.2.2:{redis_port}/0",
            "PITCREW_GITHUB_URL": f"http://10.0.2.2:{fake_port}",
            "PITCREW_WRITE_INTERVAL": "0",
        },
    }
    override.write_text(
        json.dumps(
            {
                "services": {
                    "pitcrew-1": replica,
                    "pitcrew-2": replica,
                    "redis": {"ports": [f"127.0.0.1:{redis_port}:6379"]},
                }
            }
        )
    )
    env = {
        "PITCREW_APP_ID": str(fake_github.app_id),
        "PITCREW_WEBHOOK_SECRET": SECRET,
        "PITCREW_PRIVATE_KEY_FILE": str(key),
        "PITCREW_REDIS_IMAGE": STANDIN_REDIS,
    }
    project = f"pitcrew-test-{uuid.uuid4().hex[:6]}"
    files = [ROOT / "deploy" / "compose" / "docker-compose.yml", override]
    await asyncio.to_thread(_compose, project, files, "up", "-d", env=env)
    try:
        for port in (8001, 8002):
            await wait_healthy(f"http://127.0.0.1:{port}", timeout=90)
        payload = comment_event(fake_github, repo, number, "/help")
        body = json.dumps(payload).encode()
        headers = delivery_headers("issue_comment", body)
        headers["X-Hub-Signature-256"] = sign(body, SECRET)
        status, text = await post("http://127.0.0.1:8001/webhook", body, headers)
        assert status == 202, text
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            replies = [c for c in fake_github.comments(repo, number) if "/rebase" in c["body"]]
            if replies:
                break
            await asyncio.sleep(0.3)
        else:
            raise AssertionError("no reply to /help reached the fake GitHub through compose")
        assert len(replies) == 1
    finally:
        await asyncio.to_thread(_compose, project, files, "down", "-v", env=env)
