"""What every part of the CI-failures feature shares: names, limits, check-run listings."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from gidgethub import BadRequest

from bot import github
from bot.context import Context
from bot.github import InstallationAPI
from bot.kvstore import kv_of

log = logging.getLogger(__name__)


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


# --- the comment ------------------------------------------------------------------------


async def open_prs_for_sha(
    gh: InstallationAPI,
    owner: str,
    name: str,
    sha: str,
    hint: list[int] | None = None,
    *,
    any_head: bool = False,
    by_commit: bool = True,
) -> list[dict[str, Any]]:
    """Open PRs whose head is ``sha``.

    ``any_head``: the hinted PRs whatever their head (a merge-queue commit tests them).
    Without a hint (a ``workflow_job`` payload names no PR), GitHub's PRs-of-a-commit list
    answers first: one small call, where listing every open PR cost a page of 100 full PRs
    per 100 open PRs on every failed job (the soak's main cost). That list often misses fork
    PRs (their commit lives in the fork), so an empty answer still falls back to the scan.
    ``by_commit=False`` (a job on the default branch: that list would name only the merged PR
    that brought the commit) goes straight to the scan.
    """
    prs = []
    for number in hint or []:
        pr = await github.get_pull(gh, owner, name, number)
        if pr.get("state") == "open" and (any_head or pr["head"]["sha"] == sha):
            prs.append(pr)
    if prs or any_head:
        return prs
    if by_commit:
        prs = await _open_prs_of_commit(gh, owner, name, sha)
        if prs:
            return prs
    async for pr in github.open_pulls(gh, owner, name):
        if pr["head"]["sha"] == sha:
            prs.append(pr)
    return prs


async def _open_prs_of_commit(
    gh: InstallationAPI, owner: str, name: str, sha: str
) -> list[dict[str, Any]]:
    """Open PRs whose head is ``sha``, from GitHub's PRs-of-a-commit list (one call)."""
    try:
        associated = await gh.getitem(
            "/repos/{owner}/{repo}/commits/{commit_sha}/pulls?per_page=100",
            url_vars={"owner": owner, "repo": name, "commit_sha": sha},
        )
    except BadRequest:  # an unknown commit (404/422): the scan decides
        associated = []
    return [p for p in associated if p.get("state") == "open" and p["head"]["sha"] == sha]


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


def _run_id(check: dict[str, Any]) -> int | None:
    url = check.get("details_url") or check.get("html_url") or ""
    parts = url.split("/runs/", 1)
    if len(parts) == 2:
        head = parts[1].split("/", 1)[0]
        if head.isdigit():
            return int(head)
    return None


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
