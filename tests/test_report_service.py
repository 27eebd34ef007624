"""CI records collection, back-fill and scheduled reports against the fake GitHub."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from bot.appkeys import CTX, LEASE, QUEUE, WORKERS
from bot.features.reports import backfill
from bot.github import GitHubApp
from bot.report.store import ReportStore
from bot.scheduler import KnownRepo, Scheduler, due_firings
from tests.conftest import delivery_headers
from tests.fakegithub import load_example
from tests.helpers import FAST_POLICY, INSTALLATION, drain, pitcrew_settings, repo_json, world

REPO = "octo-org/widgets"


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def add_runs(fake, count: int, start: datetime, **fields) -> list[dict]:
    runs = []
    for i in range(count):
        created = start + timedelta(hours=i)
        runs.append(
            fake.add_workflow_run(
                REPO,
                created_at=iso(created),
                run_started_at=iso(created + timedelta(seconds=20)),
                updated_at=iso(created + timedelta(minutes=5)),
                status="completed",
                conclusion=fields.get("conclusion", "success"),
                head_branch="main",
                event="push",
            )
        )
    return runs


@pytest.fixture
async def hub(fake_github, app_key):
    world(fake_github)
    async with aiohttp.ClientSession() as session:
        yield GitHubApp(
            session=session,
            base_url=fake_github.base_url,
            app_id=str(fake_github.app_id),
            private_key=app_key,
            policy=FAST_POLICY,
        )


async def test_backfill_is_incremental_and_conditional(hub, fake_github, tmp_path):
    add_runs(fake_github, 250, datetime(2026, 11, 1, tzinfo=UTC))
    gh = hub.for_installation(INSTALLATION)
    with ReportStore(tmp_path / "state.sqlite3") as store:
        first = await backfill(gh, "octo-org", "widgets", store)
        assert first["runs"] == 250 and first["pages"] == 3
        assert len(store.load_runs(REPO)) == 250
        before = len(fake_github.calls_to("GET", "/repos/*/actions/runs"))
        second = await backfill(gh, "octo-org", "widgets", store)
        assert second == {"pages": 1, "runs": 0, "jobs": 0, "not_modified": 1}
        calls = fake_github.calls_to("GET", "/repos/*/actions/runs")[before:]
        assert [c.status for c in calls] == [304]
        add_runs(fake_github, 3, datetime(2026, 11, 20, tzinfo=UTC))
        third = await backfill(gh, "octo-org", "widgets", store)
        assert third["runs"] == 3 and third["pages"] == 1
        assert len(store.load_runs(REPO)) == 253


async def test_workflow_events_are_collected(app_client, settings_factory, fake_github, app_key):
    world(fake_github)
    settings = pitcrew_settings(settings_factory, fake_github, app_key)
    client = await app_client(settings, policy=FAST_POLICY)
    [run] = add_runs(fake_github, 1, datetime(2026, 11, 2, tzinfo=UTC), conclusion="failure")
    payload = load_example("workflow_run", "completed.payload.json")
    payload["workflow_run"] = run
    payload["repository"] = repo_json(fake_github, REPO)
    payload["installation"] = {"id": INSTALLATION}
    body = json.dumps(payload).encode()
    resp = await client.post("/webhook", data=body, headers=delivery_headers("workflow_run", body))
    assert resp.status == 202
    await drain(client)
    with ReportStore(settings.data_dir / "state.sqlite3") as store:
        [stored] = store.load_runs(REPO)
    assert stored.run_id == run["id"] and stored.conclusion == "failure"
    metrics = await (await client.get("/metrics")).text()
    assert "pitcrew_ci_" in metrics


def test_cron_firing_window():
    monday_8 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC).timestamp()
    assert due_firings("0 8 * * 1", monday_8 + 60) == [monday_8]
    assert due_firings("0 8 * * 1", monday_8 + 7 * 3600) == []  # missed long ago: skipped
    assert due_firings("not a cron", monday_8) == []


async def test_scheduler_enqueues_each_firing_once(app_client, settings_factory, fake_github,
                                                   app_key):  # fmt: skip
    world(fake_github)
    fake_github.add_file(REPO, ".github/pitcrew.yml", "report:\n  schedule: '0 8 * * 1'\n")
    settings = pitcrew_settings(settings_factory, fake_github, app_key,
                                PITCREW_SCHEDULER_INTERVAL_S="0")  # fmt: skip
    client = await app_client(settings, policy=FAST_POLICY, start_workers=False)
    ctx = client.app[CTX]
    queue = client.app[QUEUE]
    scheduler = Scheduler(ctx, queue, client.app[LEASE])
    repo = KnownRepo("octo-org", "widgets", INSTALLATION)
    monday_8 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC).timestamp()
    assert await scheduler.tick(monday_8 + 30, [repo]) == 1
    assert await scheduler.tick(monday_8 + 90, [repo]) == 0  # same firing: deduplicated
    other = Scheduler(ctx, queue, client.app[LEASE])  # a second replica
    assert await other.tick(monday_8 + 95, [repo]) == 0
    [job] = await queue.list_jobs()
    assert job.event == "pitcrew_schedule" and job.action == "report"


async def test_scheduled_report_posts_tracking_issue_and_keeps_previous(
    app_client, settings_factory, fake_github, app_key
):
    world(fake_github)
    add_runs(fake_github, 30, datetime.now(UTC) - timedelta(days=3))
    fake_github.add_pull(REPO, 5, head_ref="stale")
    fake_github.state.get_repo(REPO).issues[5]["labels"].append(
        {"id": 1, "node_id": "x", "url": "", "name": "needs-rebase", "color": "ededed",
         "default": False, "description": None}
    )  # fmt: skip
    settings = pitcrew_settings(settings_factory, fake_github, app_key)
    client = await app_client(settings, policy=FAST_POLICY)
    gh = client.app[CTX].github.for_installation(INSTALLATION)
    from bot.report.backend import store_of

    await backfill(gh, "octo-org", "widgets", store_of(client.app[CTX]))
    from bot.scheduler import schedule_payload

    for i in range(2):
        payload = schedule_payload(KnownRepo("octo-org", "widgets", INSTALLATION), "report",
                                   1_700_000_000 + i)  # fmt: skip
        body = json.dumps(payload).encode()
        await client.app[QUEUE].enqueue(delivery_id=f"sched-{i}", event="pitcrew_schedule",
                                          action="report", key="k", body=body)  # fmt: skip
        client.app[WORKERS].wake()
        await drain(client)
        if i == 0:  # new data between the two reports
            add_runs(fake_github, 5, datetime.now(UTC) - timedelta(hours=5),
                     conclusion="failure")  # fmt: skip
            await backfill(gh, "octo-org", "widgets", store_of(client.app[CTX]))
    issues = [i for i in fake_github.state.get_repo(REPO).issues.values()
              if "<!-- pitcrew:report -->" in (i.get("body") or "")]  # fmt: skip
    assert len(issues) == 1
    assert "Needing a rebase: #5" in issues[0]["body"]
    number = issues[0]["number"]
    previous = [c for c in fake_github.comments(REPO, number) if "Previous report" in c["body"]]
    assert len(previous) == 1


async def test_retention_prunes_old_history_and_jobs(app_client, settings_factory, fake_github,
                                                     app_key):  # fmt: skip
    from bot.report.backend import store_of

    world(fake_github)
    add_runs(fake_github, 3, datetime.now(UTC) - timedelta(days=200))
    add_runs(fake_github, 2, datetime.now(UTC) - timedelta(days=2))
    settings = pitcrew_settings(settings_factory, fake_github, app_key,
                                PITCREW_RETENTION_DAYS="30")  # fmt: skip
    client = await app_client(settings, policy=FAST_POLICY, start_workers=False)
    ctx = client.app[CTX]
    gh = ctx.github.for_installation(INSTALLATION)
    await backfill(gh, "octo-org", "widgets", store_of(ctx))
    assert len(store_of(ctx).load_runs(REPO)) == 5
    counts = await Scheduler(ctx, client.app[QUEUE], client.app[LEASE]).prune()
    assert counts["runs"] == 3
    assert len(store_of(ctx).load_runs(REPO)) == 2
