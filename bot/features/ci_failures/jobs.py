"""One failing job: its diagnosis (cached per job id), evidence from the base branch, records."""

from __future__ import annotations

import asyncio
import json
import logging
import tempfile
from pathlib import Path
from typing import Any

from gidgethub import BadRequest

from bot import github
from bot.context import Context
from bot.diagnose.engine import Diagnosis as JobDiagnosis
from bot.diagnose.engine import diagnose, diagnose_text
from bot.diagnose.findings import (
    Finding,
    findings_from_log,
)
from bot.fix import AUTO_FIX_EVENT, offer_for_log, render_offer
from bot.github import InstallationAPI
from bot.kvstore import kv_of
from bot.report.backend import store_of
from bot.report.records import FAILED

from .artifacts import _apply_junit
from .common import (
    DIAG_TTL,
    LINT_CATEGORIES,
    MAX_FINDINGS_KEPT,
    _actions_job,
    _is_actions,
    _run_id,
)

log = logging.getLogger(__name__)


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
        # the same read failure memory needs: one call per job, cached
        job = {**await _actions_job(gh, ctx, owner, name, check["id"]), "name": check["name"]}
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
