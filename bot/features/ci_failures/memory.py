"""Failure memory in the CI-failures feature: record, judge, blame (issue 14)."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from datetime import UTC, datetime
from typing import Any

from gidgethub import BadRequest

from bot import github
from bot.commands import CommandContext
from bot.context import Context
from bot.github import InstallationAPI
from bot.memory.annotate import remember_and_judge, remember_outcome
from bot.memory.backend import memory_of
from bot.memory.model import FirstBroken, Override
from bot.memory.query import first_broken
from bot.memory.records import JobRun, signatures_of
from bot.memory.render import render_first_broken
from bot.report.records import FAILED
from bot.timeparse import timestamp_seconds

from .common import _actions_job, latest_check_runs
from .jobs import diagnosis_for

log = logging.getLogger(__name__)


# --- failure memory ----------------------------------------------------------------------


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
