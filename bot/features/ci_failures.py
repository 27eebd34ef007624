"""Failed CI → one sticky diagnosis comment per PR; infra flakes re-run; `/retry`, `/diagnose`.

Stateless over GitHub: every refresh lists the head commit's check runs, so the comment covers
every failing job of that commit whichever replica handles which event. Diagnoses are cached
per job id (a log is read once), and the comment is only edited when its text changes.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gidgethub import BadRequest, routing, sansio

from bot import github
from bot.commands import CommandContext, CommandError, command
from bot.context import Context
from bot.diagnose.engine import Diagnosis as JobDiagnosis
from bot.diagnose.engine import diagnose, diagnose_text
from bot.diagnose.extractors import Failure
from bot.diagnose.findings import (
    LINT_CHECK_NAME,
    DiffScan,
    Finding,
    batches,
    changed_lines,
    check_run_output,
    findings_from_log,
    split_by_diff,
    to_annotations,
)
from bot.diagnose.junit import MAX_ARCHIVE_BYTES, JUnitReport, failures_from_zip, prefer_junit
from bot.diagnose.render import render_comment
from bot.feature import Feature
from bot.fix import AUTO_FIX_EVENT, offer_for_log, render_offer
from bot.github import InstallationAPI
from bot.kvstore import kv_of
from bot.memory.annotate import remember_and_judge, remember_outcome
from bot.memory.backend import memory_of
from bot.memory.model import OVERRIDE_LABELS as LABELS
from bot.memory.model import FirstBroken, Override
from bot.memory.query import first_broken
from bot.memory.records import JobRun, signatures_of
from bot.memory.render import render_first_broken
from bot.merge_queue import parse_queue_branch
from bot.report.backend import store_of
from bot.report.records import FAILED
from bot.timeparse import timestamp_seconds

log = logging.getLogger(__name__)
router = routing.Router()

KIND = "diagnosis"
DIAG_TTL = 14 * 86400
LINT_CATEGORIES = ("lint", "type_check", "format")
MAX_ARTIFACTS = 5  # test-report artifacts read per run
MAX_FINDINGS_KEPT = 1000  # per job, cached with its diagnosis


def _names(payload: dict[str, Any]) -> tuple[str, str, str]:
    repo = payload["repository"]
    return repo["owner"]["login"], repo["name"], repo["full_name"]


def _is_actions(check_run: dict[str, Any]) -> bool:
    return (check_run.get("app") or {}).get("slug") == "github-actions"


def _is_ours(check_run: dict[str, Any], ctx: Context) -> bool:
    return (check_run.get("app") or {}).get("slug") == ctx.settings.app_slug


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


# --- the comment ------------------------------------------------------------------------


async def open_prs_for_sha(
    gh: InstallationAPI,
    owner: str,
    name: str,
    sha: str,
    hint: list[int] | None = None,
    *,
    any_head: bool = False,
) -> list[dict[str, Any]]:
    """Open PRs whose head is ``sha``; fork PRs are found by scanning (payloads omit them).

    ``any_head``: the hinted PRs whatever their head (a merge-queue commit tests them).
    """
    prs = []
    for number in hint or []:
        pr = await gh.getitem(
            "/repos/{owner}/{repo}/pulls/{number}",
            url_vars={"owner": owner, "repo": name, "number": str(number)},
        )
        if pr.get("state") == "open" and (any_head or pr["head"]["sha"] == sha):
            prs.append(pr)
    if prs or any_head:
        return prs
    async for pr in github.open_pulls(gh, owner, name):
        if pr["head"]["sha"] == sha:
            prs.append(pr)
    return prs


async def latest_check_runs(
    gh: InstallationAPI, owner: str, name: str, sha: str
) -> list[dict[str, Any]]:
    """Every check run of the commit, newest attempt per name first-class; history kept."""
    return [
        run
        async for run in github.paginate(
            gh,
            "/repos/{owner}/{repo}/commits/{ref}/check-runs?per_page=100&filter=all",
            {"owner": owner, "repo": name, "ref": sha},
            key="check_runs",
        )
    ]


def _by_name(runs: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for run in sorted(runs, key=lambda r: r["id"]):
        grouped.setdefault(run["name"], []).append(run)
    return grouped


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
    prs = await open_prs_for_sha(gh, owner, name, sha, pr_hint, any_head=merge_queue)
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


# --- one failing job -----------------------------------------------------------------------


async def job_entry(
    gh: InstallationAPI,
    ctx: Context,
    owner: str,
    name: str,
    check: dict[str, Any],
    attempts: list[dict[str, Any]],
    config: dict[str, Any],
) -> dict[str, Any]:
    """The render input for one failing job: diagnosis plus evidence, each with its link."""
    diag = await diagnosis_for(gh, ctx, owner, name, check, config)
    entry: dict[str, Any] = {
        "name": check["name"],
        "diagnosis": diag,
        "job_url": check.get("html_url") or check.get("details_url"),
    }
    if diag.get("failures_source"):
        entry["source"] = diag["failures_source"]
    if _is_actions(check):
        entry["job_id"] = check["id"]
    passed_before = [a for a in attempts[:-1] if a.get("conclusion") == "success"]
    if passed_before:  # same commit, same job: passed once, failed now
        entry["passed_on_rerun_url"] = passed_before[-1].get("html_url")
    if _is_actions(check):
        base_url = await failed_on_base(gh, ctx, owner, name, check)
        if base_url:
            entry["failed_on_base_url"] = base_url
        retried = await asyncio.to_thread(
            kv_of(ctx).get, "auto-retry", f"{owner}/{name}:{check['head_sha']}", 0
        )
        if retried:
            entry["auto_retried"] = retried
    return entry


async def diagnosis_for(
    gh: InstallationAPI,
    ctx: Context,
    owner: str,
    name: str,
    check: dict[str, Any],
    config: dict[str, Any],
) -> dict[str, Any]:
    kv = kv_of(ctx)
    key = f"{owner}/{name}:{check['id']}"
    cached = await asyncio.to_thread(kv.get, "diag", key)
    if isinstance(cached, dict):
        return cached
    rules = (config.get("diagnose") or {}).get("rules") or None
    if _is_actions(check):
        result, findings = await _diagnose_actions_job(gh, ctx, owner, name, check, rules)
    else:
        findings = []
        annotations = await _annotations(gh, owner, name, check)
        output = check.get("output") or {}
        text = "\n".join(
            filter(None, (output.get("title"), output.get("summary"), output.get("text")))
        )
        result = await asyncio.to_thread(
            diagnose_text, text, name=check["name"], rules=rules, annotations=annotations
        )
    diag: dict[str, Any] = result.to_dict()
    if findings:
        diag["findings"] = [f.as_dict() for f in findings[:MAX_FINDINGS_KEPT]]
    if _is_actions(check) and (config.get("diagnose") or {}).get("junit", True) is not False:
        await _apply_junit(gh, ctx, owner, name, check, diag, result.failures)
    await asyncio.to_thread(kv.put, "diag", key, diag, DIAG_TTL)
    await _record(ctx, owner, name, check, diag)
    return diag


async def _diagnose_actions_job(
    gh: InstallationAPI,
    ctx: Context,
    owner: str,
    name: str,
    check: dict[str, Any],
    rules: list[dict[str, Any]] | None,
) -> tuple[JobDiagnosis, list[Finding]]:
    logs = Path(ctx.settings.data_dir) / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=logs, suffix=".log", delete=False) as handle:
        path = Path(handle.name)
    try:
        try:
            await github.download_job_log(gh, owner, name, check["id"], path)
        except github.GitHubError as exc:
            log.warning("log unavailable", extra={"job": check["id"], "error": str(exc)})
            output = check.get("output") or {}
            text = f"{output.get('title') or ''}\n{output.get('summary') or ''}"
            result = await asyncio.to_thread(diagnose_text, text, name=check["name"], rules=rules)
            return result, []
        await _remember_fix_offer(ctx, owner, name, check["id"], path)
        result = await asyncio.to_thread(diagnose, path, name=check["name"], rules=rules)
        findings: list[Finding] = []
        if result.category in LINT_CATEGORIES:  # findings for the pitcrew/lint check run
            findings = await asyncio.to_thread(
                findings_from_log, path, step=result.failing_step_number
            )
        return result, findings
    finally:
        path.unlink(missing_ok=True)


# --- /fix hooks (issue 17): the offer line, and `fix.auto` handed to the fix feature -------


async def _remember_fix_offer(
    ctx: Context, owner: str, name: str, job_id: int, log_path: Path
) -> None:
    """While the log is on disk: what `/fix` would run for this job (kv ``fix-offer``)."""
    try:
        offer = await asyncio.to_thread(offer_for_log, log_path)
    except Exception:  # the offer is a courtesy: it never breaks the diagnosis
        log.exception("fix offer failed", extra={"job": job_id})
        return
    if offer:
        await asyncio.to_thread(
            kv_of(ctx).put, "fix-offer", f"{owner}/{name}:{job_id}", offer, DIAG_TTL
        )


async def _fix_offer(ctx: Context, owner: str, name: str, jobs: list[dict[str, Any]]) -> str:
    """The line appended to the diagnosis comment when `/fix` applies ("" otherwise)."""
    kv = kv_of(ctx)
    for job in jobs:
        if "job_id" in job:
            offer = await asyncio.to_thread(kv.get, "fix-offer", f"{owner}/{name}:{job['job_id']}")
            if offer:
                return "\n" + render_offer(str(offer)) + "\n"
    return ""


async def _queue_auto_fix(ctx: Context, payload: dict[str, Any], pr: dict[str, Any]) -> None:
    """`fix.auto`: one `pitcrew_fix` job per PR head commit (the queue dedupes the delivery id,
    across replicas too); the fix feature handles it."""
    queue = ctx.services.queue
    if queue is None:
        return
    repo = payload["repository"]
    full, number, sha = repo["full_name"], pr["number"], pr["head"]["sha"]
    body = {
        "action": "auto",
        "repository": repo,
        "installation": payload.get("installation"),
        "number": number,
        "head_sha": sha,
    }
    await queue.enqueue(
        delivery_id=f"fix:{full}#{number}:{sha}",
        event=AUTO_FIX_EVENT,
        action="auto",
        key=full,
        body=json.dumps(body).encode(),
    )


async def _annotations(
    gh: InstallationAPI, owner: str, name: str, check: dict[str, Any]
) -> list[dict[str, Any]]:
    if not (check.get("output") or {}).get("annotations_count"):
        return []
    return [
        item
        async for item in github.paginate(
            gh,
            "/repos/{owner}/{repo}/check-runs/{check_run_id}/annotations?per_page=100",
            {"owner": owner, "repo": name, "check_run_id": str(check["id"])},
            key=None,
        )
    ]


async def _record(
    ctx: Context, owner: str, name: str, check: dict[str, Any], diag: dict[str, Any]
) -> None:
    """Diagnoses feed the status reports and the failures-by-category metric."""
    try:
        from bot.report.metrics import observe_failure
        from bot.report.store import Diagnosis

        run_id = _run_id(check) or 0
        await asyncio.to_thread(
            store_of(ctx).upsert_diagnosis,
            Diagnosis(
                repo=f"{owner}/{name}",
                job_id=check["id"],
                run_id=run_id,
                category=diag.get("category") or "unknown",
                rule=diag.get("rule"),
                failing_tests=tuple(diag.get("failing_tests") or ()),
            ),
        )
        observe_failure(
            f"{owner}/{name}", check["name"], diag.get("category"), ctx.metrics.registry
        )
    except Exception:  # reporting must never block the comment
        log.exception("could not record the diagnosis")


def _run_id(check: dict[str, Any]) -> int | None:
    url = check.get("details_url") or check.get("html_url") or ""
    parts = url.split("/runs/", 1)
    if len(parts) == 2:
        head = parts[1].split("/", 1)[0]
        if head.isdigit():
            return int(head)
    return None


async def failed_on_base(
    gh: InstallationAPI, ctx: Context, owner: str, name: str, check: dict[str, Any]
) -> str | None:
    """The same job failing on the base branch's latest completed run of its workflow."""
    kv = kv_of(ctx)
    key = f"{owner}/{name}:{check['id']}"
    cached = await asyncio.to_thread(kv.get, "base-evidence", key)
    if cached is not None:
        return cached or None
    url = ""
    try:
        job = await gh.getitem(
            "/repos/{owner}/{repo}/actions/jobs/{job_id}",
            url_vars={"owner": owner, "repo": name, "job_id": str(check["id"])},
        )
        run = await gh.getitem(
            "/repos/{owner}/{repo}/actions/runs/{run_id}",
            url_vars={"owner": owner, "repo": name, "run_id": str(job["run_id"])},
        )
        base = (run.get("pull_requests") or [{}])[0].get("base", {}).get("ref")
        base = base or (await _default_branch(gh, owner, name))
        runs = await gh.getitem(
            "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs"
            "?branch={branch}&status=completed&per_page=1",
            url_vars={
                "owner": owner,
                "repo": name,
                "workflow_id": str(run["workflow_id"]),
                "branch": base,
            },
        )
        latest = (runs.get("workflow_runs") or [None])[0]
        if latest and latest.get("conclusion") in FAILED and latest["id"] != run["id"]:
            async for base_job in github.paginate(
                gh,
                "/repos/{owner}/{repo}/actions/runs/{run_id}/jobs?per_page=100",
                {"owner": owner, "repo": name, "run_id": str(latest["id"])},
                key="jobs",
            ):
                if base_job["name"] == job["name"] and base_job.get("conclusion") in FAILED:
                    url = base_job.get("html_url") or latest.get("html_url") or ""
                    break
    except (BadRequest, KeyError, IndexError):
        url = ""
    await asyncio.to_thread(kv.put, "base-evidence", key, url, DIAG_TTL)
    return url or None


