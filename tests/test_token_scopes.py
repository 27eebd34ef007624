"""Least-privilege tokens: a job's token reaches only its repository and the permissions its
features declare; the fake GitHub enforces the scope as GitHub does (404 on another private
repository, 403 "Resource not accessible by integration" for a permission not granted)."""

from __future__ import annotations

import asyncio
import json
from asyncio.subprocess import DEVNULL
from typing import Any

import aiohttp
import gidgethub
import pytest
from gidgethub import routing, sansio

from bot.feature import Feature, wire
from bot.features.registry import build_wiring
from tests.conftest import delivery_headers
from tests.helpers import FAST_POLICY, INSTALLATION, comment_event, drain, pitcrew_settings, world

REPO = "octo-org/widgets"
OTHER = "octo-org/secret"
PROBE_PERMISSIONS = {"contents": "read", "issues": "write"}


async def status_of(call: Any) -> int:
    try:
        await call
    except gidgethub.HTTPException as exc:
        return int(exc.status_code)
    return 200


@pytest.fixture
def two_private_repos(fake_github):
    world(fake_github, with_git=True)
    fake_github.add_repo(OTHER, with_git=True, private=True)
    fake_github.state.get_repo(REPO).json["private"] = True
    fake_github.add_pull(REPO, head_ref="feature")
    return fake_github


async def test_a_handlers_token_cannot_leave_its_repository_or_permissions(
    app_client, settings_factory, two_private_repos, app_key, tmp_path
):
    fake = two_private_repos
    router = routing.Router()
    seen: dict[str, Any] = {}

    @router.register("issue_comment", action="created")
    async def probe(event: sansio.Event, gh: Any, *, ctx: Any) -> None:
        own = {"owner": "octo-org", "repo": "widgets", "number": "1"}
        comment = gh.post("/repos/{owner}/{repo}/issues/{number}/comments", url_vars=own,
                          data={"body": "allowed"})  # fmt: skip
        seen["own repo, issues: write"] = await status_of(comment)
        other = {**own, "repo": "secret"}
        comment = gh.post("/repos/{owner}/{repo}/issues/{number}/comments", url_vars=other,
                          data={"body": "not allowed"})  # fmt: skip
        seen["other repo"] = await status_of(comment)
        check = gh.post("/repos/{owner}/{repo}/check-runs", url_vars=own,
                        data={"name": "x", "head_sha": "0" * 40})  # fmt: skip
        seen["checks, not asked"] = await status_of(check)
        token = await gh.token()
        seen["token"] = token
        for name in ("widgets", "secret"):
            url = fake.base_url + f"/git/octo-org/{name}.git"
            git = await asyncio.create_subprocess_exec(
                "git",
                "-c",
                f"http.extraHeader=Authorization: Basic {basic(token)}",
                "ls-remote",
                url,
                stdout=DEVNULL,
                stderr=DEVNULL,
            )  # fmt: skip (the fake answers on this loop: never block it)
            seen[f"git {name}"] = await asyncio.wait_for(git.wait(), 30)

    probe_feature = Feature(name="probe", router=router, permissions=PROBE_PERMISSIONS)
    settings = pitcrew_settings(settings_factory, fake, app_key)
    client = await app_client(settings, policy=FAST_POLICY, wiring=wire([probe_feature]))
    for i in range(2):
        payload = comment_event(fake, REPO, 1, f"hello {i}")
        body = json.dumps(payload).encode()
        resp = await client.post("/webhook", data=body,
                                 headers=delivery_headers("issue_comment", body))  # fmt: skip
        assert resp.status == 202
        await drain(client)
        assert seen.pop("own repo, issues: write") == 200
        assert seen.pop("other repo") == 404
        assert seen.pop("checks, not asked") == 403
        assert seen.pop("git widgets") == 0
        assert seen.pop("git secret") != 0
    token = fake.state.tokens[seen["token"]]
    assert token.repositories == frozenset({REPO})
    assert token.permissions == PROBE_PERMISSIONS
    mints = [c.body for c in fake.calls_to("POST", "/app/installations/*/access_tokens")]
    scoped = [body for body in mints if body.get("permissions") == PROBE_PERMISSIONS]
    assert len(scoped) == 1, "the token is cached per (installation, repository, permissions)"
    assert scoped[0] == {"repositories": ["widgets"], "permissions": PROBE_PERMISSIONS}
    # the only other tokens: read-only config reads (shadow mode resolves `mode:` from the
    # repository's config at the first write), each minted once over both deliveries
    others = [body for body in mints if body not in scoped]
    assert all(body["permissions"] == {"contents": "read"} for body in others), others
    assert len(others) == len({json.dumps(body, sort_keys=True) for body in others}), others


def basic(token: str) -> str:
    import base64

    return base64.b64encode(f"x-access-token:{token}".encode()).decode()


async def test_org_config_is_read_with_its_own_read_only_token(
    app_client, settings_factory, fake_github, app_key
):
    world(fake_github)
    fake_github.add_repo("octo-org/.github")
    fake_github.add_file("octo-org/.github", ".github/pitcrew.yml", "rebase:\n  label: org-label\n")
    settings = pitcrew_settings(settings_factory, fake_github, app_key)
    client = await app_client(settings, policy=FAST_POLICY)
    from bot.appkeys import CTX

    hub = client.app[CTX].github
    gh = hub.for_installation(
        INSTALLATION, repository="widgets", permissions={"contents": "read", "issues": "write"}
    )
    config = await client.app[CTX].config_loader.load(gh, "octo-org", "widgets")
    assert config["rebase"]["label"] == "org-label"
    mints = [c.body for c in fake_github.calls_to("POST", "/app/installations/*/access_tokens")]
    assert {"repositories": [".github"], "permissions": {"contents": "read"}} in mints
    reader = fake_github.state.tokens[await gh.org_reader().token()]
    assert reader.repositories == frozenset({"octo-org/.github"})
    write = gh.org_reader().post(
        "/repos/{owner}/{repo}/issues", url_vars={"owner": "octo-org", "repo": ".github"},
        data={"title": "x"},
    )  # fmt: skip
    assert await status_of(write) == 403


