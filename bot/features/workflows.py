"""Workflow optimizer service: `/optimize`, scheduled runs, and reviews of workflow changes.

Thin on purpose: read the repository through the API, call the optimize engine
(:mod:`bot.optimize`, pure), write the result back. Three triggers:

* ``/optimize`` (PR or issue comment) and the ``optimize.schedule`` cron: open or update ONE
  pull request from ``pitcrew/optimize-workflows`` with the engine's changes. The branch is
  written through the Git Data API (blobs → tree → commit → ref). It is recreated from the
  default branch head only while every commit on it is ours (a trailer marks them); if someone
  else pushed to it, it is left alone and the reply says why.
* ``pull_request`` opened/synchronize/reopened touching ``.github/workflows/**``: one review with
  ``suggestion`` blocks on the changed lines and security findings as comments. Each comment's
  fingerprint is kept in a hidden marker in the review body, so a redelivery or a push that
  brings nothing new posts nothing.

Editing workflow files needs the App's ``workflows`` permission (GitHub refuses the ref update
otherwise); the error is translated into a reply that says so.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from gidgethub import BadRequest, routing, sansio

from bot import github
from bot.commands import CommandContext, CommandError, command
from bot.context import Context
from bot.feature import Feature
from bot.github import InstallationAPI
from bot.github.actions import lookup_catalog
from bot.kvstore import kv_of
from bot.optimize import (
    OptimizeConfig,
    OptimizeResult,
    RunHistory,
    optimize_files,
)
from bot.optimize.actions import ActionCatalog, bundled_catalog
from bot.optimize.history import HISTORY_DAYS, history_from_records, workflow_names
from bot.optimize.lookup import refs_in
from bot.optimize.proposal import (
    BRANCH,
    PR_TITLE,
    TRAILER,
    OptimizeOutcome,
    RepoSnapshot,
    changes_marker,
    commentable_lines,
    commit_message,
    error_lines,
    fingerprint,
    is_workflow,
    posted_ids,
    pr_body,
    render_reply,
    required_checks,
    review_body,
    review_comments,
    unreadable_lines,
    wanted_path,
)
from bot.optimize.zizmor import merge as merge_zizmor
from bot.optimize.zizmor import run_zizmor
from bot.report.changed_paths import ChangedPaths, bounded, from_push

log = logging.getLogger(__name__)
router = routing.Router()
MAX_FILES = 200
#: A run's head commit was pushed (and recorded) before the run was created.
_CHANGE_LAG = timedelta(days=1)

# --- reading the repository ----------------------------------------------------------------------


def _vars(owner: str, repo: str, **more: str) -> dict[str, str]:
    return {"owner": owner, "repo": repo, **more}


def _repo_url(owner: str, repo: str, rest: str) -> str:
    return f"/repos/{quote(owner)}/{quote(repo)}/{rest}"


async def read_tree(gh: InstallationAPI, owner: str, repo: str, sha: str) -> tuple[str, list[str]]:
    """(tree sha, every blob path) of a commit, in one recursive tree call."""
    data = await gh.getitem(_repo_url(owner, repo, f"git/trees/{sha}?recursive=1"))
    if data.get("truncated"):
        log.warning("tree listing truncated", extra={"repo": f"{owner}/{repo}"})
    paths = [e["path"] for e in data.get("tree", []) if e.get("type") == "blob"]
    return data["sha"], paths


async def read_files(
    gh: InstallationAPI,
    owner: str,
    repo: str,
    paths: Iterable[str],
    ref: str,
    unreadable: dict[str, str] | None = None,
) -> dict[str, str]:
    """Text of each path; one that cannot be read (binary, symlink, too big...) is skipped and
    noted in ``unreadable`` with the reason, never failing the whole review."""
    files: dict[str, str] = {}
    for path in sorted(paths)[:MAX_FILES]:
        try:
            text = await github.get_file(gh, owner, repo, path, ref)
        except github.FileUnreadable as exc:
            log.warning("workflow file unreadable", extra={"path": path, "reason": str(exc)})
            if unreadable is not None:
                unreadable[path] = str(exc)
            continue
        if text is not None:
            files[path] = text
        elif unreadable is not None:  # listed in the tree, gone when read (404 mid-read)
            unreadable[path] = "GitHub answered 404 while reading it"
    return files


async def snapshot(gh: InstallationAPI, owner: str, repo: str) -> RepoSnapshot:
    meta = await gh.getitem("/repos/{owner}/{repo}", url_vars=_vars(owner, repo))
    branch = meta["default_branch"]
    info = await gh.getitem(_repo_url(owner, repo, f"branches/{quote(branch, safe='/')}"))
    head = info["commit"]["sha"]
    tree, paths = await read_tree(gh, owner, repo, head)
    snap = RepoSnapshot(branch, head, tree, paths, required_checks=required_checks(info))
    wanted = [p for p in paths if wanted_path(p)]
    snap.files = await read_files(gh, owner, repo, wanted, head, snap.unreadable)
    return snap


async def load_history(ctx: Context, full_name: str, files: Mapping[str, str]) -> RunHistory | None:
    """What the report store collected for this repository over the last 30 days."""
    from bot.report.backend import store_of

    now = datetime.now(UTC)
    since = now - timedelta(days=HISTORY_DAYS)
    store = store_of(ctx)
    runs = await asyncio.to_thread(store.load_runs, full_name, since)
    jobs = await asyncio.to_thread(store.load_jobs, full_name, since)
    changes = await asyncio.to_thread(store.load_changed_paths, full_name, since - _CHANGE_LAG)
    return history_from_records(runs, jobs, workflow_names(files), now, changes)


async def record_changed_paths(ctx: Context, full_name: str, change: ChangedPaths | None) -> None:
    """Keep the files a push or PR head changed, for the ``paths-ignore`` saving estimate."""
    from bot.report.backend import store_of

    if change is not None:
        await asyncio.to_thread(store_of(ctx).record_changed_paths, full_name, change)


@router.register("push")
async def on_push_record_changed_paths(
    event: sansio.Event, gh: InstallationAPI | None, *, ctx: Context
) -> None:
    """The push payload lists each commit's files: recorded without an API call."""
    await record_changed_paths(ctx, event.data["repository"]["full_name"], from_push(event.data))


