"""A real ``redis-server`` on a free port with a temporary data dir (appendonly on)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import free_port

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


@dataclass
class RedisServer:
    """One redis-server process; ``kill``/``start`` simulate a crash and a restart."""

    dir: Path
    port: int
    proc: subprocess.Popen | None = None
    #: `always`, as docs/scaleout.md requires: with `everysec` Redis may acknowledge a write it
    #: has not written yet (postponed while a slow fsync runs), and a kill -9 then loses it
    appendfsync: str = "always"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.dir),
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                self.appendfsync,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.proc.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)


def _server(tmp: Path) -> RedisServer:
    if not Path(REDIS_SERVER).exists():
        pytest.skip(
            "redis-server not installed: `apt-get install redis-server` (.ci/run does) to run "
            "the scale-out tests"
        )
    server = RedisServer(dir=tmp, port=free_port())
    server.start()
    return server


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    server = _server(tmp_path_factory.mktemp("redis"))
    yield server
    server.kill()


@pytest.fixture
def own_redis(tmp_path):
    """A server of the test's own, for tests that crash it."""
    server = _server(tmp_path)
    yield server
    server.kill()


@pytest.fixture
def namespace() -> str:
    """Each test gets its own key space (its own "app id") on the shared server."""
    return f"pitcrew:test-{uuid.uuid4().hex[:8]}"
