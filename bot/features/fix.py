"""`/fix`, `/fix workflows` and `fix.auto`: push the formatter's own fix to the PR branch.

Thin wiring around the fix engine (:mod:`bot.fix`): find the PR head's failing formatting job
and its log (GitHub), run the engine on the head commit in the rebase engine's mirror (no work
tree; the formatter runs in a temporary tree outside it), commit the changed files on top of the
head and push with a lease on the head read at the start — a fast-forward that fails if the
author pushed meanwhile, so their commit is never overwritten. The installation token is used
(so CI runs again) and only as git's ``http.extraHeader``. Forks only with
``maintainer_can_modify``. Every outcome lands in one sticky ``fix`` comment: what was pushed
(files, tool, version) or why nothing was.

``fix.auto``: the CI-failures feature enqueues one ``pitcrew_fix`` job per PR head commit whose
CI failed with category ``format`` (the queue dedupes the delivery id); it is handled here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gidgethub import routing, sansio

from bot import github
from bot.commands import CommandContext, CommandError, command
from bot.context import Context
from bot.feature import Feature
from bot.fix import (
    AUTO_FIX_EVENT,
    FixOutcome,
    FixResult,
    Refusal,
    ToolCache,
    commit_changes,
    fix_commit,
    fix_workflows,
    plan_from_log,
    read_log,
    render_report,
)
from bot.github import InstallationAPI
from bot.rebase import github_auth_header
from bot.rebase.git import Git, resolve_commits
from bot.rebase.mirrors import MirrorUnavailable, mirror_cache, open_fetched
from bot.rebase.push import guarded_push, push_refusal
from bot.rebase.targets import Pull, Repo, bot_identity, git_protocols

log = logging.getLogger(__name__)
router = routing.Router()

KIND = "fix"  # sticky comment marker: <!-- pitcrew:fix -->
FAILED = frozenset({"failure", "timed_out"})


@dataclass
class FixTarget:
    """One repository the fix works on, with the client and the token to push with."""

    ctx: Context
    gh: InstallationAPI
    repo: Repo
    token: str = field(default="", repr=False)

    @property
    def header(self) -> str:
        return github_auth_header(self.token)

    async def comment(self, pull: Pull, body: str) -> None:
        await github.upsert_comment(
            self.gh,
            self.repo.owner,
            self.repo.name,
            pull.number,
            KIND,
            body,
            secrets=[self.token, self.header],
        )


@dataclass
class PushOutcome:
    status: str  # pushed | not_pushed
    result: FixResult
    sha: str | None = None
    refusal: str = ""  # a push that did not land: what happened and what to do


async def start(ctx: Context, gh: InstallationAPI, payload: dict[str, Any]) -> FixTarget:
    repo = Repo.from_payload(payload, gh.installation_id)
    if ctx.github is None or repo.installation_id is None:
        raise github.GitHubError(f"{repo.full_name}: no App installation to act as")
    token = await gh.token()  # the job's or command's own scoped token (least privilege)
    return FixTarget(ctx=ctx, gh=gh, repo=repo, token=token)


def fix_timeout() -> float:
    """Wall-clock limit of one formatter run (``PITCREW_FIX_TIMEOUT`` seconds, default 60)."""
    try:
        return max(1.0, float(os.environ.get("PITCREW_FIX_TIMEOUT") or 60))
    except ValueError:
        return 60.0


def tool_cache(ctx: Context) -> ToolCache:
    root = os.environ.get("PITCREW_FIX_TOOLS")
    return ToolCache(Path(root) if root else Path(ctx.settings.data_dir) / "fix-tools")


def open_mirror(target: FixTarget, pull: Pull) -> contextlib.AbstractAsyncContextManager[Git]:
    """The rebase engine's mirror of the repo with the base and the PR head fetched, locked."""
    return open_fetched(
        mirror_cache(target.ctx),
        target.repo,
        branches=[pull.base_ref],
        pulls=[pull.number],
        auth_header=target.header,
    )


async def get_pull(target: FixTarget, number: int) -> Pull:
    return Pull.from_json(
        await github.get_pull(target.gh, target.repo.owner, target.repo.name, number)
    )


# --------------------------------------------------------------------------- the work


