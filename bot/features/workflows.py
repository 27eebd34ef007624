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
import itertools
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from gidgethub import BadRequest, routing, sansio

from bot import github
from bot.commands import CommandContext, CommandError, command
from bot.context import Context
from bot.feature import Feature
from bot.github import InstallationAPI
from bot.optimize import (
    OptimizeConfig,
    OptimizeResult,
    RunHistory,
    optimize_files,
    render_markdown,
    review_suggestions,
)
from bot.optimize.render import security_comments

log = logging.getLogger(__name__)
router = routing.Router()

BRANCH = "pitcrew/optimize-workflows"
TRAILER = "Pitcrew-Optimize: workflows"
PR_TITLE = "ci: optimize GitHub Actions workflows"
REVIEW_KIND = "optimize-review"
HISTORY_DAYS = 30
MAX_FILES = 200
_WORKFLOW = re.compile(r"^\.github/workflows/[^/]+\.ya?ml$")
_LOCAL_ACTION = re.compile(r"^\.github/actions/(?:[^/]+/)+action\.ya?ml$")
_DEPENDABOT = re.compile(r"^\.github/dependabot\.ya?ml$")
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_NAME = re.compile(r"""^name:\s*(?:"([^"]*)"|'([^']*)'|([^#\s][^#]*?))\s*(?:#.*)?$""")
_REVIEW_IDS = re.compile(r"<!-- pitcrew:optimize-review ids=([0-9a-f,]*) -->")


# --- pure helpers ------------------------------------------------------------------------------


def wanted_path(path: str) -> bool:
    """Files the optimizer reads: workflows, local composite actions, the Dependabot config."""
    return bool(_WORKFLOW.match(path) or _LOCAL_ACTION.match(path) or _DEPENDABOT.match(path))


def commentable_lines(patch: str | None) -> set[int]:
    """RIGHT-side lines inside a patch's hunks: the lines GitHub accepts review comments on."""
    lines: set[int] = set()
    current: int | None = None
    for line in (patch or "").splitlines():
        match = _HUNK.match(line)
        if match:
            current = int(match.group(1))
        elif current is not None and not line.startswith(("-", "\\")):
            lines.add(current)
            current += 1
    return lines


def workflow_names(files: Mapping[str, str]) -> dict[str, str]:
    """Run records name a workflow by its ``name:`` (or its path when it has none) → path."""
    names: dict[str, str] = {}
    for path, text in files.items():
        names[path] = path
        for line in text.splitlines():
            match = _NAME.match(line)
            if match:
                names[next(g for g in match.groups() if g is not None).strip()] = path
                break
    return names


def _minutes(seconds: float) -> float:
    return max(0.0, seconds) / 60.0


def history_from_records(
    runs: Iterable[Any], jobs: Iterable[Any], names: Mapping[str, str], now: datetime
) -> RunHistory | None:
    """Fill the engine's RunHistory from the report store's runs and jobs (None: no history).

    * job durations: successful jobs, by workflow path and job name (for ``timeout``);
    * superseded minutes: for each pull_request/push run overtaken by a newer run of the same
      workflow on the same branch while it was still going, the time it kept running after the
      newer one was created — what ``cancel-in-progress`` saves. Billed per job when the jobs
      are known, else the run's wall clock.
    Install-step time and docs-only runs need step data the store does not keep: left empty
    (the engine then reports no estimate for ``cache``/``paths-ignore``).
    """
    runs = [r for r in runs if names.get(r.workflow)]
    if not runs:
        return None
    oldest = min(r.created_at for r in runs)
    window = min(float(HISTORY_DAYS), max(1.0, (now - oldest).total_seconds() / 86400))
    history = RunHistory(window_days=window)
    by_run: dict[int, list[Any]] = {}
    for job in jobs:
        by_run.setdefault(job.run_id, []).append(job)
        path = names.get(job.workflow) if job.workflow else None
        if path is None:
            run = next((r for r in runs if r.run_id == job.run_id), None)
            path = names.get(run.workflow) if run else None
        if path and job.conclusion == "success" and job.duration_s:
            durations = history.job_durations.setdefault(path, {}).setdefault(job.name, [])
            durations.append(_minutes(job.duration_s))
    groups: dict[tuple[str, str, str], list[Any]] = {}
    for run in runs:
        if run.event in ("pull_request", "push") and run.completed and run.branch:
            groups.setdefault((names[run.workflow], run.branch, run.event), []).append(run)
    for (path, _branch, event), group in groups.items():
        group.sort(key=lambda r: r.created_at)
        for older, newer in itertools.pairwise(group):
            saved = _superseded(older, newer.created_at, by_run.get(older.run_id, []))
            if saved <= 0:
                continue
            history.superseded_minutes[path] = history.superseded_minutes.get(path, 0) + saved
            if event == "pull_request":
                pr = history.superseded_pr_minutes
                pr[path] = pr.get(path, 0) + saved
    return history


