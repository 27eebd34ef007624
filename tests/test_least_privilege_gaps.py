"""Least privilege, the remaining gaps: the scheduler's own tokens are scoped, an installation
that has not accepted a newly requested permission degrades (one log line, a metric, the
feature skipped with a reason) instead of dead-lettering, `/installation/repositories` lists
only a scoped token's repositories, and a push to a fork the token cannot reach is explained."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime

from bot.appkeys import CTX, LEASE, QUEUE, WIRING
from bot.commands import command
from bot.scheduler import Scheduler
from tests.helpers import FAST_POLICY, INSTALLATION, comment_event, drain, pitcrew_settings, world
from tests.rebase_service_helpers import add_pull, branch_sha, commit
from tests.test_service_flows import bot_comments, deliver

REPO = "octo-org/widgets"


def minted(fake) -> list:
    return list(fake.state.tokens.values())


async def test_the_schedulers_discovery_and_config_reads_use_scoped_read_only_tokens(
    app_client, settings_factory, fake_github, app_key
):
    world(fake_github, REPO)
    fake_github.add_repo("octo-org/gadgets")
    fake_github.add_file(REPO, ".github/pitcrew.yml", "report:\n  schedule: '0 8 * * 1'\n")
    settings = pitcrew_settings(settings_factory, fake_github, app_key)
    client = await app_client(settings, policy=FAST_POLICY, start_workers=False)
    scheduler = Scheduler(client.app[CTX], client.app[QUEUE], client.app[LEASE])
    repos = await scheduler.discover()
    assert {r.full_name for r in repos} == {REPO, "octo-org/gadgets"}
    monday_8 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC).timestamp()
    assert await scheduler.tick(monday_8 + 30, repos) == 1
    tokens = minted(fake_github)
    assert tokens and all(t.permissions is not None for t in tokens)  # never everything
    listing = [t for t in tokens if t.repositories is None]
    assert [t.permissions for t in listing] == [{"metadata": "read"}]
    readers = [t for t in tokens if t.repositories is not None]
    assert {next(iter(t.repositories)) for t in readers} >= {REPO, "octo-org/gadgets"}
    assert all(len(t.repositories) == 1 for t in readers)
    assert all(t.permissions == {"contents": "read"} for t in readers)


async def test_installation_repositories_lists_only_a_scoped_tokens_repository(
    app_client, settings_factory, fake_github, app_key
):
    world(fake_github, REPO)
    fake_github.add_repo("octo-org/gadgets")
    settings = pitcrew_settings(settings_factory, fake_github, app_key)
    client = await app_client(settings, policy=FAST_POLICY, start_workers=False)
    hub = client.app[CTX].github
    scoped = hub.for_installation(
        INSTALLATION, repository="widgets", permissions={"metadata": "read"}
    )
    whole = hub.for_installation(INSTALLATION, permissions={"metadata": "read"})
    path = "/installation/repositories"

    async def names(gh) -> set[str]:
        return {r["full_name"] async for r in gh.getiter(path, iterable_key="repositories")}

    assert await names(scoped) == {REPO}
    assert await names(whole) == {REPO, "octo-org/gadgets"}


async def test_a_permission_the_installation_has_not_accepted_degrades_the_feature(
    app_client, settings_factory, fake_github, app_key, caplog
):
    """Pitcrew now asks for ``checks: write``; the owner has not accepted it yet."""
    world(fake_github, REPO)
    fake_github.add_pull(REPO, 1, head_ref="feature")
    fake_github.state.installations[INSTALLATION].json["permissions"].pop("checks")

    @command("probe", help="test", permission="read")
    async def probe(cmd):
        await cmd.gh.post("/repos/{owner}/{repo}/check-runs",
                          url_vars={"owner": cmd.owner, "repo": cmd.repo},
                          data={"name": "probe", "head_sha": "a" * 40})  # fmt: skip
        cmd.reply("probed")

    settings = pitcrew_settings(settings_factory, fake_github, app_key)
    client = await app_client(settings, policy=FAST_POLICY)
    wanted = {"checks": "write", "issues": "write", "pull_requests": "read"}
    client.app[WIRING].commands.add(replace(probe, permissions=wanted))
    caplog.set_level(logging.INFO)
    for _ in range(2):
        payload = comment_event(fake_github, REPO, 1, "/probe")
        await deliver(client, "issue_comment", payload)
        await drain(client, timeout=30)
        assert fake_github.reactions(payload["comment"]["id"]) == ["eyes", "confused"]
        [reply] = [c for c in bot_comments(fake_github, 1)
                   if f"reply:{payload['comment']['id']}" in c["body"]]  # fmt: skip
        assert "has not accepted the permissions `checks: write`" in reply["body"]
        assert "Settings → GitHub Apps" in reply["body"]
    jobs = await client.app[QUEUE].list_jobs()
    assert [j.status for j in jobs] == ["done", "done"]  # skipped with a reason, not dead
    said = [r for r in caplog.records if r.levelno >= logging.WARNING
            and "has not accepted permissions" in r.getMessage()]  # fmt: skip
    assert len(said) == 1 and said[0].missing == "checks:write"  # one line, not one per job
    skipped = [r for r in caplog.records if r.getMessage().startswith("handler skipped")]
    assert len(skipped) == 2 and skipped[0].missing == "checks: write"
    metric = client.app[CTX].metrics.token_permissions_missing.labels("checks")
    assert metric._value.get() == 1  # one token minted without it (then cached)
    # the tokens that were minted asked only for what the installation granted
    assert all("checks" not in (t.permissions or {}) for t in minted(fake_github))


async def test_a_push_to_a_fork_the_token_cannot_reach_is_explained(
    app_client, settings_factory, fake_github, app_key
):
    world(fake_github, REPO, with_git=True)
    commit(fake_github, REPO, "main", {"app.py": "x = 1\n"}, "Add app.py")
    add_pull(fake_github, REPO, 8, "fork-ok", {"f.txt": "x\n"}, user_login="fred",
             fork=True, maintainer_can_modify=True)  # fmt: skip
    commit(fake_github, REPO, "main", {"main.txt": "moved\n"}, "main moves")
    fake_github.state.scoped_tokens_reach_forks = False
    before = fake_github.state.get_repo("fred/widgets").git.resolve("fork-ok")
    settings = pitcrew_settings(settings_factory, fake_github, app_key)
    client = await app_client(settings, policy=FAST_POLICY)
    payload = comment_event(fake_github, REPO, 8, "/rebase", login="alice")
    await deliver(client, "issue_comment", payload)
    await drain(client, timeout=60)
    assert fake_github.reactions(payload["comment"]["id"]) == ["eyes", "confused"]
    [reply] = [c for c in bot_comments_of(fake_github, 8)
               if f"reply:{payload['comment']['id']}" in c["body"]]  # fmt: skip
    assert "did not let Pitcrew push to the fork `fred/widgets`" in reply["body"]
    assert "Nothing was changed" in reply["body"]
    assert fake_github.state.get_repo("fred/widgets").git.resolve("fork-ok") == before
    assert branch_sha(fake_github, REPO, "main")  # the base repository is untouched too
    assert all(j.status == "done" for j in await client.app[QUEUE].list_jobs())


def bot_comments_of(fake, number: int) -> list[dict]:
    return [c for c in fake.comments(REPO, number) if c["user"]["login"] == "pitcrew[bot]"]