async def fix_pull(target: FixTarget, number: int, *, workflows: bool, trigger: str) -> PushOutcome:
    """Run the fix for one PR and report it in the sticky comment."""
    pull = await get_pull(target, number)
    refusal = cannot_push(target.repo, pull)
    if refusal:
        return await report(target, pull, FixResult("refused", refusal), trigger=trigger)
    log_path: Path | None = None
    try:
        if not workflows:
            log_path, found = await failing_format_log(target, pull.head_sha)
            if log_path is None:
                return await report(target, pull, found, trigger=trigger)
        async with open_mirror(target, pull) as git:
            return await _fix_in_mirror(target, git, pull, log_path, trigger)
    except MirrorUnavailable as exc:
        return await report(target, pull, FixResult("failed", str(exc)), trigger=trigger)
    finally:
        if log_path is not None:
            log_path.unlink(missing_ok=True)


def cannot_push(repo: Repo, pull: Pull) -> str | None:
    """Why Pitcrew may not push to this PR's branch (None: it may)."""
    if pull.state != "open":
        return "the pull request is not open"
    if not pull.safe_head():
        return "the head branch name has characters Pitcrew refuses to pass to git"
    if pull.head_repo is None or pull.head_clone_url is None:
        return "the PR's head repository no longer exists"
    if pull.is_fork_of(repo) and not pull.maintainer_can_modify:
        return (
            f"this PR comes from the fork `{pull.head_repo}`, which does not allow edits by "
            "maintainers; tick **Allow edits by maintainers** or run the formatter yourself"
        )
    return None


async def _fix_in_mirror(
    target: FixTarget, git: Git, pull: Pull, log_path: Path | None, trigger: str
) -> PushOutcome:
    head = pull.head_sha
    found = (await asyncio.to_thread(resolve_commits, git, [pull.ref])).get(pull.ref)
    if found != head:
        moved = f"the branch moved to `{(found or '?')[:12]}` while Pitcrew read it"
        return await report(target, pull, FixResult("failed", moved), trigger=trigger)
    base = await asyncio.to_thread(
        git.out, "merge-base", "--end-of-options", f"refs/heads/{pull.base_ref}", head
    )
    if log_path is None:
        outcome = await asyncio.to_thread(fix_workflows, git, head, base)
        message = "Apply Pitcrew's workflow fixes"
    else:
        outcome = await asyncio.to_thread(
            fix_commit,
            git,
            head,
            log_path,
            base=base,
            cache=tool_cache(target.ctx),
            timeout=fix_timeout(),
        )
        message = f"Apply {outcome.result.tool} formatting"
    if outcome.result.status != "fixed":
        return await report(target, pull, outcome.result, trigger=trigger)
    return await _commit_and_push(target, git, pull, outcome, message, trigger)


async def _commit_and_push(
    target: FixTarget, git: Git, pull: Pull, outcome: FixOutcome, message: str, trigger: str
) -> PushOutcome:
    result = outcome.result
    body = f"{message}\n\n{result.reason}.\nCommand: {result.command}\n"
    identity = bot_identity(target.ctx.settings.app_slug)
    new = await asyncio.to_thread(
        commit_changes, git, pull.head_sha, outcome.changes, body, identity=identity
    )
    assert pull.head_clone_url is not None  # cannot_push checked it
    push = await guarded_push(
        git,
        pull.head_clone_url,
        pull.head_ref,
        new,
        pull.head_sha,  # the lease: the head Pitcrew read and formatted
        auth_header=target.header,
        protocols=git_protocols(target.ctx.settings.github_url),
    )
    if push.status == "pushed":
        body = render_report(
            result, pushed_sha=new, branch=pull.head_ref, head_sha=pull.head_sha, trigger=trigger
        )
        await target.comment(pull, body)
        return PushOutcome("pushed", result, new)
    if push.status == "branch_moved":
        why = (
            f"`{pull.head_ref}` moved after Pitcrew read it at `{pull.head_sha[:12]}`; the push "
            "was refused by the lease and your new commit is intact. Comment `/fix` again."
        )
    elif push.status == "failed":
        why = f"the push failed: {push.message}"
    else:
        why = f"GitHub refused the push: {push.message}"
    not_pushed = await report(target, pull, result, trigger=trigger, not_pushed=why)
    command = "/fix workflows" if "workflow" in message.lower() else "/fix"
    not_pushed.refusal = push_refusal(push, pull, base_repo=target.repo.full_name, command=command)
    return not_pushed


async def report(
    target: FixTarget,
    pull: Pull,
    result: FixResult,
    *,
    trigger: str,
    not_pushed: str | None = None,
) -> PushOutcome:
    await target.comment(pull, render_report(result, not_pushed_reason=not_pushed, trigger=trigger))
    return PushOutcome("not_pushed", result)


