"""The scheduler leads like the reconciler: its lease is renewed while it leads, a replica whose
lease was taken over fires nothing (fencing token), and a failing tick logs one warning line
per back-off step instead of a traceback per tick."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import pytest

from bot.appkeys import CTX, QUEUE
from bot.leader import LeadershipLost, SQLiteLease
from bot.scheduler import LEASE_NAME, KnownRepo, Scheduler
from tests.helpers import FAST_POLICY, INSTALLATION, pitcrew_settings, world

REPO = "octo-org/widgets"
MONDAY_8 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC).timestamp()


@pytest.fixture
async def parts(app_client, settings_factory, fake_github, app_key, tmp_path):
    world(fake_github)
    fake_github.add_file(REPO, ".github/pitcrew.yml", "report:\n  schedule: '0 8 * * 1'\n")
    settings = pitcrew_settings(settings_factory, fake_github, app_key)
    client = await app_client(settings, policy=FAST_POLICY, start_workers=False)
    lease = SQLiteLease(tmp_path / "leases.sqlite3")
    await lease.open()
    yield client.app[CTX], client.app[QUEUE], lease
    await lease.close()


async def test_a_replica_whose_lease_was_taken_over_fires_nothing(parts):
    ctx, queue, lease = parts
    repo = KnownRepo("octo-org", "widgets", INSTALLATION)
    old = Scheduler(ctx, queue, lease, interval=0.1)
    token = await lease.acquire(LEASE_NAME, old.holder, ttl=0.2)
    assert token is not None
    await asyncio.sleep(0.3)  # old stalls past its lease (GC pause, partition)...
    new = Scheduler(ctx, queue, lease, interval=0.1)
    assert await lease.acquire(LEASE_NAME, new.holder, ttl=5) is not None  # ...and is replaced
    with pytest.raises(LeadershipLost):
        await old.tick(MONDAY_8 + 30, [repo], token=token)
    assert await queue.list_jobs() == []


async def test_leadership_is_renewed_while_the_scheduler_runs(parts):
    ctx, queue, lease = parts
    leader = Scheduler(ctx, queue, lease, interval=1.0)  # lease ttl 3 s, renewed every 1 s
    leader._repos, leader._repos_at = [KnownRepo("octo-org", "widgets", INSTALLATION)], 1e18
    leader.start()
    try:
        await asyncio.sleep(0.5)
        other = Scheduler(ctx, queue, lease, interval=1.0)
        for _ in range(10):  # 5 s, well past the 3 s ttl: never free, because it is renewed
            assert await lease.acquire(LEASE_NAME, other.holder, ttl=3) is None
            await asyncio.sleep(0.5)
    finally:
        await leader.stop()
    assert await lease.acquire(LEASE_NAME, "after", ttl=3) is not None  # released on stop


async def test_an_unreachable_github_logs_one_line_per_back_off_step(parts, fake_github, caplog):
    ctx, queue, _lease = parts
    fake_github.inject("*", "*", status=503, times=None)
    scheduler = Scheduler(ctx, queue, None, interval=0.05)
    with caplog.at_level(logging.WARNING, logger="bot.scheduler"):
        scheduler.start()
        await asyncio.sleep(1.0)
        await scheduler.stop()
    lines = [r for r in caplog.records if r.name == "bot.scheduler"]
    assert lines, "the failing tick was not reported"
    assert all(r.levelno == logging.WARNING and r.exc_info is None for r in lines)
    waits = [r.wait_s for r in lines]
    assert waits == sorted(waits) and waits[-1] > waits[0]  # backing off, not once per tick
