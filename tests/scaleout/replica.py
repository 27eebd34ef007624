"""One Pitcrew "replica" for the scale-out tests: the real RedisQueue, WorkerPool, dispatch and
leader election, with a trivial router, in its own process so a test can ``kill -9`` it.

    python -m tests.scaleout.replica REDIS_URL NAMESPACE NAME [VISIBILITY_S]

The handler records what it does in Redis under ``{NAMESPACE}:t:*``: ``started`` and
``finished`` lists of ``name:delivery``, and a sticky "comment" per PR (``HSET``, an upsert)
plus a ``comments_created`` counter bumped only when the comment did not exist yet.
"""

from __future__ import annotations

import asyncio
import signal
import sys

from gidgethub import routing
from redis import asyncio as aioredis

from bot.context import Context
from bot.leader import RedisLease, run_as_leader
from bot.metrics import Metrics
from bot.queue.redis import RedisQueue
from bot.repo_config import ConfigLoader
from bot.settings import load_settings
from bot.worker import WorkerPool


async def main(url: str, namespace: str, name: str, visibility: float) -> None:
    r = aioredis.from_url(url)
    t = "{" + namespace + "}:t"
    router = routing.Router()

    @router.register("issue_comment")
    async def on_comment(event, gh, *, ctx) -> None:
        await r.rpush(f"{t}:started", f"{name}:{event.delivery_id}")
        await asyncio.sleep(float(event.data.get("sleep", 0)))
        pr = event.data["pr"]
        if await r.hsetnx(f"{t}:comments", pr, f"sticky comment for {pr}"):
            await r.incr(f"{t}:comments_created")
        else:
            await r.hset(f"{t}:comments", pr, f"sticky comment for {pr} (edited)")
        await r.rpush(f"{t}:finished", f"{name}:{event.delivery_id}")

    queue = RedisQueue(
        url, namespace=namespace, visibility_timeout=visibility, heartbeat_interval=visibility / 4
    )
    await queue.open()
    lease = RedisLease(url, namespace=namespace)
    await lease.open()
    settings = load_settings({"PITCREW_WEBHOOK_SECRET": "x"})
    ctx = Context(settings=settings, metrics=Metrics(), config_loader=ConfigLoader())
    pool = WorkerPool(queue, router, ctx, concurrency=2, poll_interval=0.05)
    pool.start()

    async def lead(token: int) -> None:
        await r.rpush(f"{t}:leaders", f"{name}:{token}")
        while True:
            await lease.put_state("sched", "beat", f"{name}:{token}", token)
            await asyncio.sleep(0.05)

    leader = asyncio.create_task(run_as_leader(lease, "sched", lead, holder=name, ttl=visibility))
    await r.rpush(f"{t}:ready", name)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    leader.cancel()
    await asyncio.gather(leader, return_exceptions=True)
    await pool.stop()
    await queue.close()
    await lease.close()
    await r.aclose()


if __name__ == "__main__":
    url, namespace, name = sys.argv[1:4]
    asyncio.run(main(url, namespace, name, float(sys.argv[4]) if len(sys.argv) > 4 else 1.0))