def _superseded(older: Any, newer_created: datetime, jobs: list[Any]) -> float:
    """Minutes ``older`` kept running after ``newer_created``."""
    timed = [j for j in jobs if j.started_at and j.completed_at]
    if timed:
        return sum(
            _minutes((j.completed_at - max(j.started_at, newer_created)).total_seconds())
            for j in timed
        )
    end = older.updated_at
    start = older.run_started_at or older.created_at
    if end is None:
        return 0.0
    return _minutes((end - max(start, newer_created)).total_seconds())


def fingerprint(comment: Mapping[str, Any]) -> str:
    """Identity of a review comment that survives line shifts: file and text."""
    return hashlib.sha256(f"{comment['path']}\0{comment['body']}".encode()).hexdigest()[:12]


def review_marker(ids: Iterable[str]) -> str:
    return f"<!-- pitcrew:optimize-review ids={','.join(sorted(set(ids)))} -->"


def posted_ids(reviews: Iterable[Mapping[str, Any]], bot_login: str) -> set[str]:
    """Fingerprints already posted in our earlier reviews of this PR."""
    out: set[str] = set()
    for review in reviews:
        if (review.get("user") or {}).get("login", "").lower() != bot_login.lower():
            continue
        for match in _REVIEW_IDS.finditer(review.get("body") or ""):
            out.update(i for i in match.group(1).split(",") if i)
    return out


def changes_id(result: OptimizeResult) -> str:
    """Identity of a proposal: the files it writes and their new content."""
    digest = hashlib.sha256()
    for path, (_old, new) in sorted(result.changes.items()):
        digest.update(f"{path}\0{new}\0".encode())
    return digest.hexdigest()[:16]


def changes_marker(result: OptimizeResult) -> str:
    return f"<!-- pitcrew:optimize-changes id={changes_id(result)} -->"


def pr_body(result: OptimizeResult, history: RunHistory | None, source: str) -> str:
    """The optimize PR's description: the engine's table, savings stated or marked n/a."""
    body = render_markdown(result)
    if history is None:
        body = re.sub(r"\| – \|$", "| n/a |", body, flags=re.M)
        note = (
            "Estimated minutes saved: **n/a** — Pitcrew has no run history for this "
            "repository yet (it collects `workflow_run`/`workflow_job` events)."
        )
    else:
        note = (
            f"Savings estimated from {history.window_days:g} day(s) of run history, scaled "
            "to a month (`–`: no estimate for that rule from the history Pitcrew keeps)."
        )
    return (
        f"{body}\n{note}\n\n{changes_marker(result)}\n"
        f"<sub>Opened by Pitcrew ({source}). Re-run `/optimize` to refresh this PR; Pitcrew "
        f"rewrites `{BRANCH}` only while every commit on it is its own. Editing workflow "
        "files needs the App's `workflows` permission.</sub>\n"
    )


def error_lines(result: OptimizeResult) -> list[str]:
    return [f"- `{e.file}:{e.line}`: {e.message}" for e in result.errors]


# --- reading the repository ----------------------------------------------------------------------


@dataclass
class RepoSnapshot:
    default_branch: str
    head_sha: str
    tree_sha: str
    paths: list[str]
    files: dict[str, str] = field(default_factory=dict)
    required_checks: frozenset[str] | None = None


def _vars(owner: str, repo: str, **more: str) -> dict[str, str]:
    return {"owner": owner, "repo": repo, **more}


def _repo_url(owner: str, repo: str, rest: str) -> str:
    return f"/repos/{quote(owner)}/{quote(repo)}/{rest}"


async def read_tree(gh: Any, owner: str, repo: str, sha: str) -> tuple[str, list[str]]:
    """(tree sha, every blob path) of a commit, in one recursive tree call."""
    data = await gh.getitem(_repo_url(owner, repo, f"git/trees/{sha}?recursive=1"))
    if data.get("truncated"):
        log.warning("tree listing truncated", extra={"repo": f"{owner}/{repo}"})
    paths = [e["path"] for e in data.get("tree", []) if e.get("type") == "blob"]
    return data["sha"], paths


async def read_files(
    gh: Any, owner: str, repo: str, paths: Iterable[str], ref: str
) -> dict[str, str]:
    files: dict[str, str] = {}
    for path in sorted(paths)[:MAX_FILES]:
        text = await github.get_file(gh, owner, repo, path, ref)
        if text is not None:
            files[path] = text
    return files


