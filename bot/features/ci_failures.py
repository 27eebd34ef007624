"""Failed CI → one sticky diagnosis comment per PR; infra flakes re-run; `/retry`, `/diagnose`.

Stateless over GitHub: every refresh lists the head commit's check runs, so the comment covers
every failing job of that commit whichever replica handles which event. Diagnoses are cached
per job id (a log is read once), and the comment is only edited when its text changes.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from pathlib import Path
from typing import Any

from gidgethub import BadRequest, routing, sansio

from bot import github
from bot.commands import CommandContext, CommandError, command
from bot.context import Context
from bot.diagnose.engine import diagnose, diagnose_text
from bot.diagnose.render import render_comment
from bot.feature import Feature
from bot.github import InstallationAPI
from bot.kvstore import kv_of
from bot.report.backend import store_of

log = logging.getLogger(__name__)
router = routing.Router()

KIND = "diagnosis"
FAILED = frozenset({"failure", "timed_out", "startup_failure"})
LABELS = ("new", "flaky", "infra", "broken_on_base")
DIAG_TTL = 14 * 86400


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
    if gh is None or job.get("conclusion") not in FAILED:
        return
    owner, name, _ = _names(event.data)
    await refresh_for_commit(gh, ctx, event.data, owner, name, job["head_sha"])


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
    gh: InstallationAPI, owner: str, name: str, sha: str, hint: list[int] | None = None
) -> list[dict[str, Any]]:
    """Open PRs whose head is ``sha``; fork PRs are found by scanning (payloads omit them)."""
    prs = []
    for number in hint or []:
        pr = await gh.getitem(
            "/repos/{owner}/{repo}/pulls/{number}",
            url_vars={"owner": owner, "repo": name, "number": str(number)},
        )
        if pr.get("state") == "open" and pr["head"]["sha"] == sha:
            prs.append(pr)
    if prs:
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
) -> list[str]:
    """Recompute and upsert the diagnosis comment of each open PR at ``sha``."""
    prs = await open_prs_for_sha(gh, owner, name, sha, pr_hint)
    if not prs:
        return []
    config = (await ctx.config(gh, payload)).values
    runs = await latest_check_runs(gh, owner, name, sha)
    grouped = _by_name(runs)
    failing = []
    for attempts in grouped.values():
        latest = attempts[-1]
        if latest.get("conclusion") not in FAILED or _is_ours(latest, ctx):
            continue
        job = await job_entry(gh, ctx, owner, name, latest, attempts, config)
        failing.append(job)
    outcomes = []
    for pr in prs:
        outcomes.append(await _upsert_for_pr(gh, ctx, owner, name, pr, sha, failing, len(grouped)))
    return outcomes


async def _upsert_for_pr(gh, ctx, owner, name, pr, sha, failing, total) -> str:
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
    body = render_comment(jobs, sha, merge_base, repo=f"{owner}/{name}", total_jobs=total)
    state, _ = await github.upsert_comment(gh, owner, name, pr["number"], KIND, body)
    return state


def _exists(comment: dict[str, Any] | None) -> bool:
    return comment is not None


async def merge_base_of(
    gh: InstallationAPI, ctx: Context, owner: str, name: str, pr: dict[str, Any]
) -> str:
    base, head = pr["base"]["sha"], pr["head"]["sha"]
    kv = kv_of(ctx)
    cached = await asyncio.to_thread(kv.get, "merge-base", f"{base}...{head}")
    if cached:
        return cached
    try:
        data = await gh.getitem(
            "/repos/{owner}/{repo}/compare/{basehead}",
            url_vars={"owner": owner, "repo": name, "basehead": f"{base}...{head}"},
        )
        merge_base = data["merge_base_commit"]["sha"]
    except (BadRequest, KeyError):
        return base
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
    if cached:
        return cached
    rules = (config.get("diagnose") or {}).get("rules") or None
    if _is_actions(check):
        result = await _diagnose_actions_job(gh, ctx, owner, name, check, rules)
    else:
        annotations = await _annotations(gh, owner, name, check)
        output = check.get("output") or {}
        text = "\n".join(
            filter(None, (output.get("title"), output.get("summary"), output.get("text")))
        )
        result = await asyncio.to_thread(
            diagnose_text, text, name=check["name"], rules=rules, annotations=annotations
        )
    diag = result.to_dict()
    await asyncio.to_thread(kv.put, "diag", key, diag, DIAG_TTL)
    await _record(ctx, owner, name, check, diag)
    return diag


async def _diagnose_actions_job(gh, ctx, owner, name, check, rules):
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
            return await asyncio.to_thread(diagnose_text, text, name=check["name"], rules=rules)
        return await asyncio.to_thread(diagnose, path, name=check["name"], rules=rules)
    finally:
        path.unlink(missing_ok=True)


async def _annotations(
    gh: InstallationAPI, owner: str, name: str, check: dict[str, Any]
) -> list[dict]:
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


async def _record(ctx: Context, owner: str, name: str, check: dict[str, Any], diag: dict) -> None:
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
    return await cmd.gh.getitem(
        "/repos/{owner}/{repo}/pulls/{number}",
        url_vars={"owner": cmd.owner, "repo": cmd.repo, "number": str(cmd.number)},
    )


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
    await refresh_for_commit(
        cmd.gh, cmd.ctx, cmd.payload, cmd.owner, cmd.repo, pr["head"]["sha"], [cmd.number]
    )


FEATURE = Feature(
    name="ci_failures",
    router=router,
    commands=[on_retry_command, on_diagnose_command, on_label_failure_command],
)
