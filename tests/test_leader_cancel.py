"""A leader whose task is cancelled stops leading, even when its lease store swallows the
cancellation mid-command (redis-py can absorb one that lands while a command runs: under load
the old leader kept renewing forever, which hung
`tests/scaleout/test_leader.py::test_leadership_moves_when_the_leader_dies[redis]`)."""

from __future__ import annotations

import asyncio

from bot.leader import SQLiteLease, run_as_leader


async def test_a_leader_stops_even_if_its_store_swallows_the_cancellation(tmp_path):
    store = SQLiteLease(tmp_path / "leader.sqlite3")
    await store.open()
    in_renew = asyncio.Event()

    class Swallowing:
        """The real lease, behind a client that absorbs a cancellation during `renew`."""

        def __getattr__(self, name):
            return getattr(store, name)

        async def renew(self, *args):
            in_renew.set()
            try:
                await asyncio.sleep(0.05)
            except asyncio.CancelledError:
                pass  # what the library did
            return await store.renew(*args)

    async def work(_token: int) -> None:
        await asyncio.Event().wait()

    leader = asyncio.create_task(run_as_leader(Swallowing(), "x", work, holder="A", ttl=3))
    try:
        await asyncio.wait_for(in_renew.wait(), 10)
        leader.cancel()  # lands inside renew, where it is swallowed
        done, _ = await asyncio.wait({leader}, timeout=10)
        assert done, "the leader kept leading after it was cancelled"
        assert leader.cancelled()
        other = await store.acquire("x", "B", ttl=3)
        assert other is not None  # the lease was released: another replica leads at once
    finally:
        leader.cancel()
        await store.close()
