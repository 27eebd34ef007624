"""CI records in, status reports out: collect runs and jobs, `/status`, scheduled reports.

Collection is thin: webhook payload → record → state store (+ Prometheus). The analysis and
Markdown are the report engine's (`bot.report`); this module only reads and writes GitHub.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any

from gidgethub import routing, sansio

from bot import github
from bot.commands import CommandContext, CommandError, command
from bot.context import Context
from bot.feature import Feature
from bot.github import InstallationAPI
from bot.memory.backend import memory_of
from bot.memory.report import MemorySection, memory_section, render_memory_section
from bot.report import MARKER, ReportConfig, build_report_from_store, render_markdown
from bot.report.backend import ReportStorage, store_of
from bot.report.metrics import observe_job, observe_run
from bot.report.model import OpenPR, Report
from bot.report.org import build_org_report
from bot.report.org_metrics import publish_org_metrics
from bot.report.org_model import OrgConfig, OrgReport
from bot.report.org_render import ORG_MARKER, render_org_markdown
from bot.report.records import job_from_api, run_from_api
from bot.report.slo import evaluate_slos, parse_slos
from bot.report.times import parse_span
from bot.timeparse import timestamp_seconds

log = logging.getLogger(__name__)
router = routing.Router()
REPORT_LABEL = "pitcrew-report"


def _repo(payload: dict[str, Any]) -> tuple[str, str]:
    repo = payload["repository"]
    return repo["owner"]["login"], repo["name"]


@router.register("workflow_run", action="completed")
async def on_workflow_run_completed(
    event: sansio.Event, gh: InstallationAPI | None, *, ctx: Context
) -> None:
    repo = event.data["repository"]["full_name"]
    record = run_from_api(event.data["workflow_run"], repo=repo)
    await asyncio.to_thread(store_of(ctx).upsert_run, record)
    observe_run(record, ctx.metrics.registry)


@router.register("workflow_job", action="completed")
async def on_workflow_job_completed(
    event: sansio.Event, gh: InstallationAPI | None, *, ctx: Context
) -> None:
    repo = event.data["repository"]["full_name"]
    record = job_from_api(event.data["workflow_job"], repo=repo)
    await asyncio.to_thread(store_of(ctx).upsert_job, record)
    # failures are counted once their diagnosis names the category (bot.features.ci_failures)
    observe_job(record, ctx.metrics.registry, count_failure=False)


async def build_report(
    ctx: Context, gh: InstallationAPI | None, owner: str, name: str, config: dict[str, Any]
) -> Report:
    """Analyse what the store holds for this repository, with SLOs when configured."""
    settings = config.get("report") or {}
    slos: list[Any] = []
    if settings.get("slos"):
        # config names an endpoint; the URL is the operator's (never fetched from config)
        url = ctx.settings.prometheus_endpoint(settings.get("prometheus"))
        if url is None:
            log.warning(
                "SLOs configured but no such Prometheus endpoint in the service settings",
                extra={"repo": f"{owner}/{name}", "endpoint": settings.get("prometheus")},
            )
        else:
            slos = await evaluate_slos(url, parse_slos(settings["slos"]))
    report_config = ReportConfig(
        window=parse_span(settings.get("window", "7d")),
        baseline=parse_span(settings.get("baseline", "28d")),
    )
    open_prs = await open_pull_requests(gh, owner, name, config) if gh is not None else None
    return await asyncio.to_thread(
        build_report_from_store,
        store_of(ctx),
        f"{owner}/{name}",
        config=report_config,
        slos=slos,
        open_prs=open_prs,
    )


async def open_pull_requests(
    gh: InstallationAPI, owner: str, name: str, config: dict[str, Any]
) -> list[OpenPR]:
    """Open PRs with their age; "needs rebase" is the rebase feature's conflict label."""
    label = (config.get("rebase") or {}).get("conflict_label", "needs-rebase")
    return [
        OpenPR(
            number=pr["number"],
            created_at=datetime.fromtimestamp(timestamp_seconds(pr["created_at"]), UTC),
            needs_rebase=any(lbl.get("name") == label for lbl in pr.get("labels") or []),
            title=pr.get("title") or "",
        )
        async for pr in github.open_pulls(gh, owner, name)
    ]