def engine_config(
    settings: Mapping[str, Any], *, owner: str, default_branch: str, required: Any
) -> OptimizeConfig:
    try:
        return OptimizeConfig.from_mapping(
            settings, default_branch=default_branch, owner=owner, required_checks=required
        )
    except (TypeError, ValueError) as exc:
        raise CommandError(f"invalid `optimize` configuration: {exc}") from exc


async def action_catalog(
    gh: InstallationAPI, ctx: Context, files: Mapping[str, str]
) -> tuple[ActionCatalog, list[str]]:
    """The bundled table overlaid with each used action's ``action.yml`` read at its ref
    through the API (cached per repository and commit in the shared KV store, so a second
    ``/optimize`` makes no action lookups). Failures leave those actions unjudged."""
    refs = refs_in(files.values())
    if not refs:
        return bundled_catalog(), []
    online, stats = await lookup_catalog(gh, refs, kv_of(ctx))
    if stats.failures:
        log.warning("action lookups failed", extra={"failures": stats.failures[:5]})
    return bundled_catalog().merged(online), stats.failures


async def run_engine(files: Mapping[str, str], **kwargs: Any) -> OptimizeResult:
    """The engine is CPU work: run it off the event loop."""
    try:
        return await asyncio.to_thread(optimize_files, files, **kwargs)
    except ValueError as exc:  # unknown rule ids in the configuration
        raise CommandError(str(exc)) from exc


# --- the optimize pull request --------------------------------------------------------------------