async def failing_format_log(target: FixTarget, head: str) -> tuple[Path | None, FixResult]:
    """The log of the head's failing Actions job a formatter can fix (in a temp file)."""
    failing = await _failing_actions_jobs(target, head)
    if not failing:
        return None, FixResult("nothing_to_fix", f"no failing Actions job on `{head[:12]}`")
    logs = Path(target.ctx.settings.data_dir) / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    last = FixResult("unsupported", "no failing job on the head commit failed on formatting")
    owner, name = target.repo.owner, target.repo.name
    for check in failing:
        fd, temp = tempfile.mkstemp(dir=logs, suffix=".log")
        os.close(fd)
        path = Path(temp)
        try:
            await github.download_job_log(target.gh, owner, name, check["id"], path)
            await asyncio.to_thread(plan_from_log, read_log(path))
            return path, last
        except Refusal as refusal:
            if refusal.status == "refused":
                last = FixResult("refused", f"{check['name']}: {refusal.reason}")
        except github.GitHubError as exc:
            log.warning("log unavailable", extra={"job": check["id"], "error": str(exc)})
        path.unlink(missing_ok=True)
    return None, last


async def _failing_actions_jobs(target: FixTarget, head: str) -> list[dict[str, Any]]:
    """The latest attempt of each check run of ``head`` that is a failed Actions job."""
    latest: dict[str, dict[str, Any]] = {}
    async for run in github.paginate(
        target.gh,
        "/repos/{owner}/{repo}/commits/{ref}/check-runs?per_page=100&filter=latest",
        {"owner": target.repo.owner, "repo": target.repo.name, "ref": head},
        key="check_runs",
    ):
        if run["name"] not in latest or run["id"] > latest[run["name"]]["id"]:
            latest[run["name"]] = run
    return [
        run
        for run in latest.values()
        if run.get("conclusion") in FAILED
        and (run.get("app") or {}).get("slug") == "github-actions"
    ]


# --------------------------------------------------------------------------- entry points


@router.register(AUTO_FIX_EVENT, action="auto")
async def on_auto_fix(event: sansio.Event, gh: InstallationAPI | None, *, ctx: Context) -> None:
    """Queued by the CI-failures feature when ``fix.auto`` is on and a job failed on format."""
    if gh is None or ctx.github is None:
        return
    target = await start(ctx, gh, event.data)
    pull = await get_pull(target, int(event.data["number"]))
    if pull.head_sha != event.data.get("head_sha"):
        return  # the PR moved on since the failure: its own CI decides again
    await fix_pull(target, pull.number, workflows=False, trigger="`fix.auto` is on")


@command(
    "fix",
    usage="/fix [workflows]",
    help="Push the formatter's own fix for a formatting failure (`/fix`), or the optimizer's "
    "safe fixes to the workflow files this PR changed (`/fix workflows`). Never overwrites "
    "new commits.",
    permission="write",
    author_may_use=True,
    examples=("/fix", "/fix workflows"),
)
async def on_fix_command(cmd: CommandContext) -> None:
    args = [a.lower() for a in cmd.args]
    if args not in ([], ["workflows"]):
        raise CommandError("usage: `/fix` or `/fix workflows`")
    if cmd.ctx.github is None:
        raise CommandError("Pitcrew has no GitHub App credentials configured")
    target = await start(cmd.ctx, cmd.gh, cmd.payload)
    trigger = f"requested by @{cmd.sender} with `/fix{' workflows' if args else ''}`"
    outcome = await fix_pull(target, cmd.number, workflows=bool(args), trigger=trigger)
    if outcome.status == "pushed":
        files = len(outcome.result.files)
        sha = (outcome.sha or "")[:12]
        cmd.reply(f"Pushed `{sha}` ({files} file(s)); details in the fix comment.")
    elif outcome.result.status == "nothing_to_fix":
        cmd.reply(f"Nothing to push: {outcome.result.reason}.")
    elif outcome.refusal:  # the fix was made but GitHub or the lease refused the push
        raise CommandError(outcome.refusal)
    else:
        raise CommandError(f"nothing was pushed: {outcome.result.reason}")


FEATURE = Feature(
    name="fix",
    router=router,
    commands=[on_fix_command],
    permissions={
        "actions": "read",  # the failing job's log
        "checks": "read",  # the head's check runs
        "contents": "write",  # the fix commit (pushed with a lease) and the config
        "issues": "write",  # the sticky fix comment
        "pull_requests": "read",
        "workflows": "write",  # `/fix workflows` edits .github/workflows
    },
)