async def post_report(
    ctx: Context, gh: InstallationAPI, owner: str, name: str, config: dict[str, Any]
) -> str:
    """Edit the tracking issue in place (previous report kept as a comment); returns its URL."""
    settings = config.get("report") or {}
    report = await build_report(ctx, gh, owner, name, config)
    memory = await _memory_section(ctx, gh, owner, name)
    body = render_markdown(report) + render_memory_section(memory)
    target_owner, target_name = owner, name
    if settings.get("repository"):
        target_owner, target_name = settings["repository"].split("/", 1)
    title = settings.get("issue_title") or "Pitcrew CI status report"
    if (target_owner, target_name) != (owner, name):
        title = f"{title}: {owner}/{name}"
    if (target_owner, target_name) != (owner, name):
        # named by the org's .github config (a repository's own config cannot): a token for
        # that repository and the tracking issue only
        gh = gh.for_repository(target_name, {"issues": "write"})
    issue = await upsert_tracking_issue(gh, target_owner, target_name, title, body, MARKER)
    flaky = {*(getattr(getattr(report, "flaky", None), "current", ()) or ()), *memory.flaky_names}
    await asyncio.to_thread(
        store_of(ctx).save_report,
        f"{owner}/{name}",
        str(issue["number"]),
        flaky=flaky,
        verdict=report.verdict,
    )
    return str(issue["html_url"])


async def _memory_section(
    ctx: Context, gh: InstallationAPI, owner: str, name: str
) -> MemorySection:
    """Failure memory's view of the default branch and of flaky tests (issue 14)."""
    repo = await gh.getitem("/repos/{owner}/{repo}", url_vars={"owner": owner, "repo": name})
    branch = str(repo.get("default_branch") or "main")
    previous = await asyncio.to_thread(store_of(ctx).last_report, f"{owner}/{name}")
    section = await asyncio.to_thread(
        memory_section,
        memory_of(ctx),
        f"{owner}/{name}",
        branch,
        previous_flaky=previous.flaky if previous else (),
        now=datetime.now(UTC),
    )
    return section


async def upsert_tracking_issue(
    gh: InstallationAPI, owner: str, name: str, title: str, body: str, marker: str
) -> dict[str, Any]:
    """Create the tracking issue, or edit it in place keeping the previous body as a comment."""
    issue = await find_tracking_issue(gh, owner, name, title, marker)
    vars_ = {"owner": owner, "repo": name}
    if issue is None:
        created: dict[str, Any] = await gh.post(
            "/repos/{owner}/{repo}/issues",
            url_vars=vars_,
            data={"title": title, "body": body, "labels": [REPORT_LABEL]},
        )
        return created
    previous = issue.get("body") or ""
    if previous.strip() == body.strip():
        return issue
    if previous.strip():
        stamp = issue.get("updated_at", "")
        await gh.post(
            "/repos/{owner}/{repo}/issues/{number}/comments",
            url_vars={**vars_, "number": str(issue["number"])},
            data={
                "body": f"Previous report ({stamp}):\n\n"
                + previous.replace(marker, marker.replace(" -->", "-previous -->"))
            },
        )
    edited: dict[str, Any] = await gh.patch(
        "/repos/{owner}/{repo}/issues/{number}",
        url_vars={**vars_, "number": str(issue["number"])},
        data={"body": body},
    )
    return edited


async def find_tracking_issue(
    gh: InstallationAPI, owner: str, name: str, title: str, marker: str = MARKER
) -> dict[str, Any] | None:
    """The open tracking issue: Pitcrew creates it with its label, so one filtered listing."""
    async for issue in github.paginate(
        gh,
        "/repos/{owner}/{repo}/issues?state=open&labels={label}&per_page=100",
        {"owner": owner, "repo": name, "label": REPORT_LABEL},
        key=None,
    ):
        if (
            issue.get("title") == title
            and marker in (issue.get("body") or "")
            and await github.is_own(gh, issue.get("user"))
        ):
            return issue
    return None