async def optimize_repository(
    gh: InstallationAPI,
    ctx: Context,
    owner: str,
    repo: str,
    config: Mapping[str, Any],
    *,
    source: str,
    scheduled: bool = False,
) -> OptimizeOutcome:
    """Read, optimize, and open or update the one optimize PR. Returns what happened.

    A scheduled run does not reopen a proposal a maintainer already closed unmerged: the last
    closed PR's body carries the identity of its changes, and the same changes are skipped.
    """
    settings = config.get("optimize") or {}
    snap = await snapshot(gh, owner, repo)
    history = await load_history(ctx, f"{owner}/{repo}", snap.files)
    config_ = engine_config(
        settings, owner=owner, default_branch=snap.default_branch, required=snap.required_checks
    )
    config_.actions, _failures = await action_catalog(gh, ctx, snap.files)
    result = await run_engine(snap.files, repo_files=snap.paths, history=history, config=config_)
    outcome = OptimizeOutcome(result, files=len(snap.files), unreadable=snap.unreadable)
    existing = await find_optimize_pr(gh, owner, repo)
    if not result.changes:
        outcome.pr = existing
        return outcome
    body = pr_body(result, history, source, snap.unreadable)
    if scheduled and existing is None and await was_declined(gh, owner, repo, result):
        outcome.action = "declined"
        return outcome
    message = commit_message(result)
    try:
        outcome.action = await write_branch(gh, owner, repo, snap, result, message)
    except BranchNotOurs as exc:
        outcome.action, outcome.note = "blocked", str(exc)
        outcome.pr = existing
        return outcome
    if existing is None:
        outcome.pr = await gh.post(
            "/repos/{owner}/{repo}/pulls",
            url_vars=_vars(owner, repo),
            data={"title": PR_TITLE, "head": BRANCH, "base": snap.default_branch, "body": body},
        )
        outcome.action = "opened"
    else:
        if (existing.get("body") or "").strip() != body.strip():
            existing = await gh.patch(
                "/repos/{owner}/{repo}/pulls/{number}",
                url_vars=_vars(owner, repo, number=str(existing["number"])),
                data={"title": PR_TITLE, "body": body},
            )
            outcome.action = "updated"
        outcome.pr = existing
    return outcome


async def find_optimize_pr(gh: InstallationAPI, owner: str, repo: str) -> dict[str, Any] | None:
    url = "/repos/{owner}/{repo}/pulls?head={head}&state=open&per_page=100"
    async for pr in github.paginate(
        gh, url, _vars(owner, repo, head=f"{owner}:{BRANCH}"), key=None
    ):
        if pr.get("head", {}).get("ref") == BRANCH:
            return pr
    return None


async def was_declined(gh: InstallationAPI, owner: str, repo: str, result: OptimizeResult) -> bool:
    """Was the newest optimize PR closed without merging, proposing exactly these changes?"""
    url = "/repos/{owner}/{repo}/pulls?head={head}&state=closed&per_page=10"
    async for pr in github.paginate(
        gh, url, _vars(owner, repo, head=f"{owner}:{BRANCH}"), key=None
    ):
        if pr.get("head", {}).get("ref") != BRANCH:
            continue
        return pr.get("merged_at") is None and changes_marker(result) in (pr.get("body") or "")
    return False


class BranchNotOurs(Exception):
    """Someone else committed to the optimize branch: Pitcrew will not overwrite it."""


async def write_branch(
    gh: InstallationAPI,
    owner: str,
    repo: str,
    snap: RepoSnapshot,
    result: OptimizeResult,
    message: str,
) -> str:
    """Point ``BRANCH`` at one commit on the default head carrying the changes.

    Returns "created", "updated" or "unchanged". Never discards another author's commit: the
    branch is rewritten only when every commit it has beyond the default branch is ours.
    """
    tree = await _write_tree(gh, owner, repo, snap.tree_sha, result.changes)
    current = await _branch_sha(gh, owner, repo)
    if current is not None:
        tip = await gh.getitem(_repo_url(owner, repo, f"commits/{current}"))
        parents = [p["sha"] for p in tip.get("parents", [])]
        if tip["commit"]["tree"]["sha"] == tree and parents == [snap.head_sha]:
            return "unchanged"
        await _check_ours(gh, owner, repo, snap.head_sha, current)
    commit = await gh.post(
        "/repos/{owner}/{repo}/git/commits",
        url_vars=_vars(owner, repo),
        data={"message": message, "tree": tree, "parents": [snap.head_sha]},
    )
    try:
        if current is None:
            await gh.post(
                "/repos/{owner}/{repo}/git/refs",
                url_vars=_vars(owner, repo),
                data={"ref": f"refs/heads/{BRANCH}", "sha": commit["sha"]},
            )
            return "created"
        await gh.patch(
            _repo_url(owner, repo, f"git/refs/heads/{BRANCH}"),
            data={"sha": commit["sha"], "force": True},
        )
    except BadRequest as exc:
        raise CommandError(_ref_error(exc)) from exc
    return "updated"


