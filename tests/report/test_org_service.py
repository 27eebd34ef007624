"""The org report through the service and the fake GitHub: an installation with several
repositories, one runner pool starved in the window, one default branch red."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime

from bot.appkeys import CTX, LEASE, QUEUE, WORKERS
from bot.report.org_render import ORG_MARKER
from bot.scheduler import KnownRepo, Scheduler, schedule_payload
from tests.conftest import delivery_headers
from tests.helpers import FAST_POLICY, INSTALLATION, comment_event, drain, pitcrew_settings

from .helpers import NOW
from .org_data import org_history

OWNER = "acme"
REPOS = ("acme/api", "acme/ml", "acme/web", "acme/docs", "acme/platform", "acme/.github")
ORG_CONFIG = "report:\n  org:\n    repository: acme/platform\n    schedule: '0 8 * * 1'\n"


def installation(fake) -> None:
    fake.add_installation(INSTALLATION, OWNER)
    for repo in REPOS:
        fake.add_repo(repo, with_git=False)
        fake.set_permission(repo, "mia", "maintain")
    fake.add_file("acme/.github", ".github/pitcrew.yml", ORG_CONFIG)
    # a repository's own file cannot aim the org report anywhere
    fake.add_file("acme/api", ".github/pitcrew.yml", "report:\n  org:\n    repository: acme/api\n")


def _shift(record, delta):
    changes = {
        f.name: getattr(record, f.name) + delta
        for f in dataclasses.fields(record)
        if isinstance(getattr(record, f.name), datetime)
    }
    return dataclasses.replace(record, **changes)


def fill_store(store) -> None:
    """The synthetic history, moved so that it ends now."""
    history = org_history()
    delta = datetime.now(UTC).replace(microsecond=0) - NOW
    store.upsert_runs([_shift(r, delta) for r in history.runs if r.repo])
    store.upsert_jobs([_shift(j, delta) for j in history.jobs])


async def deliver(client, event: str, payload: dict) -> None:
    body = json.dumps(payload).encode()
    resp = await client.post("/webhook", data=body, headers=delivery_headers(event, body))
    assert resp.status in (200, 202), await resp.text()
    await drain(client)


def org_issue(fake) -> dict:
    issues = [i for i in fake.state.get_repo("acme/platform").issues.values()
              if ORG_MARKER in (i.get("body") or "")]  # fmt: skip
    assert len(issues) == 1, issues
    return issues[0]


def bot_replies(fake, repo: str, number: int) -> list[str]:
    return [c["body"] for c in fake.comments(repo, number) if c["user"]["login"] == "pitcrew[bot]"]


async def test_status_org_posts_the_org_report_with_its_evidence(
    app_client, settings_factory, fake_github, app_key
):
    installation(fake_github)
    settings = pitcrew_settings(settings_factory, fake_github, app_key)
    client = await app_client(settings, policy=FAST_POLICY)
    from bot.report.backend import store_of

    fill_store(store_of(client.app[CTX]))
    tracking = fake_github.add_issue("acme/platform", title="CI platform")["number"]
    command = comment_event(fake_github, "acme/platform", tracking, "/status org", login="mia")
    await deliver(client, "issue_comment", command)
    body = org_issue(fake_github)["body"]
    # the starved pool, with its evidence
    assert "### Runner capacity" in body
    starved = next(line for line in body.splitlines() if line.startswith("- ⚠️ runner pool"))
    assert "self-hosted, gpu" in starved and "queue time (median)" in starved
    assert "jobs vs" in starved and "z=" in starved
    # the red default branch, with how long and which workflow
    red = body[body.index("### 🔴 Red default branches") :]
    assert "`acme/api` | `main` |" in red and "| CI |" in red.split("\n\n")[1]
    # renamed repository under its latest name; every repository of the installation listed
    assert "`acme/web` (was acme/site)" in body
    assert body.index("```mermaid") < body.index("### ")
    [reply] = bot_replies(fake_github, "acme/platform", tracking)
    assert "CI platform report updated" in reply
    metrics = await (await client.get("/metrics")).text()
    assert 'pitcrew_ci_runner_queue_p95_seconds{runner_label="self-hosted, gpu"}' in metrics
    assert 'pitcrew_ci_repo_minutes{repository="acme/api"}' in metrics


async def test_status_org_elsewhere_is_refused(app_client, settings_factory, fake_github, app_key):
    installation(fake_github)
    settings = pitcrew_settings(settings_factory, fake_github, app_key)
    client = await app_client(settings, policy=FAST_POLICY)
    number = fake_github.add_issue("acme/api", title="x")["number"]
    command = comment_event(fake_github, "acme/api", number, "/status org", login="mia")
    await deliver(client, "issue_comment", command)
    [reply] = bot_replies(fake_github, "acme/api", number)
    assert "acme/platform" in reply and "tracking repository" in reply
    assert not [i for r in REPOS for i in fake_github.state.get_repo(r).issues.values()
                if ORG_MARKER in (i.get("body") or "")]  # fmt: skip


async def test_scheduled_org_report_fires_from_the_org_config(
    app_client, settings_factory, fake_github, app_key
):
    installation(fake_github)
    settings = pitcrew_settings(settings_factory, fake_github, app_key)
    client = await app_client(settings, policy=FAST_POLICY)
    from bot.report.backend import store_of

    fill_store(store_of(client.app[CTX]))
    ctx, queue = client.app[CTX], client.app[QUEUE]
    monday_8 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC).timestamp()
    repos = [KnownRepo(OWNER, name.split("/")[1], INSTALLATION) for name in REPOS]
    assert await Scheduler(ctx, queue, client.app[LEASE]).tick(monday_8 + 30, repos) == 1
    [job] = [j for j in await queue.list_jobs() if j.action == "org_report"]
    assert json.loads(job.body)["repository"]["full_name"] == "acme/.github"
    client.app[WORKERS].wake()
    await drain(client)
    body = org_issue(fake_github)["body"]
    assert "self-hosted, gpu" in body and "acme/api" in body
    # a second firing edits the same issue
    payload = schedule_payload(
        KnownRepo(OWNER, ".github", INSTALLATION), "org_report", monday_8 + 1
    )
    await queue.enqueue(delivery_id="again", event="pitcrew_schedule", action="org_report",
                        key="k", body=json.dumps(payload).encode())  # fmt: skip
    client.app[WORKERS].wake()
    await drain(client)
    org_issue(fake_github)
