"""How many acknowledged deliveries a `kill -9` of Redis loses, per `appendfsync` setting.

    .venv/bin/python bench/redis_ack_durability.py --appendfsync everysec --rounds 30
    .venv/bin/python bench/redis_ack_durability.py --appendfsync always --rounds 30

Each round starts a real ``redis-server`` (``appendonly yes``) on a fresh data dir, enqueues 50
deliveries through ``RedisQueue`` (all acknowledged), kills Redis with SIGKILL, restarts it on
the same AOF and counts the jobs that survived. It also counts how many of the deliveries are
in the AOF file at the moment of the kill: a loss with none of them in the file means Redis
answered before it wrote them (``everysec`` postpones the AOF write while a slow background
fsync runs), not that the restart dropped them. Losses show up under disk pressure (another
process writing with fsync); run it next to one. Not a test: it is a probability, and the
answer (use ``appendfsync always``) is in docs/scaleout.md.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.queue.redis import RedisQueue

DELIVERIES = 50


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(data: Path, port: int, fsync: str) -> subprocess.Popen[bytes]:
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    args = [server, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(data), "--save", ""]
    args += ["--appendonly", "yes", "--appendfsync", fsync]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return proc
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


async def one_round(fsync: str) -> tuple[int, int, int]:
    """(acknowledged, survived, in the AOF file at the kill)."""
    data = Path(tempfile.mkdtemp(prefix="pitcrew-redis-bench-"))
    port = free_port()
    url, namespace = f"redis://127.0.0.1:{port}/0", f"bench:{uuid.uuid4().hex[:8]}"
    proc = start(data, port, fsync)
    try:
        queue = RedisQueue(url, namespace=namespace)
        await queue.open()
        acked = await asyncio.gather(
            *[
                queue.enqueue(
                    delivery_id=f"d{i}", event="push", action=None, key=f"o/r#{i}", body=b"{}"
                )
                for i in range(DELIVERIES)
            ]
        )
        await queue.close()
        proc.kill()
        proc.wait(10)
        aof = b"".join(f.read_bytes() for f in (data / "appendonlydir").glob("*.incr.aof"))
        in_file = sum(1 for i in range(DELIVERIES) if f"d{i}\r\n".encode() in aof)
        proc = start(data, port, fsync)
        queue = RedisQueue(url, namespace=namespace)
        await queue.open()
        survived = await queue.depth()
        await queue.close()
        return sum(acked), survived, in_file
    finally:
        proc.kill()
        proc.wait(10)
        shutil.rmtree(data, ignore_errors=True)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appendfsync", choices=["always", "everysec"], default="everysec")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    lossy = 0
    for n in range(args.rounds):
        acked, survived, in_file = await one_round(args.appendfsync)
        lossy += survived < acked
        print(f"round {n}: acknowledged {acked}, survived {survived}, in the AOF at the kill "
              f"{in_file}", flush=True)  # fmt: skip
    print(f"appendfsync {args.appendfsync}: {lossy}/{args.rounds} rounds lost acknowledged "
          "deliveries")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