def _ref_error(exc: BadRequest) -> str:
    text = str(exc)
    if exc.status_code in (403, 404) or "workflow" in text.lower():
        return (
            f"GitHub refused to update `{BRANCH}` ({exc.status_code}: {text}). Editing "
            "`.github/workflows` needs the App's `workflows` permission: accept it in the "
            "installation's settings."
        )
    return f"could not update `{BRANCH}`: {exc.status_code} {text}"


async def _write_tree(
    gh: InstallationAPI,
    owner: str,
    repo: str,
    base_tree: str,
    changes: Mapping[str, tuple[Any, str]],
) -> str:
    entries = []
    for path, (_old, new) in sorted(changes.items()):
        blob = await gh.post(
            "/repos/{owner}/{repo}/git/blobs",
            url_vars=_vars(owner, repo),
            data={"content": base64.b64encode(new.encode()).decode(), "encoding": "base64"},
        )
        entries.append({"path": path, "mode": "100644", "type": "blob", "sha": blob["sha"]})
    tree = await gh.post(
        "/repos/{owner}/{repo}/git/trees",
        url_vars=_vars(owner, repo),
        data={"base_tree": base_tree, "tree": entries},
    )
    return str(tree["sha"])


async def _branch_sha(gh: InstallationAPI, owner: str, repo: str) -> str | None:
    try:
        ref = await gh.getitem(_repo_url(owner, repo, f"git/ref/heads/{BRANCH}"))
    except BadRequest as exc:
        if exc.status_code == 404:
            return None
        raise
    return str(ref["object"]["sha"])


async def _check_ours(gh: InstallationAPI, owner: str, repo: str, base: str, head: str) -> None:
    data = await gh.getitem(_repo_url(owner, repo, f"compare/{base}...{head}"))
    foreign = [
        c["sha"][:7]
        for c in data.get("commits", [])
        if TRAILER not in (c.get("commit") or {}).get("message", "")
    ]
    if foreign or data.get("total_commits", 0) > len(data.get("commits", [])):
        raise BranchNotOurs(
            f"`{BRANCH}` has commits Pitcrew did not make ({', '.join(foreign) or 'many'}); "
            "it was left as it is. Merge or close its PR, or delete the branch, and run "
            "`/optimize` again."
        )


@command(
    "optimize",
    help="Open or update one PR that makes the workflows faster and safer "
    "(cancel superseded runs, caching, timeouts, permissions, …).",
    permission="write",
    pull_request_only=False,
)
async def on_optimize_command(cmd: CommandContext) -> None:
    settings = cmd.config.get("optimize") or {}
    if not settings.get("enabled", True):
        cmd.reply("The optimizer is disabled for this repository (`optimize.enabled: false`).")
        return
    try:
        outcome = await optimize_repository(
            cmd.gh, cmd.ctx, cmd.owner, cmd.repo, cmd.config, source=f"`/optimize` by @{cmd.sender}"
        )
    except github.GitHubError as exc:
        raise CommandError(str(exc)) from exc
    except BadRequest as exc:  # a 4xx GitHub will answer the same way on a retry
        raise CommandError(f"GitHub answered {exc.status_code}: {exc}") from exc
    cmd.reply(render_reply(outcome))


@router.register("pitcrew_schedule", action="optimize")
async def on_scheduled_optimize(
    event: sansio.Event, gh: InstallationAPI | None, *, ctx: Context
) -> None:
    if gh is None:
        return
    repo = event.data["repository"]
    owner, name = repo["owner"]["login"], repo["name"]
    config = (await ctx.config(gh, event.data)).values
    if not (config.get("optimize") or {}).get("enabled", True):
        return
    try:
        outcome = await optimize_repository(
            gh, ctx, owner, name, config, source="schedule", scheduled=True
        )
    except CommandError as exc:
        log.warning(
            "scheduled optimize failed", extra={"repo": f"{owner}/{name}", "error": str(exc)}
        )
        return
    log.info("scheduled optimize", extra={"repo": f"{owner}/{name}", "action": outcome.action})


# --- reviews of pull requests that change workflows ---------------------------------------------


