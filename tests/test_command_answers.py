"""Every command is answered: a command whose job fails for good ends with 😕 and one reply
saying what failed and what to do; one still being retried says so once."""

from __future__ import annotations

import pytest

from bot.appkeys import QUEUE, WIRING
from bot.commands import command
from tests.helpers import FAST_POLICY, comment_event, drain, pitcrew_settings, world
from tests.test_service_flows import bot_comments, deliver

REPO = "octo-org/widgets"


@pytest.fixture
def probe_command():
    @command("probe", help="test", permission="read")
    async def probe(cmd):
        await cmd.gh.getitem("/repos/{owner}/{repo}/pulls/1",
                             url_vars={"owner": cmd.owner, "repo": cmd.repo})  # fmt: skip
        await cmd.gh.post("/repos/{owner}/{repo}/issues/1/labels",
                          url_vars={"owner": cmd.owner, "repo": cmd.repo},
                          data={"labels": ["probed"]})  # fmt: skip
        cmd.reply("probed")

    return probe


async def start(app_client, settings_factory, fake_github, app_key, probe, **env):
    world(fake_github)
    fake_github.add_pull(REPO, 1, head_ref="feature")
    settings = pitcrew_settings(settings_factory, fake_github, app_key, **env)
    client = await app_client(settings, policy=FAST_POLICY)
    client.app[WIRING].commands.add(probe)
    return client


async def test_a_command_github_refuses_gets_confused_and_what_to_do(
    app_client, settings_factory, fake_github, app_key, probe_command
):
    client = await start(app_client, settings_factory, fake_github, app_key, probe_command)
    fake_github.inject("POST", "/repos/*/issues/1/labels", status=403, times=None,
                       body={"message": "Resource not accessible by integration"})  # fmt: skip
    payload = comment_event(fake_github, REPO, 1, "/probe")
    await deliver(client, "issue_comment", payload)
    await drain(client)
    [reply] = bot_comments(fake_github, 1)
    assert "`/probe` failed: GitHub answered 403" in reply["body"]
    assert "permissions this command needs" in reply["body"]
    assert fake_github.reactions(payload["comment"]["id"]) == ["eyes", "confused"]
    [job] = await client.app[QUEUE].list_jobs()
    assert job.status == "dead"  # still visible to operators


async def test_a_command_being_retried_says_so_once_then_answers_for_good(
    app_client, settings_factory, fake_github, app_key, probe_command
):
    client = await start(
        app_client, settings_factory, fake_github, app_key, probe_command,
        PITCREW_MAX_ATTEMPTS="3", PITCREW_RETRY_BASE_S="0.05", PITCREW_OUTAGE_RETRY_S="0",
    )  # fmt: skip
    fake_github.inject("GET", "/repos/*/pulls/1", status=502, times=None)
    payload = comment_event(fake_github, REPO, 1, "/probe")
    await deliver(client, "issue_comment", payload)
    await drain(client, timeout=30)
    [reply] = bot_comments(fake_github, 1)
    assert "gave up after 3 attempt(s)" in reply["body"]
    assert "HTTP 502" in reply["body"]
    created = fake_github.calls_to("POST", "/repos/*/issues/1/comments")
    edited = fake_github.calls_to("PATCH", "/repos/*/issues/comments/*")
    assert len(created) == 1 and "keeps retrying" in created[0].body["body"]  # said once
    assert len(edited) == 1  # ... then the final answer, in the same comment
    assert fake_github.reactions(payload["comment"]["id"]) == ["eyes", "confused"]


async def test_a_command_that_recovers_answers_normally(
    app_client, settings_factory, fake_github, app_key, probe_command
):
    client = await start(
        app_client, settings_factory, fake_github, app_key, probe_command,
        PITCREW_RETRY_BASE_S="0.05",
    )  # fmt: skip
    fake_github.inject("GET", "/repos/*/pulls/1", status=502, times=FAST_POLICY.attempts)
    payload = comment_event(fake_github, REPO, 1, "/probe")
    await deliver(client, "issue_comment", payload)
    await drain(client, timeout=30)
    [reply] = bot_comments(fake_github, 1)
    assert reply["body"].rstrip().endswith("probed")
    assert fake_github.reactions(payload["comment"]["id"]) == ["eyes", "rocket"]