async def _default_branch(gh: InstallationAPI, owner: str, name: str) -> str:
    repo = await gh.getitem("/repos/{owner}/{repo}", url_vars={"owner": owner, "repo": name})
    return repo.get("default_branch") or "main"


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
    pr: dict[str, Any] = await cmd.gh.getitem(
        "/repos/{owner}/{repo}/pulls/{number}",
        url_vars={"owner": cmd.owner, "repo": cmd.repo, "number": str(cmd.number)},
    )
    return pr


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


# --- test reports, lint annotations, links to source (issue 11) --------------------------


async def _apply_junit(
    gh: InstallationAPI,
    ctx: Context,
    owner: str,
    name: str,
    check: dict[str, Any],
    diag: dict[str, Any],
    log_failures: list[Failure],
) -> None:
    """Prefer the run's JUnit XML reports (exact test names and messages) to the log."""
    if diag.get("category") not in ("test_failure", "unknown"):
        return
    run_id = _run_id(check)
    if run_id is None:
        return
    report = await junit_report_for_run(gh, ctx, owner, name, run_id)
    if report is None or not report.failures:
        return
    whole_run = not log_failures and await _only_failed_job(gh, owner, name, run_id)
    failures, used = prefer_junit(log_failures, report, whole_run=whole_run)
    if used:
        diag["failures"] = [f.as_dict() for f in failures]
        diag["failing_tests"] = [f.test for f in failures]
        diag["failures_source"] = "JUnit report"
        if diag.get("category") == "unknown":  # the log said nothing; the report does
            diag["category"] = "test_failure"