@command(
    "status",
    help="Post the CI status report now (to the tracking issue) and link it here; "
    "`/status org`, in the org report's tracking repository, posts the org-wide report.",
    permission="triage",
    pull_request_only=False,
)
async def on_status_command(cmd: CommandContext) -> None:
    if cmd.args[:1] == ("org",):
        await _status_org(cmd)
        return
    try:
        url = await post_report(cmd.ctx, cmd.gh, cmd.owner, cmd.repo, cmd.config)
    except github.GitHubError as exc:
        raise CommandError(str(exc)) from exc
    cmd.reply(f"CI status report updated: {url}")


@router.register("pitcrew_schedule", action="report")
async def on_scheduled_report(
    event: sansio.Event, gh: InstallationAPI | None, *, ctx: Context
) -> None:
    if gh is None:
        return
    owner, name = _repo(event.data)
    config = await ctx.config(gh, event.data)
    if (config.get("report") or {}).get("enabled", True):
        await post_report(ctx, gh, owner, name, config.values)


# --- the org report: one report for the installation ---------------------------------------
ORG_CONFIG_REPO = ".github"


async def org_report_settings(ctx: Context, gh: InstallationAPI, owner: str) -> dict[str, Any]:
    """``report.org`` as the org's ``.github`` repository configures it. Only there: a
    repository's own file cannot aim the org report (or its tracking issue) anywhere."""
    config = await ctx.config_loader.load(gh.org_reader(ORG_CONFIG_REPO), owner, ORG_CONFIG_REPO)
    settings: dict[str, Any] = (config.get("report") or {}).get("org") or {}
    return settings


def org_target(owner: str, settings: dict[str, Any]) -> tuple[str, str]:
    """The tracking issue's repository: configured, same owner, else ``<owner>/.github``."""
    target = settings.get("repository") or f"{owner}/{ORG_CONFIG_REPO}"
    target_owner, target_name = target.split("/", 1)
    if target_owner.lower() != owner.lower():
        raise CommandError(f"`report.org.repository` ({target}) must be a repository of `{owner}`")
    return target_owner, target_name


async def build_org(
    ctx: Context, gh: InstallationAPI, owner: str, settings: dict[str, Any]
) -> OrgReport:
    """Aggregate the installation's runs and jobs in the store (bounded memory)."""
    live = frozenset(
        [
            repo["full_name"]
            async for repo in github.paginate(
                gh.installation_reader(),
                "/installation/repositories?per_page=100",
                key="repositories",
            )
        ]
    )
    config = OrgConfig(
        window_days=parse_span(settings.get("window", "7d")).total_seconds() / 86400,
        baseline_days=parse_span(settings.get("baseline", "28d")).total_seconds() / 86400,
        live_repos=live,
    )
    store = store_of(ctx)

    def build() -> OrgReport:
        with store.org_source(owner) as source:
            return build_org_report(source, now=datetime.now(UTC), config=config)

    report = await asyncio.to_thread(build)
    publish_org_metrics(
        report,
        ctx.metrics.registry,
        top_repos=int(settings.get("metrics_top_repos", 20)),
        top_runners=int(settings.get("metrics_top_runners", 10)),
    )
    return report


async def post_org_report(
    ctx: Context, gh: InstallationAPI, owner: str, settings: dict[str, Any]
) -> str:
    """Post (edit) the org report in its tracking issue; returns the issue's URL."""
    target_owner, target_name = org_target(owner, settings)
    report = await build_org(ctx, gh, owner, settings)
    title = f"{settings.get('issue_title') or 'Pitcrew CI platform report'}: {owner}"
    body = render_org_markdown(report)
    # a token for the tracking repository and its issue only (the job's may be another repo's)
    gh = gh.for_repository(target_name, {"issues": "write"})
    issue = await upsert_tracking_issue(gh, target_owner, target_name, title, body, ORG_MARKER)
    return str(issue["html_url"])


