"""What Pitcrew promises about Redis: an acknowledged delivery survives a crash of Redis. That
needs ``appendfsync always``: with ``everysec`` Redis answers before it has written the AOF
while a slow background fsync runs (it postpones the write up to 2 s), and a ``kill -9`` then
loses deliveries already acknowledged to GitHub. ``bench/redis_ack_durability.py`` measures it
(1 lossy round in 10-30 under disk pressure with ``everysec``, none with ``always``; in the lossy
round only 1 of the 50 acknowledged deliveries was in the AOF file at the kill). The crash test
itself is ``test_redis_queue.py::test_acknowledged_deliveries_survive_a_redis_crash``; here, the
service says so when Redis is set up otherwise."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.queue.redis import RedisQueue
from tests.helpers import free_port
from tests.scaleout.conftest import REDIS_SERVER, RedisServer


async def test_the_queue_warns_once_when_redis_may_lose_acknowledged_deliveries(
    tmp_path, caplog, namespace
):
    if not Path(REDIS_SERVER).exists():
        pytest.skip("redis-server not installed (.ci/run installs it)")
    server = RedisServer(dir=tmp_path, port=free_port(), appendfsync="everysec")
    server.start()
    try:
        caplog.set_level(logging.WARNING, logger="bot.queue.redis")
        queue = RedisQueue(server.url, namespace=namespace)
        await queue.open()
        await queue.close()
    finally:
        server.kill()
    [warning] = [r for r in caplog.records if "may lose acknowledged" in r.getMessage()]
    assert warning.appendfsync == "everysec" and warning.appendonly == "yes"


async def test_a_durable_redis_gets_no_warning(own_redis, caplog, namespace):
    assert own_redis.appendfsync == "always"
    caplog.set_level(logging.WARNING, logger="bot.queue.redis")
    queue = RedisQueue(own_redis.url, namespace=namespace)
    await queue.open()
    await queue.close()
    assert not [r for r in caplog.records if "may lose acknowledged" in r.getMessage()]