async def junit_report_for_run(
    gh: InstallationAPI, ctx: Context, owner: str, name: str, run_id: int
) -> JUnitReport | None:
    """Failing tests from the run's artifacts (each a zip; only its ``*.xml`` JUnit files
    are read, in memory, under size caps), cached per run; None when it has none."""
    kv = kv_of(ctx)
    key = f"{owner}/{name}:{run_id}"
    cached = await asyncio.to_thread(kv.get, "junit", key)
    if cached is not None:
        return _report_from_cache(cached)
    try:
        artifacts = [
            a
            async for a in github.paginate(
                gh,
                "/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts?per_page=100",
                {"owner": owner, "repo": name, "run_id": str(run_id)},
                key="artifacts",
            )
        ]
    except github.GitHubError as exc:
        log.warning("artifacts unavailable", extra={"run": run_id, "error": str(exc)})
        return None
    report = JUnitReport()
    usable = [a for a in artifacts if not a.get("expired")]
    for art in usable[:MAX_ARTIFACTS]:
        if int(art.get("size_in_bytes") or 0) > MAX_ARCHIVE_BYTES:
            report.skipped.append(f"artifact {art.get('name')!r}: over the size cap")
            continue
        try:
            data = await github.download_artifact(
                gh, owner, name, int(art["id"]), max_bytes=MAX_ARCHIVE_BYTES
            )
        except github.GitHubError as exc:
            report.skipped.append(f"artifact {art.get('name')!r}: {exc}")
            continue
        await asyncio.to_thread(failures_from_zip, data, report=report)
    if report.skipped:
        log.info("junit artifacts skipped", extra={"run": run_id, "skipped": report.skipped[:10]})
    await asyncio.to_thread(kv.put, "junit", key, report.as_dict(), DIAG_TTL)
    return report