async def _status_org(cmd: CommandContext) -> None:
    """``/status org``: only in the org report's tracking repository."""
    settings = await org_report_settings(cmd.ctx, cmd.gh, cmd.owner)
    target = org_target(cmd.owner, settings)
    if (cmd.owner.lower(), cmd.repo.lower()) != (target[0].lower(), target[1].lower()):
        raise CommandError(
            f"`/status org` works in `{'/'.join(target)}`, the org report's tracking repository "
            f"(`report.org.repository` in `{cmd.owner}/{ORG_CONFIG_REPO}`)."
        )
    try:
        url = await post_org_report(cmd.ctx, cmd.gh, cmd.owner, settings)
    except github.GitHubError as exc:
        raise CommandError(str(exc)) from exc
    cmd.reply(f"CI platform report updated: {url}")


@router.register("pitcrew_schedule", action="org_report")
async def on_scheduled_org_report(
    event: sansio.Event, gh: InstallationAPI | None, *, ctx: Context
) -> None:
    if gh is None:
        return
    owner, _ = _repo(event.data)
    settings = await org_report_settings(ctx, gh, owner)
    if settings.get("enabled", True):
        await post_org_report(ctx, gh, owner, settings)


# --- back-fill ----------------------------------------------------------------------------


async def backfill(
    gh: InstallationAPI, owner: str, name: str, store: ReportStorage, *, with_jobs: bool = False
) -> dict[str, int]:
    """Store runs newer than the checkpoint; the first page is conditional on its ETag.

    Runs come newest first, so paging stops at the first run already stored. A second
    back-fill with nothing new costs one request answered 304.
    """
    repo = f"{owner}/{name}"
    checkpoint = await asyncio.to_thread(store.get_checkpoint, repo)
    last_id = (checkpoint.last_run_id or 0) if checkpoint else 0
    stats = {"pages": 0, "runs": 0, "jobs": 0, "not_modified": 0}
    newest_id, first_etag = last_id, None
    page = 1
    while True:
        url = f"/repos/{owner}/{name}/actions/runs?per_page=100&page={page}"
        etag = checkpoint.etag if page == 1 and checkpoint else None
        status, resp_headers, data = await github.get_conditional(gh, url, etag)
        stats["pages"] += 1
        if status == 304:
            stats["not_modified"] += 1
            break
        if page == 1:
            first_etag = resp_headers.get("etag")
        runs = [run_from_api(item, repo=repo) for item in data.get("workflow_runs", [])]
        fresh = [run for run in runs if run.run_id > last_id]
        if fresh:
            await asyncio.to_thread(store.upsert_runs, fresh)
            stats["runs"] += len(fresh)
            newest_id = max(newest_id, *(run.run_id for run in fresh))
        if with_jobs:
            for run in fresh:
                stats["jobs"] += await _backfill_jobs(gh, owner, name, run.run_id, store)
        if len(fresh) < len(runs) or len(runs) < 100:
            break
        page += 1
    await asyncio.to_thread(
        store.set_checkpoint,
        repo,
        last_run_id=newest_id,
        etag=first_etag or (checkpoint.etag if checkpoint else None),
    )
    return stats


async def _backfill_jobs(
    gh: InstallationAPI, owner: str, name: str, run_id: int, store: ReportStorage
) -> int:
    repo = f"{owner}/{name}"
    jobs = [
        job_from_api(item, repo=repo)
        async for item in github.paginate(
            gh,
            "/repos/{owner}/{repo}/actions/runs/{run_id}/jobs?per_page=100",
            {"owner": owner, "repo": name, "run_id": str(run_id)},
            key="jobs",
        )
    ]
    if jobs:
        await asyncio.to_thread(store.upsert_jobs, jobs)
    return len(jobs)


FEATURE = Feature(
    name="reports",
    router=router,
    commands=[on_status_command],
    permissions={
        "actions": "read",
        "contents": "read",
        "issues": "write",  # the tracking issue
        "pull_requests": "read",
    },
)