async def snapshot(gh: Any, owner: str, repo: str) -> RepoSnapshot:
    meta = await gh.getitem("/repos/{owner}/{repo}", url_vars=_vars(owner, repo))
    branch = meta["default_branch"]
    info = await gh.getitem(_repo_url(owner, repo, f"branches/{quote(branch, safe='/')}"))
    head = info["commit"]["sha"]
    tree, paths = await read_tree(gh, owner, repo, head)
    snap = RepoSnapshot(branch, head, tree, paths, required_checks=_required_checks(info))
    snap.files = await read_files(gh, owner, repo, [p for p in paths if wanted_path(p)], head)
    return snap


def _required_checks(branch: Mapping[str, Any]) -> frozenset[str] | None:
    """Required status checks of the default branch when GitHub shows them, else unknown."""
    if branch.get("protected") is False:
        return frozenset()
    checks = ((branch.get("protection") or {}).get("required_status_checks")) or {}
    if not checks:
        return None
    names = set(checks.get("contexts") or ())
    names.update(c.get("context", "") for c in checks.get("checks") or ())
    return frozenset(n for n in names if n)


async def load_history(ctx: Any, full_name: str, files: Mapping[str, str]) -> RunHistory | None:
    """What the report store collected for this repository over the last 30 days."""
    from bot.report.backend import store_of

    now = datetime.now(UTC)
    since = now - timedelta(days=HISTORY_DAYS)
    store = store_of(ctx)
    runs = await asyncio.to_thread(store.load_runs, full_name, since)
    jobs = await asyncio.to_thread(store.load_jobs, full_name, since)
    return history_from_records(runs, jobs, workflow_names(files), now)


def engine_config(
    settings: Mapping[str, Any], *, owner: str, default_branch: str, required: Any
) -> OptimizeConfig:
    try:
        return OptimizeConfig.from_mapping(
            settings, default_branch=default_branch, owner=owner, required_checks=required
        )
    except (TypeError, ValueError) as exc:
        raise CommandError(f"invalid `optimize` configuration: {exc}") from exc


async def run_engine(files: Mapping[str, str], **kwargs: Any) -> OptimizeResult:
    """The engine is CPU work: run it off the event loop."""
    try:
        return await asyncio.to_thread(optimize_files, files, **kwargs)
    except ValueError as exc:  # unknown rule ids in the configuration
        raise CommandError(str(exc)) from exc


# --- the optimize pull request --------------------------------------------------------------------


@dataclass
class Outcome:
    result: OptimizeResult
    files: int
    pr: dict[str, Any] | None = None
    action: str = "none"  # opened | updated | unchanged | none | blocked
    note: str = ""


async def optimize_repository(
    gh: Any,
    ctx: Any,
    owner: str,
    repo: str,
    config: Mapping[str, Any],
    *,
    source: str,
    scheduled: bool = False,
) -> Outcome:
    """Read, optimize, and open or update the one optimize PR. Returns what happened.

    A scheduled run does not reopen a proposal a maintainer already closed unmerged: the last
    closed PR's body carries the identity of its changes, and the same changes are skipped.
    """
    settings = config.get("optimize") or {}
    snap = await snapshot(gh, owner, repo)
    history = await load_history(ctx, f"{owner}/{repo}", snap.files)
    result = await run_engine(
        snap.files,
        repo_files=snap.paths,
        history=history,
        config=engine_config(
            settings, owner=owner, default_branch=snap.default_branch, required=snap.required_checks
        ),
    )
    outcome = Outcome(result, files=len(snap.files))
    existing = await find_optimize_pr(gh, owner, repo)
    if not result.changes:
        outcome.pr = existing
        return outcome
    body = pr_body(result, history, source)
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


def commit_message(result: OptimizeResult) -> str:
    rules = sorted({f.rule for f in result.findings if f.fix})
    files = "\n".join(f"- {path}" for path in sorted(result.changes))
    return f"{PR_TITLE}\n\nRules: {', '.join(rules)}\n\n{files}\n\n{TRAILER}\n"


async def find_optimize_pr(gh: Any, owner: str, repo: str) -> dict[str, Any] | None:
    url = "/repos/{owner}/{repo}/pulls?head={head}&state=open&per_page=100"
    async for pr in github.paginate(
        gh, url, _vars(owner, repo, head=f"{owner}:{BRANCH}"), key=None
    ):
        if pr.get("head", {}).get("ref") == BRANCH:
            return pr
    return None


async def was_declined(gh: Any, owner: str, repo: str, result: OptimizeResult) -> bool:
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
    gh: Any, owner: str, repo: str, snap: RepoSnapshot, result: OptimizeResult, message: str
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
    gh: Any, owner: str, repo: str, base_tree: str, changes: Mapping[str, tuple[Any, str]]
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
    return tree["sha"]


