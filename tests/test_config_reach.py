"""Config cannot reach outside its repository: no URL from config is fetched (SSRF), and only
the org's `.github` config may send the report to another repository.

Each attack is tried for real against the running app and the fake GitHub: a listening server
stands for the internal address an attacker aims at, and must see no request; the repository
named as target must get no issue; the `pitcrew/config` check run names the problem. Each has a
positive control (the operator's endpoint, the org's target) so the test can fail.
"""

from __future__ import annotations

import json

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.repo_config import resolve_config
from tests.conftest import delivery_headers
from tests.fakegithub import load_example
from tests.helpers import FAST_POLICY, comment_event, drain, pitcrew_settings, world

REPO = "octo-org/widgets"
SLOS = '  slos:\n    - {name: availability, query: "up", op: ">=", threshold: 0.9}\n'


@pytest.fixture
async def internal_server():
    """A stand-in for an internal service (cloud metadata, an admin API): records requests."""
    seen: list[str] = []

    async def record(request: web.Request) -> web.Response:
        seen.append(request.path_qs)
        return web.json_response(
            {"status": "success", "data": {"resultType": "vector", "result": []}}
        )

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", record)
    server = TestServer(app)
    await server.start_server()
    yield str(server.make_url("")).rstrip("/"), seen
    await server.close()


async def start(app_client, settings_factory, fake_github, app_key, **env):
    settings = pitcrew_settings(settings_factory, fake_github, app_key, **env)
    return await app_client(settings, policy=FAST_POLICY)


async def deliver(client, event: str, payload: dict) -> None:
    body = json.dumps(payload).encode()
    resp = await client.post("/webhook", data=body, headers=delivery_headers(event, body))
    assert resp.status == 202, await resp.text()
    await drain(client)


async def status_command(client, fake) -> None:
    await deliver(client, "issue_comment", comment_event(fake, REPO, 1, "/status", login="adam"))


async def push_config(client, fake, repo: str, text: str) -> dict:
    """Commit `.github/pitcrew.yml` and deliver the push; returns the pitcrew/config run."""
    sha = fake.add_file(repo, ".github/pitcrew.yml", text)
    payload = load_example(
        "push",
        "with-new-branch.payload.json",
        ref="refs/heads/main",
        after=sha,
        deleted=False,
        installation={"id": 77},
    )
    payload["repository"] = fake._out(fake.state.get_repo(repo).json)
    payload["commits"] = [
        {"id": sha, "added": [], "modified": [".github/pitcrew.yml"], "removed": []}
    ]
    await deliver(client, "push", payload)
    [run] = fake.check_runs(repo, sha)
    return run


def report_issues(fake, repo: str) -> list[dict]:
    issues = fake.state.get_repo(repo).issues.values()
    return [i for i in issues if "<!-- pitcrew:report -->" in (i.get("body") or "")]


async def test_prometheus_url_from_repo_config_is_never_fetched(
    app_client, settings_factory, fake_github, app_key, internal_server
):
    internal_url, seen = internal_server
    world(fake_github)
    fake_github.add_issue(REPO, 1)
    client = await start(app_client, settings_factory, fake_github, app_key)
    attack = f"report:\n  prometheus_url: {internal_url}/latest/meta-data\n{SLOS}"
    run = await push_config(client, fake_github, REPO, attack)
    await status_command(client, fake_github)
    assert seen == []  # nothing sent to the address the config named
    assert run["conclusion"] == "failure"
    assert "does not fetch URLs from configuration" in run["output"]["summary"]
    assert "PITCREW_PROMETHEUS_URL" in run["output"]["summary"]
    assert report_issues(fake_github, REPO), "the report itself still runs (on defaults)"


async def test_operator_prometheus_endpoint_is_used_by_name(
    app_client, settings_factory, fake_github, app_key, internal_server
):
    internal_url, seen = internal_server
    world(fake_github)
    fake_github.add_issue(REPO, 1)
    client = await start(
        app_client,
        settings_factory,
        fake_github,
        app_key,
        PITCREW_PROMETHEUS_ENDPOINTS=f"infra={internal_url}",
    )
    run = await push_config(client, fake_github, REPO, f"report:\n  prometheus: infra\n{SLOS}")
    assert run["conclusion"] == "success"
    await status_command(client, fake_github)
    assert [path.split("?")[0] for path in seen] == ["/api/v1/query"]


async def test_repo_config_cannot_post_the_report_to_another_repository(
    app_client, settings_factory, fake_github, app_key
):
    world(fake_github)
    fake_github.add_repo("octo-org/secret")
    fake_github.add_issue(REPO, 1)
    client = await start(app_client, settings_factory, fake_github, app_key)
    run = await push_config(client, fake_github, REPO, "report:\n  repository: octo-org/secret\n")
    await status_command(client, fake_github)
    assert report_issues(fake_github, "octo-org/secret") == []
    assert not fake_github.calls_to("POST", "/repos/octo-org/secret/*")
    assert run["conclusion"] == "failure"
    assert "may post its report only to itself" in run["output"]["summary"]
    assert len(report_issues(fake_github, REPO)) == 1  # posted to itself instead


async def test_org_config_may_name_a_cross_repository_target(
    app_client, settings_factory, fake_github, app_key
):
    world(fake_github)
    fake_github.add_repo("octo-org/.github")
    fake_github.add_repo("octo-org/reports")
    fake_github.add_file(
        "octo-org/.github", ".github/pitcrew.yml", "report:\n  repository: octo-org/reports\n"
    )
    fake_github.add_issue(REPO, 1)
    client = await start(app_client, settings_factory, fake_github, app_key)
    await status_command(client, fake_github)
    [issue] = report_issues(fake_github, "octo-org/reports")
    assert issue["title"].endswith(f": {REPO}")
    assert report_issues(fake_github, REPO) == []


def test_a_repository_may_name_itself_and_the_org_layer_anything():
    own = resolve_config("report:\n  repository: octo-org/widgets\n", repo="octo-org/widgets")
    assert own.problems == [] and own["report"]["repository"] == "octo-org/widgets"
    org = resolve_config(None, "report:\n  repository: octo-org/reports\n", repo="octo-org/w")
    assert org.problems == [] and org["report"]["repository"] == "octo-org/reports"
    url_in_org = resolve_config(None, "report:\n  prometheus_url: http://10.0.0.1/\n")
    assert [p.message.split(":")[0] for p in url_in_org.problems] == ["report/prometheus_url"]
    assert url_in_org["report"]["prometheus_url"] is None
