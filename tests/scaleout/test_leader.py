"""Leases and fencing on both backends; leadership moving when the leader stops renewing."""

from __future__ import annotations

import asyncio

import pytest

from bot.leader import RedisLease, SQLiteLease, open_lease, run_as_leader


@pytest.fixture(params=["sqlite", "redis"])
async def leases(request, tmp_path, namespace):
    """Factory of lease handles on one store (one handle = one replica)."""
    opened = []

    async def make():
        if request.param == "sqlite":
            lease = SQLiteLease(tmp_path / "leader.sqlite3")
        else:
            lease = RedisLease(request.getfixturevalue("redis_server").url, namespace=namespace)
        await lease.open()
        opened.append(lease)
        return lease

    yield make
    for lease in opened:
        await lease.close()


async def test_one_holder_at_a_time_and_reentrant_for_the_holder(leases):
    a, b = await leases(), await leases()
    token = await a.acquire("scheduler", "A", ttl=30)
    assert token is not None
    assert await b.acquire("scheduler", "B", ttl=30) is None
    assert await a.acquire("scheduler", "A", ttl=30) == token  # same term, extended
    assert await a.acquire("other", "A", ttl=30) is not None  # names are independent
    assert await b.check("scheduler", token)
    assert await a.renew("scheduler", "A", token, ttl=30)
    assert not await b.renew("scheduler", "B", token, ttl=30)
    assert not await b.release("scheduler", "B", token)
    assert await a.release("scheduler", "A", token)
    second = await b.acquire("scheduler", "B", ttl=30)
    assert second is not None and second > token


async def test_fencing_refuses_a_stale_leaders_writes(leases):
    a, b = await leases(), await leases()
    old = await a.acquire("reconciler", "A", ttl=0.2)
    assert await a.put_state("reconciler", "checkpoint", "1", old)
    await asyncio.sleep(0.3)  # A stalls past its expiry
    new = await b.acquire("reconciler", "B", ttl=30)
    assert new is not None and new > old
    assert not await a.check("reconciler", old)
    assert not await a.renew("reconciler", "A", old, ttl=30)
    assert not await a.put_state("reconciler", "checkpoint", "stale", old)
    assert await b.put_state("reconciler", "checkpoint", "2", new)
    assert await a.get_state("reconciler", "checkpoint") == "2"
    assert await a.get_state("reconciler", "missing") is None


async def test_tokens_keep_growing_across_expiry_and_release(leases):
    a = await leases()
    tokens = []
    for _ in range(3):
        token = await a.acquire("x", "A", ttl=30)
        tokens.append(token)
        await a.release("x", "A", token)
    assert tokens == sorted(set(tokens))


async def test_leadership_moves_when_the_leader_dies(leases):
    a, b = await leases(), await leases()
    log: list[tuple[str, int]] = []

    def worker(name: str):
        async def work(token: int) -> None:
            while True:
                log.append((name, token))
                await asyncio.sleep(0.02)

        return work

    task_a = asyncio.create_task(run_as_leader(a, "sched", worker("A"), holder="A", ttl=0.3))
    await asyncio.sleep(0.15)
    task_b = asyncio.create_task(run_as_leader(b, "sched", worker("B"), holder="B", ttl=0.3))
    await asyncio.sleep(0.3)
    assert {name for name, _ in log} == {"A"}  # B waits while A renews
    # A "dies": its task stops without releasing (as if killed), so B must wait out the ttl
    task_a.cancel()
    a.release = _never_released  # type: ignore[method-assign]
    await asyncio.gather(task_a, return_exceptions=True)
    await asyncio.sleep(0.8)
    task_b.cancel()
    await asyncio.gather(task_b, return_exceptions=True)
    names = [name for name, _ in log]
    assert names[-1] == "B"
    tokens = {name: token for name, token in log}
    assert tokens["B"] > tokens["A"]
    assert names == sorted(names)  # never interleaved: one leader at a time


async def _never_released(*_args, **_kwargs) -> bool:
    return False


async def test_work_is_cancelled_when_the_lease_is_lost(leases):
    a, b = await leases(), await leases()
    cancelled = asyncio.Event()

    async def work(token: int) -> None:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    task = asyncio.create_task(run_as_leader(a, "job", work, holder="A", ttl=0.3, retry_every=10))
    await asyncio.sleep(0.05)
    assert await a.acquire("job", "A", ttl=0.3) is not None
    # someone else steals the term (an operator, or A's renewals failing for a while)
    token = int(await a.acquire("job", "A", ttl=0.3))
    await a.release("job", "A", token)
    assert await b.acquire("job", "B", ttl=30) is not None
    await asyncio.wait_for(cancelled.wait(), 2)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_run_as_leader_returns_the_result_and_releases(leases):
    a, b = await leases(), await leases()

    async def work(token: int) -> int:
        return token * 10

    result = await run_as_leader(a, "once", work, holder="A", ttl=5)
    assert result > 0
    assert await b.acquire("once", "B", ttl=5) == result // 10 + 1


def test_open_lease_follows_the_settings(settings_factory, tmp_path):
    assert isinstance(open_lease(settings_factory()), SQLiteLease)
    settings = settings_factory(env={"PITCREW_REDIS_URL": "redis://127.0.0.1:1/0"})
    lease = open_lease(settings)
    assert isinstance(lease, RedisLease) and lease.prefix == "{pitcrew:dev}"
