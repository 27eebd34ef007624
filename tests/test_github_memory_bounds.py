"""What the GitHub client keeps in memory stays bounded however long the service runs (issue 15's
soak: RSS grew while new URLs, token scopes and endpoints kept coming)."""

from __future__ import annotations

import gc

import aiohttp
import pytest

from bot.github import GitHubApp, endpoint_group
from bot.github.client import ETagCache, answer_size
from tests.helpers import FAST_POLICY, INSTALLATION, world

REPO = "octo-org/widgets"


def answer(data: object) -> tuple[str, None, object, None]:
    return ('W/"etag"', None, data, None)


def test_etag_cache_is_bounded_by_the_size_of_what_it_holds():
    cache = ETagCache(max_bytes=10_000, max_entries=1000)
    page = {"body": "x" * 2_000}
    for i in range(50):
        cache[f"/repos/o/r/pulls/{i}"] = answer(page)
    assert cache.currsize <= 10_000
    assert 1 <= len(cache) <= 10_000 // answer_size(answer(page))
    assert "/repos/o/r/pulls/49" in cache  # the newest stay, the oldest went


def test_etag_cache_is_bounded_by_entries_too():
    cache = ETagCache(max_bytes=10**9, max_entries=10)
    for i in range(100):
        cache[f"/u/{i}"] = answer({})
    assert len(cache) == 10


def test_an_answer_larger_than_the_whole_cache_is_not_kept_nor_its_stale_etag():
    cache = ETagCache(max_bytes=1_000, max_entries=10)
    cache["/big"] = answer({"small": True})
    cache["/big"] = answer({"body": "x" * 5_000})  # no ValueError into gidgethub
    assert "/big" not in cache


@pytest.mark.parametrize(
    ("url", "group"),
    [
        ("/repos/o/r/compare/aaa...bbb", "compare"),
        ("/repos/o/r/contents/.github%2Fpitcrew.yml", "contents"),
        ("/repos/o/r/collaborators/alice/permission", "collaborators"),
        ("/repos/o/r/branches/feature-1", "branches"),
        ("/repos/o/r/issues/7/comments", "issues/comments"),
        ("/repos/o/r/commits/" + "a" * 40 + "/check-runs", "commits/check-runs"),
    ],
)
def test_metric_endpoint_label_has_no_free_names(url, group):
    assert endpoint_group(url) == group


@pytest.fixture
async def hub(fake_github, app_key):
    world(fake_github)
    fake_github.add_pull(REPO, 1, head_ref="feature")
    async with aiohttp.ClientSession() as session:
        yield GitHubApp(
            session=session,
            base_url=fake_github.base_url,
            app_id=str(fake_github.app_id),
            private_key=app_key,
            policy=FAST_POLICY,
        )


async def test_scoped_clients_share_one_etag_cache_and_still_get_304s(hub, fake_github):
    reader = hub.for_installation(
        INSTALLATION, repository="widgets", permissions={"pull_requests": "read"}
    )
    writer = hub.for_installation(
        INSTALLATION, repository="widgets", permissions={"pull_requests": "write"}
    )
    assert reader._limits.etag_cache is writer._limits.etag_cache
    assert hub.for_installation(INSTALLATION)._limits.etag_cache is reader._limits.etag_cache
    await writer.getitem(f"/repos/{REPO}/pulls/1")
    again = await writer.getitem(f"/repos/{REPO}/pulls/1")
    assert again["number"] == 1
    assert fake_github.calls_to("GET", f"/repos/{REPO}/pulls/1")[-1].status == 304


async def test_token_mint_locks_do_not_pile_up(hub, fake_github):
    for permission in ("contents", "issues"):
        await hub.for_installation(
            INSTALLATION, repository="widgets", permissions={permission: "read"}
        ).token()
    gc.collect()
    assert len(hub._token_locks) == 0  # a lock lives only while a mint holds or awaits it
    assert hub.token_requests == 2
