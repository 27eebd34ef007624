"""The GitHub module against the fake: tokens, retries, rate limits, ETags, sticky comments."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest
from gidgethub import BadRequest

from bot import github
from bot.github import GitHubApp, RetryLater, RetryPolicy, TransientGitHubError
from tests.helpers import FAST_POLICY, INSTALLATION, world


@pytest.fixture
async def hub(fake_github, app_key):
    world(fake_github)
    fake_github.add_pull("octo-org/widgets", 1, head_ref="feature")
    async with aiohttp.ClientSession() as session:
        yield GitHubApp(
            session=session,
            base_url=fake_github.base_url,
            app_id=str(fake_github.app_id),
            private_key=app_key,
            policy=FAST_POLICY,
        )


PR_PATH = "/repos/octo-org/widgets/pulls/1"


async def test_one_token_per_installation_under_load(hub, fake_github):
    gh = hub.for_installation(INSTALLATION)
    await asyncio.gather(*[gh.getitem(PR_PATH) for _ in range(50)])
    assert fake_github.token_requests(INSTALLATION) == 1


async def test_token_refreshed_five_minutes_before_expiry(hub, fake_github):
    now = [time.time()]
    hub.clock = lambda: now[0]
    first = await hub.installation_token(INSTALLATION)
    now[0] += 50 * 60  # 10 minutes before a 1-hour token expires: still served from cache
    assert await hub.installation_token(INSTALLATION) == first
    now[0] += 6 * 60  # inside the 5-minute margin: refreshed
    second = await hub.installation_token(INSTALLATION)
    assert second != first
    assert fake_github.token_requests(INSTALLATION) == 2


async def test_5xx_is_retried_then_succeeds(hub, fake_github):
    fake_github.inject("GET", PR_PATH, status=502, times=2)
    pr = await hub.for_installation(INSTALLATION).getitem(PR_PATH)
    assert pr["number"] == 1
    assert len(fake_github.calls_to("GET", PR_PATH)) == 3


async def test_5xx_forever_gives_a_transient_error_not_a_loop(hub, fake_github):
    fake_github.inject("GET", PR_PATH, status=503, times=None)
    with pytest.raises(TransientGitHubError):
        await hub.for_installation(INSTALLATION).getitem(PR_PATH)
    assert len(fake_github.calls_to("GET", PR_PATH)) == FAST_POLICY.attempts


async def test_secondary_rate_limit_honours_retry_after(hub, fake_github):
    fake_github.inject_secondary_rate_limit("GET", PR_PATH, retry_after=1)
    started = time.monotonic()
    await hub.for_installation(INSTALLATION).getitem(PR_PATH)
    assert time.monotonic() - started >= 1.0
    assert len(fake_github.calls_to("GET", PR_PATH)) == 2


async def test_429_without_retry_after_waits_the_default(hub, fake_github):
    fake_github.inject("GET", PR_PATH, status=429)
    started = time.monotonic()
    await hub.for_installation(INSTALLATION).getitem(PR_PATH)
    assert time.monotonic() - started >= FAST_POLICY.default_rate_wait
    assert len(fake_github.calls_to("GET", PR_PATH)) == 2


async def test_primary_limit_far_away_hands_the_job_back(hub, fake_github):
    fake_github.inject_primary_rate_limit("GET", PR_PATH, reset_in=600)
    with pytest.raises(RetryLater) as info:
        await hub.for_installation(INSTALLATION).getitem(PR_PATH)
    assert info.value.at >= time.time() + 500  # retried after the reset, not in a tight loop
    assert len(fake_github.calls_to("GET", PR_PATH)) == 1


async def test_plain_403_is_not_retried(hub, fake_github):
    fake_github.inject("GET", PR_PATH, status=403, body={"message": "Resource not accessible"})
    with pytest.raises(BadRequest):
        await hub.for_installation(INSTALLATION).getitem(PR_PATH)
    assert len(fake_github.calls_to("GET", PR_PATH)) == 1


async def test_dropped_connection_and_slow_reply_are_retried(hub, fake_github):
    fake_github.inject("GET", PR_PATH, drop=True)
    gh = hub.for_installation(INSTALLATION)
    assert (await gh.getitem(PR_PATH))["number"] == 1
    hub.policy = RetryPolicy(**{**FAST_POLICY.__dict__, "request_timeout": 0.3})
    fake_github.inject("GET", PR_PATH, delay=1.0)
    assert (await gh.getitem(PR_PATH))["number"] == 1


async def test_repeated_get_is_conditional_and_free(hub, fake_github):
    gh = hub.for_installation(INSTALLATION)
    await gh.getitem(PR_PATH)
    charged = sum(fake_github.rate_limited_calls.values())
    again = await gh.getitem(PR_PATH)
    assert again["number"] == 1
    assert fake_github.calls_to("GET", PR_PATH)[-1].status == 304
    assert sum(fake_github.rate_limited_calls.values()) == charged


async def test_sticky_comment_created_once_then_edited_in_place(hub, fake_github):
    gh = hub.for_installation(INSTALLATION)
    args = (gh, "octo-org", "widgets", 1, "diagnosis")
    state, _ = await github.upsert_comment(*args, "first")
    assert state == "created"
    state, _ = await github.upsert_comment(*args, "first")
    assert state == "unchanged"
    state, _ = await github.upsert_comment(*args, "second")
    assert state == "updated"
    bodies = [c["body"] for c in fake_github.comments("octo-org/widgets", 1)]
    assert len(bodies) == 1 and "second" in bodies[0] and "<!-- pitcrew:diagnosis -->" in bodies[0]
    assert len(fake_github.calls_to("PATCH", "/repos/*/issues/comments/*")) == 1


async def test_sticky_comment_never_carries_a_token(hub, fake_github):
    gh = hub.for_installation(INSTALLATION)
    token = await hub.installation_token(INSTALLATION)
    await github.upsert_comment(gh, "octo-org", "widgets", 1, "x", f"leaked {token} here")
    [comment] = fake_github.comments("octo-org/widgets", 1)
    assert token not in comment["body"]


async def test_labels_reactions_permissions_and_files(hub, fake_github):
    gh = hub.for_installation(INSTALLATION)
    await github.add_labels(gh, "octo-org", "widgets", 1, "needs-rebase")
    assert fake_github.labels("octo-org/widgets", 1) == ["needs-rebase"]
    assert await github.remove_label(gh, "octo-org", "widgets", 1, "needs-rebase")
    assert not await github.remove_label(gh, "octo-org", "widgets", 1, "needs-rebase")
    assert await github.permission_of(gh, "octo-org", "widgets", "tara") == "triage"
    assert await github.permission_of(gh, "octo-org", "widgets", "nobody") == "none"
    fake_github.add_file("octo-org/widgets", ".github/pitcrew.yml", "rebase: {auto: all}\n")
    text = await github.get_file(gh, "octo-org", "widgets", ".github/pitcrew.yml")
    assert text == "rebase: {auto: all}\n"
    assert await github.get_file(gh, "octo-org", "widgets", "missing.txt") is None
