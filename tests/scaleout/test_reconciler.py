"""The redelivery reconciler: the pure decision, and the runner against a fake GitHub."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.appkeys import LEASE, RECONCILER
from bot.github import GitHubApp, RetryPolicy
from bot.leader import RedisLease, SQLiteLease
from bot.reconciler import LEASE_NAME, LeadershipLost, Reconciler, deliveries_to_redeliver
from tests.scaleout.fake_deliveries import FakeDeliveries, attempt

NOW = 1_800_000_000.0
HOUR = 3600.0

CASES = [
    pytest.param([], set(), [], id="nothing-delivered"),
    pytest.param([attempt(1, "g1", NOW - 60, 202)], set(), [], id="accepted-first-time"),
    pytest.param([attempt(1, "g1", NOW - 60, 502)], set(), [1], id="one-failure"),
    pytest.param([attempt(1, "g1", NOW - 60, 0)], set(), [1], id="timeout-has-code-0"),
    pytest.param(
        [attempt(1, "g1", NOW - 60, 502), attempt(2, "g1", NOW - 30, 200, redelivery=True)],
        set(),
        [],
        id="a-later-attempt-succeeded",
    ),
    pytest.param(
        [attempt(1, "g1", NOW - 90, 502), attempt(2, "g1", NOW - 30, 500, redelivery=True)],
        set(),
        [2],
        id="several-failures-redeliver-newest-once",
    ),
    pytest.param([attempt(1, "g1", NOW - 60, 502)], {"g1"}, [], id="already-requested-by-us"),
    pytest.param([attempt(1, "g1", NOW - 4 * 86400, 502)], set(), [], id="outside-3-day-window"),
    pytest.param(
        [
            attempt(3, "late", NOW - 10, 503),
            attempt(1, "early", NOW - 100, 502),
            attempt(2, "fine", NOW - 50, 200),
        ],
        set(),
        [1, 3],
        id="oldest-event-first",
    ),
    pytest.param([attempt(1, "g1", NOW - 60, 401)], set(), [1], id="4xx-is-a-failure-too"),
    pytest.param([{"id": 5, "status_code": 502}], set(), [], id="no-guid-ignored"),
    pytest.param([{"guid": "g", "status_code": 502}], set(), [], id="no-id-ignored"),
]


@pytest.mark.parametrize(("deliveries", "requested", "expected"), CASES)
def test_deliveries_to_redeliver(deliveries, requested, expected):
    assert deliveries_to_redeliver(deliveries, requested, now=NOW) == expected


@pytest.fixture(scope="module")
def private_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.fixture(params=["sqlite", "redis"])
async def lease(request, tmp_path, namespace):
    if request.param == "sqlite":
        store = SQLiteLease(tmp_path / "leader.sqlite3")
    else:
        store = RedisLease(request.getfixturevalue("redis_server").url, namespace=namespace)
    await store.open()
    yield store
    await store.close()


@pytest.fixture
async def github(private_key):
    fake = FakeDeliveries()
    server = TestServer(fake.app())
    await server.start_server()
    session = aiohttp.ClientSession()
    hub = GitHubApp(
        session=session,
        base_url=str(server.make_url("")).rstrip("/"),
        app_id="1",
        private_key=private_key,
        policy=RetryPolicy(attempts=1),
    )
    yield fake, hub
    await session.close()
    await server.close()


async def test_the_reconciler_redelivers_exactly_the_failed_guids(github, lease):
    fake, hub = github
    now = time.time()
    # 250 attempts over 3 pages; every 10th event failed; event 20 was then redelivered fine
    fake.deliveries = [
        attempt(i, f"guid-{i}", now - 3000 + i, 502 if i % 10 == 0 else 202) for i in range(1, 251)
    ]
    fake.deliveries.append(attempt(251, "guid-20", now - 10, 200, redelivery=True))
    fake.refuse = {30}  # GitHub refuses one: it is not retried forever either
    rec = Reconciler(hub, lease, initial_lookback_s=HOUR, holder="me")
    token = await lease.acquire(LEASE_NAME, "me", ttl=30)

    first = await rec.run_once(token)
    failed = [i for i in range(10, 251, 10) if i != 20]
    assert fake.redelivered == [i for i in failed if i != 30]
    assert first.redelivered == fake.redelivered and len(first.errors) == 1
    assert first.scanned == 251 and fake.list_calls == 3  # Link pagination followed
    assert fake.problems == []

    # the redeliveries failed again (the hook is still broken): not asked twice
    second = await rec.run_once(token)
    assert second.redelivered == [] and second.errors == []
    assert len(fake.redelivered) == len(failed) - 1

    # a new failure after the checkpoint is picked up; old pages are not re-read
    fake.list_calls = 0
    fake.deliveries.append(attempt(900, "guid-new", time.time(), 504))
    third = await rec.run_once(token)
    assert third.redelivered == [900]
    assert fake.list_calls == 1


async def test_a_stale_leader_neither_redelivers_nor_moves_the_checkpoint(github, lease):
    fake, hub = github
    fake.deliveries = [attempt(1, "g1", time.time() - 60, 502)]
    old = await lease.acquire(LEASE_NAME, "old", ttl=0.2)
    await asyncio.sleep(0.3)
    assert await lease.acquire(LEASE_NAME, "new", ttl=30) is not None
    rec = Reconciler(hub, lease, holder="old")
    with pytest.raises(LeadershipLost):
        await rec.run_once(old)
    assert fake.redelivered == []
    assert await lease.get_state(LEASE_NAME, "checkpoint") is None


async def test_wired_into_the_app_it_runs_in_embedded_mode(
    github, private_key, settings_factory, monkeypatch
):
    """The two cleanup contexts the service adds: SQLite lease + leader-run reconciler."""
    from bot.app import make_app

    fake, hub = github
    fake.deliveries = [attempt(7, "g7", time.time() - 60, 502)]
    settings = settings_factory(
        env={
            "PITCREW_APP_ID": "1",
            "PITCREW_PRIVATE_KEY": private_key,
            "PITCREW_GITHUB_URL": hub.base_url,
            "PITCREW_RECONCILE_INTERVAL_S": "60",
            "PITCREW_SCHEDULER_INTERVAL_S": "0",
        }
    )
    app = make_app(settings, start_workers=False)
    client = TestClient(TestServer(app))
    await client.start_server()
    try:
        assert isinstance(app[LEASE], SQLiteLease)
        assert isinstance(app[RECONCILER], Reconciler)
        for _ in range(100):
            if fake.redelivered:
                break
            await asyncio.sleep(0.05)
        assert fake.redelivered == [7]
    finally:
        await client.close()
    assert (settings.data_dir / "leader.sqlite3").exists()