def test_each_event_gets_the_permissions_of_the_features_that_handle_it():
    wiring = build_wiring()
    push = sansio.Event({"ref": "refs/heads/main"}, event="push", delivery_id="1")
    comment = sansio.Event({"action": "created"}, event="issue_comment", delivery_id="2")
    job = sansio.Event({"action": "completed"}, event="workflow_job", delivery_id="3")
    # a comment's job token is the command runner's; each command gets its feature's own
    assert wiring.permissions_for(comment) == {
        "contents": "read",
        "issues": "write",
        "pull_requests": "read",
    }
    assert wiring.commands["rebase"].permissions["contents"] == "write"
    assert wiring.commands["help"].permissions == {"contents": "read", "issues": "write"}
    assert wiring.permissions_for(job).get("contents") in (None, "read")
    assert "workflows" not in wiring.permissions_for(job)
    assert wiring.permissions_for(push)["checks"] == "write"  # pitcrew/config


async def test_the_fake_refuses_scopes_the_installation_was_not_granted(fake_github):
    world(fake_github)
    url = f"{fake_github.base_url}/app/installations/{INSTALLATION}/access_tokens"
    headers = {"Authorization": f"Bearer {fake_github.app_jwt()}"}
    async with aiohttp.ClientSession() as session:
        for body in ({"repositories": ["not-ours"]}, {"permissions": {"administration": "write"}}):
            async with session.post(url, json=body, headers=headers) as resp:
                assert resp.status == 422, body


async def test_own_comments_and_tracking_issue_are_found_by_the_apps_bot_login(
    app_client, settings_factory, fake_github, app_key
):
    """A workflow's bot copies Pitcrew's hidden marker: it is not taken for Pitcrew's."""
    from bot import github
    from bot.appkeys import CTX
    from bot.features.reports import REPORT_LABEL, find_tracking_issue

    world(fake_github)
    fake_github.add_pull(REPO, 1, head_ref="feature")
    impostor = fake_github.add_comment(REPO, 1, "<!-- pitcrew:rebase -->\nnot ours",
                                       user_login="github-actions[bot]")  # fmt: skip
    assert impostor["user"]["type"] == "Bot"
    settings = pitcrew_settings(settings_factory, fake_github, app_key)
    client = await app_client(settings, policy=FAST_POLICY)
    gh = client.app[CTX].github.for_installation(INSTALLATION)
    outcome, comment = await github.upsert_comment(gh, "octo-org", "widgets", 1, "rebase", "ours")
    assert outcome == "created" and comment is not None
    assert comment["user"]["login"] == "pitcrew[bot]"
    again, _ = await github.upsert_comment(gh, "octo-org", "widgets", 1, "rebase", "ours, v2")
    assert again == "updated"  # its own comment, found again
    bodies = {c["id"]: c["body"] for c in fake_github.comments(REPO, 1)}
    assert bodies[impostor["id"]].endswith("not ours")  # never edited
    assert len(fake_github.calls_to("GET", "/app")) == 1  # the login is asked once

    title = "Pitcrew CI status report"
    fake_github.add_issue(REPO, 9, title=title, body="<!-- pitcrew:report -->",
                          user_login="github-actions[bot]")  # fmt: skip
    fake_github.state.get_repo(REPO).issues[9]["labels"].append(
        {"id": 2, "node_id": "y", "url": "", "name": REPORT_LABEL, "color": "ededed",
         "default": False, "description": None}
    )  # fmt: skip
    assert await find_tracking_issue(gh, "octo-org", "widgets", title) is None


async def test_each_command_runs_with_its_own_features_permissions(
    app_client, settings_factory, fake_github, app_key
):
    world(fake_github)
    fake_github.add_pull(REPO, 1, head_ref="feature")
    settings = pitcrew_settings(settings_factory, fake_github, app_key)
    client = await app_client(settings, policy=FAST_POLICY)
    payload = comment_event(fake_github, REPO, 1, "/status", login="adam")
    body = json.dumps(payload).encode()
    resp = await client.post("/webhook", data=body,
                             headers=delivery_headers("issue_comment", body))  # fmt: skip
    assert resp.status == 202
    await drain(client)
    mints = [c.body for c in fake_github.calls_to("POST", "/app/installations/*/access_tokens")]
    job = {"contents": "read", "issues": "write", "pull_requests": "read"}
    status = {"actions": "read", "contents": "read", "issues": "write", "pull_requests": "read"}
    assert {"repositories": ["widgets"], "permissions": job} in mints  # parse, authorise, reply
    assert {"repositories": ["widgets"], "permissions": status} in mints  # the report itself
    assert all(m.get("repositories") in (["widgets"], [".github"]) for m in mints)
    [reply] = [c for c in fake_github.comments(REPO, 1) if c["user"]["login"] == "pitcrew[bot]"]
    assert "CI status report updated" in reply["body"]