def _report_from_cache(data: dict[str, Any]) -> JUnitReport:
    return JUnitReport(
        failures=[
            Failure(f["test"], f.get("message"), f.get("location"), f.get("line"))
            for f in data.get("failures") or []
        ],
        files=int(data.get("files") or 0),
        tests=int(data.get("tests") or 0),
        skipped=list(data.get("skipped") or []),
    )


async def _only_failed_job(gh: InstallationAPI, owner: str, name: str, run_id: int) -> bool:
    failed = 0
    async for job in github.paginate(
        gh,
        "/repos/{owner}/{repo}/actions/runs/{run_id}/jobs?per_page=100",
        {"owner": owner, "repo": name, "run_id": str(run_id)},
        key="jobs",
    ):
        failed += job.get("conclusion") in FAILED
    return failed == 1


async def _known_paths(
    gh: InstallationAPI,
    ctx: Context,
    owner: str,
    name: str,
    sha: str,
    failing: list[dict[str, Any]],
) -> set[str] | None:
    """Files at the head commit (one recursive tree read, cached), only when a failing
    test has a location to link."""
    if not any(
        f.get("location") for job in failing for f in (job["diagnosis"].get("failures") or [])
    ):
        return None
    kv = kv_of(ctx)
    cached = await asyncio.to_thread(kv.get, "tree", f"{owner}/{name}:{sha}")
    if cached is not None:
        return set(cached)
    try:
        tree = await gh.getitem(
            "/repos/{owner}/{repo}/git/trees/{tree_sha}?recursive=1",
            url_vars={"owner": owner, "repo": name, "tree_sha": sha},
        )
    except BadRequest:
        return None
    paths = [e["path"] for e in tree.get("tree") or [] if e.get("type") == "blob"]
    await asyncio.to_thread(kv.put, "tree", f"{owner}/{name}:{sha}", paths, DIAG_TTL)
    return set(paths)