@router.register("pull_request", action="opened")
@router.register("pull_request", action="reopened")
@router.register("pull_request", action="synchronize")
async def on_workflow_pr_changed(
    event: sansio.Event, gh: InstallationAPI | None, *, ctx: Context
) -> None:
    if gh is None:
        return
    pr = event.data["pull_request"]
    repo = event.data["repository"]
    if pr.get("state", "open") != "open" or pr["head"]["ref"] == BRANCH:
        return
    config = (await ctx.config(gh, event.data)).values
    settings = config.get("optimize") or {}
    if not settings.get("enabled", True) or not settings.get("review", True):
        return
    await review_pull_request(gh, ctx, repo["owner"]["login"], repo["name"], pr["number"], settings)


async def review_pull_request(
    gh: InstallationAPI,
    ctx: Context,
    owner: str,
    repo: str,
    number: int,
    settings: Mapping[str, Any],
) -> dict[str, Any] | None:
    """Post one review with suggestions for the PR's workflow changes; None when nothing new."""
    pr = await github.get_pull(gh, owner, repo, number)
    head = pr["head"]["sha"]
    listed = [
        f
        async for f in github.paginate(
            gh,
            "/repos/{owner}/{repo}/pulls/{number}/files?per_page=100",
            _vars(owner, repo, number=str(number)),
            key=None,
        )
    ]
    names = (n for f in listed for n in (f.get("previous_filename"), f["filename"]) if n)
    await record_changed_paths(ctx, f"{owner}/{repo}", bounded("pull_request", head, names))
    changed = [f for f in listed if is_workflow(f["filename"]) and f.get("status") != "removed"]
    if not changed:
        return None
    lines = {f["filename"]: commentable_lines(f.get("patch")) for f in changed}
    unreadable: dict[str, str] = {}
    files = await read_files(gh, owner, repo, lines, head, unreadable)
    _tree, paths = await read_tree(gh, owner, repo, head)
    history = await load_history(ctx, f"{owner}/{repo}", files)
    config_ = engine_config(
        settings, owner=owner, default_branch=pr["base"]["repo"]["default_branch"], required=None
    )
    config_.actions, _failures = await action_catalog(gh, ctx, files)
    result = await run_engine(
        files, repo_files=paths, history=history, repository=False, config=config_
    )
    audit = await asyncio.to_thread(run_zizmor, files)
    result.findings = merge_zizmor(result.findings, audit.findings)
    comments = review_comments(result, files, lines)
    errors = error_lines(result) + unreadable_lines(unreadable)
    ids = {fingerprint(c) for c in comments} | {
        hashlib.sha256(e.encode()).hexdigest()[:12] for e in errors
    }
    bot_login = f"{ctx.settings.app_slug}[bot]"
    reviews = [
        r
        async for r in github.paginate(
            gh,
            "/repos/{owner}/{repo}/pulls/{number}/reviews?per_page=100",
            _vars(owner, repo, number=str(number)),
            key=None,
        )
    ]
    seen = posted_ids(reviews, bot_login)
    fresh = [c for c in comments if fingerprint(c) not in seen]
    fresh_errors = [e for e in errors if hashlib.sha256(e.encode()).hexdigest()[:12] not in seen]
    if not fresh and not fresh_errors:
        return None
    outside = sum(1 for f in result.findings if f.fix and f.line not in lines.get(f.file, set()))
    body = review_body(fresh, fresh_errors, outside, ids | seen)
    if audit.unavailable:
        body += f"\n\n<sub>zizmor audits not included: {audit.unavailable}.</sub>"
    review: dict[str, Any] = await gh.post(
        "/repos/{owner}/{repo}/pulls/{number}/reviews",
        url_vars=_vars(owner, repo, number=str(number)),
        data={"commit_id": head, "event": "COMMENT", "body": body, "comments": fresh},
    )
    return review


FEATURE = Feature(
    name="workflows",
    router=router,
    commands=[on_optimize_command],
    permissions={
        "actions": "read",
        "checks": "write",
        "contents": "write",  # the optimizer's branch
        "workflows": "write",  # ... which changes .github/workflows
        "pull_requests": "write",  # its PR and review suggestions
        "issues": "write",
    },
)
