"""Pitcrew's real aiohttp app against the fake GitHub: commands, authorisation, config check."""

from __future__ import annotations

import pytest

from bot.appkeys import WIRING
from tests.conftest import delivery_headers
from tests.helpers import FAST_POLICY, comment_event, drain, pitcrew_settings, world

REPO = "octo-org/widgets"


@pytest.fixture
async def pitcrew(app_client, settings_factory, fake_github, app_key):
    world(fake_github)
    fake_github.add_pull(REPO, 1, head_ref="feature", user_login="paula")
    fake_github.add_issue(REPO, 2)
    settings = pitcrew_settings(settings_factory, fake_github, app_key)
    return await app_client(settings, policy=FAST_POLICY)


async def deliver(client, event: str, payload: dict, delivery_id: str | None = None):
    import json

    body = json.dumps(payload).encode()
    resp = await client.post(
        "/webhook", data=body, headers=delivery_headers(event, body, delivery_id)
    )
    assert resp.status in (200, 202), await resp.text()
    return (await resp.json())["status"]


def bot_comments(fake, number: int) -> list[dict]:
    """Comments Pitcrew posted (other bots' comments are not ours)."""
    return [c for c in fake.comments(REPO, number) if c["user"]["login"] == "pitcrew[bot]"]


async def test_help_replies_once_with_reactions(pitcrew, fake_github):
    payload = comment_event(fake_github, REPO, 1, "Thanks!\n/help")
    assert await deliver(pitcrew, "issue_comment", payload, "d-1") == "queued"
    await drain(pitcrew)
    [reply] = bot_comments(fake_github, 1)
    assert "/help" in reply["body"] and "/status" in reply["body"]
    assert fake_github.reactions(payload["comment"]["id"]) == ["eyes", "rocket"]
    # GitHub redelivers the same delivery, and a replica processes the same comment twice:
    assert await deliver(pitcrew, "issue_comment", payload, "d-1") == "duplicate"
    await deliver(pitcrew, "issue_comment", payload, "d-2")
    await drain(pitcrew)
    assert len(bot_comments(fake_github, 1)) == 1


@pytest.mark.parametrize(
    "login, allowed",
    [
        ("adam", True),  # admin
        ("mia", True),  # maintain
        ("alice", True),  # write
        ("tara", True),  # triage: /status needs triage
        ("rita", False),  # read
        ("stranger", False),  # no access
    ],
)
async def test_status_authorisation_matrix(pitcrew, fake_github, login, allowed):
    payload = comment_event(fake_github, REPO, 2, "/status", login=login)
    await deliver(pitcrew, "issue_comment", payload)
    await drain(pitcrew)
    [reply] = bot_comments(fake_github, 2)
    reactions = fake_github.reactions(payload["comment"]["id"])
    if allowed:
        assert "CI status report updated" in reply["body"]
        assert reactions == ["eyes", "rocket"]
    else:
        assert "needs triage access" in reply["body"] and "Nothing was run" in reply["body"]
        assert reactions == []
        assert not fake_github.calls_to("POST", "/repos/*/issues")  # no report was posted


async def test_bot_senders_are_ignored_at_intake(pitcrew, fake_github):
    payload = comment_event(fake_github, REPO, 1, "/help", login="other-bot[bot]", type="Bot")
    assert await deliver(pitcrew, "issue_comment", payload) == "ignored"
    assert bot_comments(fake_github, 1) == []


async def test_quoted_command_does_nothing(pitcrew, fake_github):
    payload = comment_event(fake_github, REPO, 1, "> /help\nquoting someone")
    assert await deliver(pitcrew, "issue_comment", payload) == "ignored"


async def test_command_on_issue_when_pr_only(pitcrew, fake_github):
    from bot.commands import command

    @command("pr-only-probe", help="test", permission="read")
    async def probe(cmd):  # pragma: no cover - must not run
        raise AssertionError("ran on an issue")

    pitcrew.app[WIRING].commands.add(probe)  # this app's own registry: nothing global
    payload = comment_event(fake_github, REPO, 2, "/pr-only-probe")
    await deliver(pitcrew, "issue_comment", payload)
    await drain(pitcrew)
    [reply] = bot_comments(fake_github, 2)
    assert "works on pull requests only" in reply["body"]


async def test_invalid_config_gets_a_failing_check_run_with_line(pitcrew, fake_github):
    from tests.fakegithub import load_example

    sha = fake_github.add_file(REPO, ".github/pitcrew.yml", "rebase:\n  auto: sometimes\n")
    payload = load_example(
        "push",
        "with-new-branch.payload.json",
        ref="refs/heads/main",
        after=sha,
        deleted=False,
        installation={"id": 77},
    )
    payload["repository"] = fake_github._out(fake_github.state.get_repo(REPO).json)
    payload["commits"] = [{"id": sha, "added": [], "modified": [".github/pitcrew.yml"],
                           "removed": []}]  # fmt: skip
    await deliver(pitcrew, "push", payload)
    await drain(pitcrew)
    [run] = fake_github.check_runs(REPO, sha)
    assert run["name"] == "pitcrew/config" and run["conclusion"] == "failure"
    assert "line 2" in run["output"]["summary"]
    # the repository keeps running on defaults: /help still answers
    comment = comment_event(fake_github, REPO, 1, "/help")
    await deliver(pitcrew, "issue_comment", comment)
    await drain(pitcrew)
    assert bot_comments(fake_github, 1)


async def test_github_outage_retries_the_job_then_succeeds(pitcrew, fake_github):
    fake_github.inject("POST", "/repos/*/issues/1/comments", status=502, times=5)
    payload = comment_event(fake_github, REPO, 1, "/help")
    await deliver(pitcrew, "issue_comment", payload)
    await drain(pitcrew, timeout=30)
    assert len(bot_comments(fake_github, 1)) == 1