async def _branch_sha(gh: Any, owner: str, repo: str) -> str | None:
    try:
        ref = await gh.getitem(_repo_url(owner, repo, f"git/ref/heads/{BRANCH}"))
    except BadRequest as exc:
        if exc.status_code == 404:
            return None
        raise
    return ref["object"]["sha"]


async def _check_ours(gh: Any, owner: str, repo: str, base: str, head: str) -> None:
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


def render_reply(outcome: Outcome) -> str:
    result, pr = outcome.result, outcome.pr
    fixes = sum(1 for f in result.findings if f.fix)
    human = [f for f in result.findings if not f.fix]
    security = sum(1 for f in human if f.security)
    lines: list[str] = []
    if not result.changes:
        lines.append(f"Nothing to optimize in {outcome.files} workflow file(s).")
        if pr is not None:
            lines.append(f"The optimize PR #{pr['number']} is still open: {pr['html_url']}")
    elif outcome.action == "blocked":
        lines.append(f"Not updated: {outcome.note}")
    else:
        verb = {"opened": "Opened", "updated": "Updated"}.get(outcome.action, "Unchanged:")
        lines.append(
            f"{verb} #{pr['number']} with {fixes} change(s) in {len(result.changes)} "
            f"file(s): {pr['html_url']}"
        )
    if human:
        lines.append(
            f"{len(human)} finding(s) need a human"
            + (f", {security} of them security" if security else "")
            + (" (listed in the PR)." if result.changes else ":")
        )
        if not result.changes:
            lines += [f"- `{f.rule}` `{f.file}:{f.line}`: {f.message}" for f in human[:20]]
    if result.errors:
        lines.append("Could not read:")
        lines += error_lines(result)
    return "\n".join(lines)


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
    gh: Any, ctx: Any, owner: str, repo: str, number: int, settings: Mapping[str, Any]
) -> dict[str, Any] | None:
    """Post one review with suggestions for the PR's workflow changes; None when nothing new."""
    pr = await gh.getitem(
        "/repos/{owner}/{repo}/pulls/{number}", url_vars=_vars(owner, repo, number=str(number))
    )
    head = pr["head"]["sha"]
    changed = [
        f
        async for f in github.paginate(
            gh,
            "/repos/{owner}/{repo}/pulls/{number}/files?per_page=100",
            _vars(owner, repo, number=str(number)),
            key=None,
        )
        if _WORKFLOW.match(f["filename"]) and f.get("status") != "removed"
    ]
    if not changed:
        return None
    lines = {f["filename"]: commentable_lines(f.get("patch")) for f in changed}
    files = await read_files(gh, owner, repo, lines, head)
    _tree, paths = await read_tree(gh, owner, repo, head)
    history = await load_history(ctx, f"{owner}/{repo}", files)
    result = await run_engine(
        files,
        repo_files=paths,
        history=history,
        repository=False,
        config=engine_config(
            settings,
            owner=owner,
            default_branch=pr["base"]["repo"]["default_branch"],
            required=None,
        ),
    )
    comments = review_comments(result, files, lines)
    errors = error_lines(result)
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
    return await gh.post(
        "/repos/{owner}/{repo}/pulls/{number}/reviews",
        url_vars=_vars(owner, repo, number=str(number)),
        data={"commit_id": head, "event": "COMMENT", "body": body, "comments": fresh},
    )


def review_comments(
    result: OptimizeResult, files: Mapping[str, str], lines: Mapping[str, set[int]]
) -> list[dict[str, Any]]:
    """Suggestion blocks (changed lines only) and security findings, in file order."""
    out: list[dict[str, Any]] = []
    for path in sorted(files):
        findings = [f for f in result.findings if f.file == path]
        if path in result.changes:
            old, new = result.changes[path]
            out += review_suggestions(path, old or "", new, lines.get(path, ()), findings)
        out += security_comments(findings, lines.get(path, ()))
    return out


def review_body(
    fresh: list[dict[str, Any]], errors: list[str], outside: int, ids: Iterable[str]
) -> str:
    suggestions = sum(1 for c in fresh if "```suggestion" in c["body"])
    security = len(fresh) - suggestions
    parts = [review_marker(ids), "**Pitcrew reviewed the workflow changes.**"]
    if suggestions:
        parts.append(
            f"{suggestions} suggestion(s) that make CI faster or safer: each applies in one click."
        )
    if security:
        parts.append(f"{security} security finding(s) to look at (not changed automatically).")
    if outside:
        parts.append(
            "Some proposals touch lines this PR does not change; comment `/optimize` to get "
            "them as a separate PR."
        )
    if errors:
        parts.append("Could not read:\n" + "\n".join(errors))
    return "\n\n".join(parts)


FEATURE = Feature(name="workflows", router=router, commands=[on_optimize_command])
