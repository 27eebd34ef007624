"""Failed CI → one sticky diagnosis comment per PR; infra flakes re-run; `/retry`, `/diagnose`.

Stateless over GitHub: every refresh lists the head commit's check runs, so the comment covers
every failing job of that commit whichever replica handles which event. Diagnoses are cached
per job id (a log is read once), and the comment is only edited when its text changes.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from gidgethub import BadRequest, routing, sansio

from bot import github
from bot.commands import CommandContext, CommandError, command
from bot.context import Context
from bot.diagnose.render import render_comment
from bot.feature import Feature
from bot.github import InstallationAPI
from bot.kvstore import kv_of
from bot.memory.model import OVERRIDE_LABELS as LABELS
from bot.merge_queue import parse_queue_branch
from bot.report.backend import store_of
from bot.report.records import FAILED

from .artifacts import _known_paths, publish_lint_annotations
from .common import (
    DIAG_TTL,
    KIND,
    _by_name,
    _is_actions,
    _is_ours,
    _names,
    latest_check_runs,
    open_prs_for_sha,
)
from .jobs import _fix_offer, _queue_auto_fix, diagnosis_for, job_entry
from .memory import (
    _override_signatures,
    _remember_outcome,
    memory_entry,
    remember_branch_failure,
)

log = logging.getLogger(__name__)
router = routing.Router()


# --- events -----------------------------------------------------------------------------


@router.register("workflow_job", action="completed")
async def on_workflow_job_completed(
    event: sansio.Event, gh: InstallationAPI | None, *, ctx: Context
) -> None:
    job = event.data["workflow_job"]
    if gh is None:
        return
    owner, name, _ = _names(event.data)
    queue = parse_queue_branch(job.get("head_branch"))
    await _remember_outcome(ctx, owner, name, job, queue.number if queue else None)
    if job.get("conclusion") not in FAILED:
        return
    if queue is not None:  # a merge-queue run: the comment goes to the queued PR
        await refresh_for_commit(
            gh, ctx, event.data, owner, name, job["head_sha"], [queue.number], merge_queue=True
        )
        return
    outcomes = await refresh_for_commit(gh, ctx, event.data, owner, name, job["head_sha"])
    default = event.data["repository"].get("default_branch")
    if not outcomes and job.get("head_branch") == default:
        await remember_branch_failure(gh, ctx, event.data, owner, name, job)


@router.register("check_run", action="completed")
async def on_check_run_completed(
    event: sansio.Event, gh: InstallationAPI | None, *, ctx: Context
) -> None:
    check = event.data["check_run"]
    if gh is None or _is_actions(check) or _is_ours(check, ctx):
        return  # Actions jobs arrive as workflow_job events; our own checks explain themselves
    owner, name, _ = _names(event.data)
    if check.get("conclusion") in FAILED or check.get("conclusion") == "success":
        prs = [pr["number"] for pr in check.get("pull_requests") or []]
        await refresh_for_commit(gh, ctx, event.data, owner, name, check["head_sha"], prs)


@router.register("workflow_run", action="completed")
async def on_workflow_run_completed(
    event: sansio.Event, gh: InstallationAPI | None, *, ctx: Context
) -> None:
    run = event.data["workflow_run"]
    if gh is None:
        return
    owner, name, _ = _names(event.data)
    prs = [pr["number"] for pr in run.get("pull_requests") or []]
    if run.get("conclusion") in FAILED:
        await maybe_auto_retry(gh, ctx, event.data, owner, name, run)
    await refresh_for_commit(gh, ctx, event.data, owner, name, run["head_sha"], prs)


async def refresh_for_commit(
    gh: InstallationAPI,
    ctx: Context,
    payload: dict[str, Any],
    owner: str,
    name: str,
    sha: str,
    pr_hint: list[int] | None = None,
    *,
    merge_queue: bool = False,
) -> list[str]:
    """Recompute and upsert the diagnosis comment of each open PR at ``sha``.

    ``merge_queue``: ``sha`` is a merge-queue commit testing the PRs in ``pr_hint``.
    """
    trigger = payload.get("workflow_job") or payload.get("workflow_run") or {}
    on_default = trigger.get("head_branch") == (payload.get("repository") or {}).get(
        "default_branch"
    )
    prs = await open_prs_for_sha(
        gh, owner, name, sha, pr_hint, any_head=merge_queue, by_commit=not on_default
    )
    if not prs:
        return []
    config = (await ctx.config(gh, payload)).values
    runs = await latest_check_runs(gh, owner, name, sha)
    grouped = _by_name(runs)
    failing = []
    skipped = []
    for attempts in grouped.values():
        latest = attempts[-1]
        if latest.get("conclusion") == "skipped" and _is_actions(latest):
            skipped.append(str(latest["name"]))  # `needs:` a job that failed
        if latest.get("conclusion") not in FAILED or _is_ours(latest, ctx):
            continue
        job = await job_entry(gh, ctx, owner, name, latest, attempts, config)
        if merge_queue:
            job["merge_queue"] = True
        failing.append(job)
    diag_config = config.get("diagnose") or {}
    known = await _known_paths(gh, ctx, owner, name, sha, failing)
    outcomes = []
    for pr in prs:
        if diag_config.get("annotations", True) is not False:
            await publish_lint_annotations(gh, ctx, owner, name, pr, sha, failing, runs)
        outcomes.append(
            await _upsert_for_pr(
                gh, ctx, owner, name, pr, sha, failing, len(grouped), known, skipped
            )
        )
        if (config.get("fix") or {}).get("auto") and any(
            job["diagnosis"].get("category") == "format" for job in failing
        ):
            await _queue_auto_fix(ctx, payload, pr)
    return outcomes


async def _upsert_for_pr(
    gh: InstallationAPI,
    ctx: Context,
    owner: str,
    name: str,
    pr: dict[str, Any],
    sha: str,
    failing: list[dict[str, Any]],
    total: int,
    known: set[str] | None = None,
    skipped: list[str] | None = None,
) -> str:
    kv = kv_of(ctx)
    key = f"{owner}/{name}#{pr['number']}"
    overrides = await asyncio.to_thread(kv.items, "override", key + ":")
    jobs = []
    for job in failing:
        label = overrides.get(f"{key}:{job['name']}")
        jobs.append(
            {
                **job,
                **({"label_override": label["label"], "override_by": label["by"]} if label else {}),
                **(await memory_entry(gh, ctx, owner, name, pr, job, sha)),
            }
        )
    merge_base = await merge_base_of(gh, ctx, owner, name, pr)
    if not jobs:
        before = await asyncio.to_thread(kv.get, "failed-count", key, 0)
        body = render_comment([], sha, merge_base, repo=f"{owner}/{name}", previously_failed=before)
        state, _ = await github.upsert_comment(
            gh, owner, name, pr["number"], KIND, body, only_if=_exists
        )
        return "none" if state == "skipped" else state  # never failed: nothing to turn green
    await asyncio.to_thread(kv.put, "failed-count", key, len(jobs), DIAG_TTL)
    body = render_comment(
        jobs,
        sha,
        merge_base,
        repo=f"{owner}/{name}",
        total_jobs=total,
        known_paths=known,
        skipped_jobs=skipped,
    )
    body += await _fix_offer(ctx, owner, name, jobs)
    state, _ = await github.upsert_comment(gh, owner, name, pr["number"], KIND, body)
    return state


def _exists(comment: dict[str, Any] | None) -> bool:
    return comment is not None


async def merge_base_of(
    gh: InstallationAPI, ctx: Context, owner: str, name: str, pr: dict[str, Any]
) -> str:
    base, head = str(pr["base"]["sha"]), str(pr["head"]["sha"])
    kv = kv_of(ctx)
    cached = await asyncio.to_thread(kv.get, "merge-base", f"{base}...{head}")
    if cached:
        return str(cached)
    try:
        data = await gh.getitem(
            "/repos/{owner}/{repo}/compare/{basehead}",
            url_vars={"owner": owner, "repo": name, "basehead": f"{base}...{head}"},
        )
        merge_base = str(data["merge_base_commit"]["sha"])
    except (BadRequest, KeyError):
        return str(base)
    await asyncio.to_thread(kv.put, "merge-base", f"{base}...{head}", merge_base, DIAG_TTL)
    return merge_base


# --- automatic re-runs ----------------------------------------------------------------------


async def maybe_auto_retry(
    gh: InstallationAPI,
    ctx: Context,
    payload: dict[str, Any],
    owner: str,
    name: str,
    run: dict[str, Any],
) -> bool:
    """Re-run the failed jobs once per attempt when every failure is an infrastructure flake."""
    config = (await ctx.config(gh, payload)).values
    limit = int((config.get("diagnose") or {}).get("auto_retry", 1))
    attempt = int(run.get("run_attempt") or 1)
    if attempt > limit:
        return False
    failed = []
    async for job in github.paginate(
        gh,
        "/repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/jobs?per_page=100",
        {"owner": owner, "repo": name, "run_id": str(run["id"]), "attempt_number": str(attempt)},
        key="jobs",
    ):
        if job.get("conclusion") in FAILED:
            failed.append(job)
    if not failed:
        return False
    diags = []
    for job in failed:
        check = {**job, "app": {"slug": "github-actions"}, "head_sha": run["head_sha"]}
        diags.append(await diagnosis_for(gh, ctx, owner, name, check, config))
    if not all(d.get("retryable") for d in diags):
        return False
    from bot.report.store import Retry

    rule = diags[0].get("rule") or "infra"
    fresh = await asyncio.to_thread(
        store_of(ctx).record_retry,
        Retry(repo=f"{owner}/{name}", run_id=run["id"], attempt=attempt, rule=rule),
    )
    if not fresh:
        return False  # this attempt was already re-run (redelivered event)
    await gh.post(
        "/repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs",
        url_vars={"owner": owner, "repo": name, "run_id": str(run["id"])},
        data={},
    )
    kv = kv_of(ctx)
    key = f"{owner}/{name}:{run['head_sha']}"
    count = await asyncio.to_thread(kv.get, "auto-retry", key, 0)
    await asyncio.to_thread(kv.put, "auto-retry", key, count + 1, DIAG_TTL)
    return True


# --- commands -------------------------------------------------------------------------------


async def _pr(cmd: CommandContext) -> dict[str, Any]:
    return await github.get_pull(cmd.gh, cmd.owner, cmd.repo, cmd.number)


@command(
    "retry",
    help="Re-run the failed jobs of this PR's head commit.",
    permission="write",
    author_may_use=True,
)
async def on_retry_command(cmd: CommandContext) -> None:
    pr = await _pr(cmd)
    sha = pr["head"]["sha"]
    rerun = []
    async for run in github.paginate(
        cmd.gh,
        "/repos/{owner}/{repo}/actions/runs?head_sha={sha}&per_page=100",
        {"owner": cmd.owner, "repo": cmd.repo, "sha": sha},
        key="workflow_runs",
    ):
        if run.get("status") == "completed" and run.get("conclusion") in FAILED:
            await cmd.gh.post(
                "/repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs",
                url_vars={"owner": cmd.owner, "repo": cmd.repo, "run_id": str(run["id"])},
                data={},
            )
            rerun.append(run)
    if not rerun:
        raise CommandError(f"no failed workflow runs for the head commit `{sha[:10]}`")
    names = ", ".join(f"[{run['name']}]({run['html_url']})" for run in rerun)
    cmd.reply(f"Re-running the failed jobs of {len(rerun)} workflow run(s): {names}.")


@command(
    "diagnose",
    help="Diagnose the failing CI jobs of this PR again and update the comment.",
    permission="write",
    author_may_use=True,
)
async def on_diagnose_command(cmd: CommandContext) -> None:
    pr = await _pr(cmd)
    kv = kv_of(cmd.ctx)
    await asyncio.to_thread(kv.delete_prefix, "diag", f"{cmd.owner}/{cmd.repo}:")  # reread logs
    outcomes = await refresh_for_commit(
        cmd.gh, cmd.ctx, cmd.payload, cmd.owner, cmd.repo, pr["head"]["sha"], [cmd.number]
    )
    if outcomes == ["none"]:
        cmd.reply("No failing checks on the head commit: nothing to diagnose.")
    else:  # every command is answered: the diagnosis itself is in the sticky comment
        cmd.reply("Diagnosed the failing checks again; the diagnosis comment is up to date.")


@command(
    "label-failure",
    usage="/label-failure JOB new|flaky|infra|broken_on_base",
    help="Override how the diagnosis comment classifies a failing job.",
    permission="write",
)
async def on_label_failure_command(cmd: CommandContext) -> None:
    if len(cmd.args) < 2 or cmd.args[-1] not in LABELS:
        raise CommandError("usage: `/label-failure JOB new|flaky|infra|broken_on_base`")
    job, label = " ".join(cmd.args[:-1]), cmd.args[-1]
    key = f"{cmd.owner}/{cmd.repo}#{cmd.number}:{job}"
    await asyncio.to_thread(
        kv_of(cmd.ctx).put, "override", key, {"label": label, "by": cmd.sender}, DIAG_TTL
    )
    pr = await _pr(cmd)
    await _override_signatures(cmd, pr["head"]["sha"], job, label)
    await refresh_for_commit(
        cmd.gh, cmd.ctx, cmd.payload, cmd.owner, cmd.repo, pr["head"]["sha"], [cmd.number]
    )
    cmd.reply(f"Recorded: `{job}` counts as `{label}`; the diagnosis comment is up to date.")


FEATURE = Feature(
    name="ci_failures",
    router=router,
    commands=[on_retry_command, on_diagnose_command, on_label_failure_command],
    permissions={
        "actions": "write",  # logs, artifacts (test reports), automatic re-runs
        "checks": "write",  # the pitcrew/lint check run with annotations
        "contents": "read",
        "issues": "write",  # the sticky diagnosis comment
        "pull_requests": "read",
        "statuses": "read",
    },
)