async def publish_lint_annotations(
    gh: InstallationAPI,
    ctx: Context,
    owner: str,
    name: str,
    pr: dict[str, Any],
    sha: str,
    failing: list[dict[str, Any]],
    runs: list[dict[str, Any]],
) -> str:
    """One ``pitcrew/lint`` check run on the head commit: the findings of the failing
    lint/type-check/format jobs that fall on lines the PR changed, as annotations (50 per
    request); the summary counts the rest. A later refresh updates the same check run and
    sends only annotations it has not sent yet."""
    lint_jobs = [j for j in failing if j["diagnosis"].get("category") in LINT_CATEGORIES]
    findings = [Finding(**f) for job in lint_jobs for f in (job["diagnosis"].get("findings") or [])]
    if not findings:
        return "none"
    files = [
        f
        async for f in github.paginate(
            gh,
            "/repos/{owner}/{repo}/pulls/{pull_number}/files?per_page=100",
            {"owner": owner, "repo": name, "pull_number": str(pr["number"])},
            key=None,
        )
    ]
    inside, outside = split_by_diff(dict.fromkeys(findings), changed_lines(files))
    scan = DiffScan(inside, len(outside))
    jobs_named = ", ".join(j["name"] for j in lint_jobs)
    output = check_run_output(scan, job=jobs_named)
    annotations = to_annotations(inside)
    kv = kv_of(ctx)
    sent_key = f"{owner}/{name}:{sha}"
    sent = set(await asyncio.to_thread(kv.get, "lint-sent", sent_key, []) or [])
    fresh = [a for a in annotations if _annotation_key(a) not in sent]
    conclusion = "failure" if any(f.level == "failure" for f in inside) else "neutral"
    ours = [r for r in runs if r.get("name") == LINT_CHECK_NAME and _is_ours(r, ctx)]
    chunks = batches(fresh) or [[]]
    body: dict[str, Any] = {
        "name": LINT_CHECK_NAME,
        "status": "completed",
        "conclusion": conclusion,
        "output": {**output, "annotations": chunks[0]},
    }
    if ours:
        check_id = ours[-1]["id"]
        await gh.patch(
            "/repos/{owner}/{repo}/check-runs/{check_run_id}",
            url_vars={"owner": owner, "repo": name, "check_run_id": str(check_id)},
            data=body,
        )
        state = "updated"
    else:
        created = await gh.post(
            "/repos/{owner}/{repo}/check-runs",
            url_vars={"owner": owner, "repo": name},
            data={**body, "head_sha": sha},
        )
        check_id = created["id"]
        runs.append(created)
        state = "created"
    for chunk in chunks[1:]:  # the API takes at most 50 annotations per request
        await gh.patch(
            "/repos/{owner}/{repo}/check-runs/{check_run_id}",
            url_vars={"owner": owner, "repo": name, "check_run_id": str(check_id)},
            data={"output": {**output, "annotations": chunk}},
        )
    sent.update(_annotation_key(a) for a in fresh)
    await asyncio.to_thread(kv.put, "lint-sent", sent_key, sorted(sent), DIAG_TTL)
    return state


