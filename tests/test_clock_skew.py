"""Clock skew: a local clock an hour fast or slow neither mints a token per call nor gets its
JWTs refused; Pitcrew learns GitHub's clock from the `Date` header of its answers.

The skew is injected through `GitHubApp.clock` (the process's idea of "now"); the fake GitHub
checks JWT `iat`/`exp` and token expiry against the real time, as GitHub does with its own.
"""

from __future__ import annotations

import time

import aiohttp
import pytest

from bot.github import GitHubApp
from tests.helpers import FAST_POLICY, INSTALLATION, world


@pytest.mark.parametrize("skew", [3600.0, -3600.0], ids=["local clock 1 h fast", "1 h slow"])
async def test_tokens_and_jwts_use_githubs_clock(fake_github, app_key, skew):
    world(fake_github)
    async with aiohttp.ClientSession() as session:
        hub = GitHubApp(
            session=session,
            base_url=fake_github.base_url,
            app_id=str(fake_github.app_id),
            private_key=app_key,
            policy=FAST_POLICY,
            clock=lambda: time.time() + skew,
        )
        gh = hub.for_installation(INSTALLATION)
        for _ in range(5):
            repo = await gh.getitem("/repos/octo-org/widgets")
            assert repo["full_name"] == "octo-org/widgets"
        # one token for all five calls, although its expires_at looks past (or far) by our clock
        assert fake_github.token_requests(INSTALLATION) == 1
        assert abs(hub.clock_offset + skew) < 5
        assert abs(hub.now() - time.time()) < 5
        # once the offset is known, the first JWT is accepted (no second refusal)
        refused = [c for c in fake_github.calls_to("POST", "/app/installations/*/access_tokens")
                   if c.status == 401]  # fmt: skip
        assert len(refused) == 1, "the JWT dated by the skewed clock is refused once, then fixed"
        app = await hub.app_client().getitem("/app", jwt=hub.jwt())
        assert app["id"] == fake_github.app_id


async def test_a_token_is_refreshed_by_githubs_clock_before_it_expires(fake_github, app_key):
    world(fake_github)
    now = [time.time() - 1800]  # local clock 30 min slow

    async with aiohttp.ClientSession() as session:
        hub = GitHubApp(
            session=session,
            base_url=fake_github.base_url,
            app_id=str(fake_github.app_id),
            private_key=app_key,
            policy=FAST_POLICY,
            clock=lambda: now[0],
        )
        gh = hub.for_installation(INSTALLATION)
        await gh.getitem("/repos/octo-org/widgets")
        assert fake_github.token_requests(INSTALLATION) == 1
        # 56 minutes later by every clock: GitHub's token (1 h) is within the 5-minute margin
        # by GitHub's clock, though our slow clock would think it had 30 more minutes
        now[0] += 56 * 60
        await gh.token()
        assert fake_github.token_requests(INSTALLATION) == 2