def _annotation_key(annotation: dict[str, Any]) -> str:
    return f"{annotation['path']}:{annotation['start_line']}:{annotation['message']}"


# --- failure memory ----------------------------------------------------------------------


async def _actions_job(
    gh: InstallationAPI, ctx: Context, owner: str, name: str, job_id: int
) -> dict[str, Any]:
    """The Actions job behind a check run (workflow name, run, attempt), read once."""
    kv = kv_of(ctx)
    key = f"{owner}/{name}:{job_id}"
    cached = await asyncio.to_thread(kv.get, "actions-job", key)
    if cached:
        return dict(cached)
    data = await gh.getitem(
        "/repos/{owner}/{repo}/actions/jobs/{job_id}",
        url_vars={"owner": owner, "repo": name, "job_id": str(job_id)},
    )
    keep = ("workflow_name", "run_id", "run_attempt", "head_branch", "completed_at", "html_url")
    found = {k: data.get(k) for k in keep}
    await asyncio.to_thread(kv.put, "actions-job", key, found, DIAG_TTL)
    return found


def _when(value: str | None) -> datetime:
    try:
        return datetime.fromtimestamp(timestamp_seconds(value), UTC) if value else _now()
    except ValueError:
        return _now()


def _now() -> datetime:
    return datetime.now(UTC)


def _job_run(
    owner: str, name: str, job: dict[str, Any], *, branch: str, pr: int | None, sha: str
) -> JobRun:
    return JobRun(
        repo=f"{owner}/{name}",
        workflow=str(job.get("workflow_name") or ""),
        job=str(job.get("name") or ""),
        sha=sha,
        branch=branch,
        pr=pr,
        run_id=int(job.get("run_id") or 0),
        attempt=int(job.get("run_attempt") or 1),
        at=_when(job.get("completed_at")),
        url=str(job.get("html_url") or ""),
    )


async def _remember_outcome(
    ctx: Context, owner: str, name: str, job: dict[str, Any], pr: int | None
) -> None:
    """Every finished job attempt: a pass is the evidence that tells flaky from broken."""
    if job.get("conclusion") not in {"success", *FAILED}:
        return
    run = _job_run(
        owner,
        name,
        job,
        branch=str(job.get("head_branch") or ""),
        pr=pr,
        sha=str(job.get("head_sha") or ""),
    )
    await asyncio.to_thread(remember_outcome, memory_of(ctx), run, str(job["conclusion"]))


async def memory_entry(
    gh: InstallationAPI,
    ctx: Context,
    owner: str,
    name: str,
    pr: dict[str, Any],
    job: dict[str, Any],
    sha: str,
) -> dict[str, Any]:
    """What failure memory says about one failing Actions job on one PR (recorded first).

    ``sha`` is the commit that ran: the PR's head, or a merge-queue commit testing it.
    """
    if "job_id" not in job:
        return {}
    try:
        info = await _actions_job(gh, ctx, owner, name, job["job_id"])
        run = _job_run(
            owner,
            name,
            {**info, "name": job["name"], "html_url": job.get("job_url") or info.get("html_url")},
            branch=str(info.get("head_branch") or pr["head"]["ref"]),
            pr=pr["number"],
            sha=sha,
        )
        memory = await asyncio.to_thread(
            remember_and_judge,
            memory_of(ctx),
            run,
            job["diagnosis"],
            base_branch=pr["base"]["ref"],
            now=datetime.now(UTC),
        )
    except (BadRequest, KeyError, ValueError):
        log.warning("failure memory skipped for a job", extra={"job": job.get("name")})
        return {}
    entry: dict[str, Any] = {"memory": memory.lines}
    if memory.kind:
        entry["memory_kind"] = memory.kind
    for verdict in memory.verdicts:
        if verdict.kind == "broken_on_base" and verdict.since and verdict.since.url:
            entry.setdefault("failed_on_base_url", verdict.since.url)
    return entry


async def remember_branch_failure(
    gh: InstallationAPI,
    ctx: Context,
    payload: dict[str, Any],
    owner: str,
    name: str,
    job: dict[str, Any],
) -> None:
    """A job failed on the default branch: remember it, and say where the branch turned red."""
    config = (await ctx.config(gh, payload)).values
    check = {**job, "app": {"slug": "github-actions"}}
    diag = await diagnosis_for(gh, ctx, owner, name, check, config)
    branch = str(job.get("head_branch") or "")
    run = _job_run(owner, name, job, branch=branch, pr=None, sha=str(job["head_sha"]))
    now = datetime.now(UTC)
    store = memory_of(ctx)
    memory = await asyncio.to_thread(
        remember_and_judge, store, run, diag, base_branch=branch, now=now
    )
    if not (config.get("diagnose") or {}).get("blame_comment"):
        return
    for verdict in memory.verdicts:
        found = await asyncio.to_thread(
            first_broken,
            store,
            repo=run.repo,
            branch=branch,
            workflow=run.workflow,
            job=run.job,
            signature=verdict.signature,
            now=now,
        )
        if found is not None and found.first_fail.sha == run.sha:
            await _blame(gh, owner, name, found, job)
            return


async def _blame(
    gh: InstallationAPI, owner: str, name: str, found: FirstBroken, job: dict[str, Any]
) -> None:
    """One comment on the PR that brought the first failing commit (opt-in)."""
    try:
        pulls = await gh.getitem(
            "/repos/{owner}/{repo}/commits/{commit_sha}/pulls",
            url_vars={"owner": owner, "repo": name, "commit_sha": found.first_fail.sha},
        )
    except BadRequest:
        return
    merged = [p for p in pulls if p.get("merged_at")] or pulls
    if not merged:
        return
    between: list[str] = []
    if found.last_pass is not None:
        compare = await gh.getitem(
            "/repos/{owner}/{repo}/compare/{basehead}",
            url_vars={
                "owner": owner,
                "repo": name,
                "basehead": f"{found.last_pass.sha}...{found.first_fail.sha}",
            },
        )
        between = [c["sha"] for c in compare.get("commits") or []]
    found = dataclasses.replace(found, commits_between=tuple(between))
    body = (
        f"### `{job.get('name')}` started failing on `{found.branch}` with this PR\n\n"
        f"{render_first_broken(found)}.\n\n"
        "<sub>Pitcrew's failure memory (`diagnose.blame_comment: true`). If this PR is not "
        "the cause, `/label-failure` on a PR that shows the failure corrects it.</sub>"
    )
    await github.upsert_comment(
        gh, owner, name, merged[0]["number"], f"blame:{found.signature}", body
    )


async def _override_signatures(cmd: CommandContext, sha: str, job: str, label: str) -> None:
    """`/label-failure` also labels the failure itself, for every later PR that shows it."""
    for check in await latest_check_runs(cmd.gh, cmd.owner, cmd.repo, sha):
        if check.get("name") != job or check.get("conclusion") not in FAILED:
            continue
        config = (await cmd.ctx.config(cmd.gh, cmd.payload)).values
        diag = await diagnosis_for(cmd.gh, cmd.ctx, cmd.owner, cmd.repo, check, config)
        job_sig, test_sigs = signatures_of(job, diag)
        store = memory_of(cmd.ctx)
        now = datetime.now(UTC)
        for signature in [job_sig, *test_sigs]:
            override = Override(f"{cmd.owner}/{cmd.repo}", signature, label, cmd.sender, now)
            await asyncio.to_thread(store.set_override, override)
        return


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
