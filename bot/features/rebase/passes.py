"""The rebase feature's work: one job's target and mirror, the check pass over open PRs,
and the update path (git in the mirror, or GitHub's update-branch API), with its reports."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from gidgethub import BadRequest

from bot import github
from bot.context import Context
from bot.github import InstallationAPI
from bot.kvstore import kv_of
from bot.merge_queue import queued_numbers
from bot.rebase import (
    GitError,
    HeadCheck,
    MirrorCache,
    check_heads_async,
    github_auth_header,
    rules_from_config,
    update_branch_async,
    validate_ref,
)
from bot.rebase.git import Git
from bot.rebase.mirrors import (
    MirrorUnavailable,
    mirror_cache,
    mirror_has_head,
    open_fetched,
)
from bot.rebase.push import (
    GuardedPush,
    Report,
    after_push,
    before_push,
    cannot_merge,
    conflict_found,
    conflict_stopped_update,
    failure,
    guarded_push,
    moved_before_update,
    push_failed,
    push_refusal,
    reports_a_conflict,
    update_branch_accepted,
    update_branch_refused,
)
from bot.rebase.render import render_resolved
from bot.rebase.targets import (
    Outcome,
    Pull,
    Repo,
    bot_identity,
    can_resolve,
    git_protocols,
    no_update_reason,
    refusal,
    wants_update,
)
from bot.rebase.update import UpdateResult

log = logging.getLogger(__name__)

KIND = "rebase"  # sticky comment marker: <!-- pitcrew:rebase -->


# --------------------------------------------------------------------------- plumbing


@dataclass
class RebaseTarget:
    """One repository the rebase service works on, with the client and token to write to it."""

    ctx: Context
    gh: InstallationAPI
    repo: Repo
    config: dict[str, Any]  # the `rebase` section
    token: str = field(default="", repr=False)

    @property
    def conflict_label(self) -> str:
        return str(self.config.get("conflict_label", "needs-rebase"))

    @property
    def header(self) -> str:
        return github_auth_header(self.token)

    def remotes(self, pull: Pull) -> dict[str, str]:
        """Remote names for the copy-paste commands: a fork's author works in their fork."""
        return {"remote": "upstream", "head_remote": "origin"} if pull.is_fork_of(self.repo) else {}

    async def comment(
        self,
        pull: Pull,
        body: str,
        *,
        only_if: Callable[[dict[str, Any] | None], bool] | None = None,
    ) -> None:
        await github.upsert_comment(
            self.gh,
            self.repo.owner,
            self.repo.name,
            pull.number,
            KIND,
            body,
            secrets=[self.token, self.header],
            only_if=only_if,
        )


async def start_job(
    ctx: Context, gh: InstallationAPI, repo: Repo, config: dict[str, Any]
) -> RebaseTarget:
    if ctx.github is None or repo.installation_id is None:
        raise github.GitHubError(f"{repo.full_name}: no App installation to act as")
    token = await gh.token()  # the job's token: this repository, the permissions declared below
    return RebaseTarget(ctx=ctx, gh=gh, repo=repo, config=config, token=token)


def open_mirror(
    job: RebaseTarget, base: str, numbers: Sequence[int]
) -> contextlib.AbstractAsyncContextManager[Git]:
    """The repo's mirror with ``base`` and the PRs' heads fetched, lock held (a failed fetch is
    retried by the queue, see :func:`bot.rebase.mirrors.open_fetched`)."""
    return open_fetched(
        mirror_cache(job.ctx),
        job.repo,
        branches=[base],
        pulls=numbers,
        auth_header=job.header,
    )


# --------------------------------------------------------------------------- check pass


async def check_and_act(
    job: RebaseTarget,
    base: str,
    pulls: Sequence[Pull],
    *,
    trigger: str,
    allow_update: bool = True,
) -> dict[int, str]:
    """Check ``pulls`` against ``base`` in one pass; report conflicts; update opted-in PRs.

    Returns PR number → what happened (``conflicted``, ``clean``, ``up_to_date``,
    ``updated``, …), for logs and tests.
    """
    validate_ref(base, allow_full=False)
    pulls = [p for p in pulls if p.state == "open"]
    unsafe = [p.number for p in pulls if not p.safe_head()]
    if unsafe:
        log.warning("skipping PRs with unsafe head branch names", extra={"pulls": unsafe})
    pulls = [p for p in pulls if p.safe_head()]
    queued = await asyncio.to_thread(queued_numbers, kv_of(job.ctx), job.repo.full_name)
    if queued.intersection(p.number for p in pulls):
        # In the merge queue an update would drop the PR from the queue and re-run its checks.
        log.info("leaving PRs in the merge queue alone", extra={"pulls": sorted(queued)})
        pulls = [p for p in pulls if p.number not in queued]
    if not pulls:
        return {}
    try:
        return await _check_and_act(job, base, pulls, trigger=trigger, allow_update=allow_update)
    except MirrorUnavailable as exc:
        log.warning("rebase check skipped", extra={"repo": job.repo.full_name, "error": str(exc)})
        return {}


async def _check_and_act(
    job: RebaseTarget, base: str, pulls: Sequence[Pull], *, trigger: str, allow_update: bool
) -> dict[int, str]:
    cache = mirror_cache(job.ctx)
    results: dict[int, str] = {}
    to_report: list[tuple[Pull, HeadCheck]] = []
    async with open_mirror(job, base, [p.number for p in pulls]) as git:
        checks = await check_heads_async(git, base, [p.ref for p in pulls])
        for pull, check in zip(pulls, checks, strict=True):
            results[pull.number] = check.status
            if check.status in ("error", "missing"):  # no verdict: say nothing on the PR
                _log_unchecked(job, base, pull, check)
                continue
            reason = wants_update(job.config, pull) if allow_update else None
            behind = check.status == "clean" or (
                check.status == "conflicted" and can_resolve(job.config)
            )
            if reason and behind:  # updates need git: inside the mirror lock
                outcome = await update_in_mirror(
                    job,
                    git,
                    cache,
                    base,
                    pull,
                    strategy=job.config.get("strategy", "rebase"),
                    why=f"{trigger}, and {reason}",
                    checked=check,
                )
                results[pull.number] = outcome.status
                if check.status == "clean" and outcome.status not in ("updated", "conflicted"):
                    await _clear_conflict_label(job, pull)  # the conflict is gone all the same
            else:
                to_report.append((pull, check))
    # reports only talk to GitHub: the mirror is free for other jobs meanwhile
    for pull, check in to_report:
        await report_check(job, base, pull, check, trigger=trigger)
    return results


def _log_unchecked(job: RebaseTarget, base: str, pull: Pull, check: HeadCheck) -> None:
    """A head git cannot merge (unrelated histories, a broken object): one log line, no comment.

    Any comment would guess: there are no conflicting lines to show, and the label would claim
    a conflict nobody can resolve by rebasing.
    """
    log.warning(
        "rebase check: PR cannot be checked against its base",
        extra={
            "repo": job.repo.full_name,
            "pull": pull.number,
            "base": base,
            "status": check.status,
            "error": check.error,
            "delivery_id": job.ctx.delivery_id,
        },
    )


async def report_check(
    job: RebaseTarget, base: str, pull: Pull, check: HeadCheck, *, trigger: str
) -> None:
    """Label + sticky comment for a conflict; un-label + "resolved" once it is gone."""
    if check.status == "conflicted":
        strategy = job.config.get("strategy", "rebase")
        reason = f"checked because {trigger}; {no_update_reason(job.config, pull)}"
        body = conflict_found(
            base, pull, check, strategy=strategy, reason=reason, remotes=job.remotes(pull)
        )
        await _report_conflict(job, pull, body)
    elif check.status in ("clean", "up_to_date") and job.conflict_label in pull.labels:
        await mark_resolved(job, base, pull, reason=f"checked again because {trigger}")


async def _report_conflict(job: RebaseTarget, pull: Pull, body: str) -> None:
    if job.conflict_label not in pull.labels:
        await github.add_labels(
            job.gh, job.repo.owner, job.repo.name, pull.number, job.conflict_label
        )
        pull.labels.add(job.conflict_label)
    await job.comment(pull, body)


async def mark_resolved(job: RebaseTarget, base: str, pull: Pull, *, reason: str) -> None:
    """Remove the conflict label and edit the sticky comment (never create one for this)."""
    label = job.conflict_label
    if label in pull.labels:
        await github.remove_label(job.gh, job.repo.owner, job.repo.name, pull.number, label)
        pull.labels.discard(label)
    await job.comment(
        pull,
        render_resolved(base=base, head=pull.head_ref, reason=reason),
        only_if=reports_a_conflict,
    )


# --------------------------------------------------------------------------- update path


async def get_pull(job: RebaseTarget, number: int) -> Pull:
    return Pull.from_json(await github.get_pull(job.gh, job.repo.owner, job.repo.name, number))


async def update_now(job: RebaseTarget, number: int, *, strategy: str, why: str) -> Outcome:
    """Update one PR right away (commands, the opt-in label): own mirror session."""
    pull = await get_pull(job, number)
    if pull.state != "open":
        return Outcome("skipped", "the pull request is not open")
    if not pull.safe_head():
        return Outcome(
            "refused",
            "the head branch name contains characters Pitcrew refuses to pass to git or to put "
            "in copy-paste commands; rename the branch",
        )
    cache = mirror_cache(job.ctx)
    try:
        async with open_mirror(job, pull.base_ref, [pull.number]) as git:
            [check] = await check_heads_async(git, pull.base_ref, [pull.ref])
            return await update_in_mirror(
                job,
                git,
                cache,
                pull.base_ref,
                pull,
                strategy=strategy,
                why=why,
                checked=check,
                fresh=pull,
            )
    except MirrorUnavailable as exc:
        return Outcome("error", str(exc))


async def update_in_mirror(
    job: RebaseTarget,
    git: Any,
    cache: MirrorCache,
    base: str,
    pull: Pull,
    *,
    strategy: str,
    why: str,
    checked: HeadCheck,
    fresh: Pull | None = None,
) -> Outcome:
    """Update ``pull`` inside an open mirror session and write the sticky comment."""
    fresh = fresh or await get_pull(job, pull.number)
    fresh.labels |= pull.labels
    outcome = await _update(job, git, cache, base, fresh, strategy=strategy, why=why, check=checked)
    log.info(
        "rebase update",
        extra={
            "repo": job.repo.full_name,
            "pull": pull.number,
            "status": outcome.status,
            "path": outcome.path,
            "delivery_id": job.ctx.delivery_id,
        },
    )
    return outcome


async def _update(
    job: RebaseTarget,
    git: Any,
    cache: MirrorCache,
    base: str,
    pull: Pull,
    *,
    strategy: str,
    why: str,
    check: HeadCheck,
) -> Outcome:
    common = {"base": base, "head": pull.head_ref, "strategy": strategy, **job.remotes(pull)}
    refused = refusal(job.repo, pull, strategy=strategy, why=why)
    if refused is not None:
        return (
            refused
            if refused.status == "skipped"
            else await _write(job, pull, failure(refused, common))
        )
    # never act on a stale view: the mirror must hold the head GitHub reports right now
    if not await mirror_has_head(git, cache, job.repo, pull, auth_header=job.header):
        return await _write(
            job, pull, moved_before_update(pull, strategy=strategy, why=why, common=common)
        )
    if check.head_sha != pull.head_sha:  # the mirror was refreshed: check the new head
        [check] = await check_heads_async(git, base, [pull.ref])
    if check.status in ("error", "missing"):  # git cannot merge it: never rewrite such a branch
        _log_unchecked(job, base, pull, check)
        return await _write(
            job, pull, failure(cannot_merge(base, check, strategy=strategy, why=why), common)
        )
    if (
        strategy == "merge"
        and job.config.get("use_update_branch_api", True)
        and check.status == "clean"
    ):
        return await _update_branch_api(job, base, pull, why=why, common=common)
    try:
        result = await update_branch_async(
            git,
            base,
            pull.ref,
            strategy=strategy,
            resolutions=rules_from_config(job.config.get("resolve") or []),
            rerere=bool(job.config.get("rerere")),
            update_ref=False,
            identity=bot_identity(job.ctx.settings.app_slug),
        )
    except GitError as exc:
        error = Outcome("error", f"Pitcrew could not {strategy} this PR ({why}): {exc}")
        return await _write(job, pull, failure(error, common))
    stopped = before_push(result, pull)
    if stopped is None:
        return await _push(job, git, base, pull, result, strategy=strategy, why=why, common=common)
    if stopped.status == "conflicted":
        body = conflict_stopped_update(
            base, pull, result, strategy=strategy, why=why, remotes=job.remotes(pull)
        )
        await _report_conflict(job, pull, body)
    elif stopped.status == "up_to_date":
        await mark_resolved(job, base, pull, reason=f"`{pull.head_ref}` already contains `{base}`")
    else:
        await _write(job, pull, failure(stopped, common))
    return stopped


async def _push(
    job: RebaseTarget,
    git: Any,
    base: str,
    pull: Pull,
    result: UpdateResult,
    *,
    strategy: str,
    why: str,
    common: dict[str, Any],
) -> Outcome:
    lease = pull.head_sha if strategy == "rebase" else None
    assert pull.head_clone_url is not None  # `refusal` stopped PRs whose fork is gone
    push = await guarded_push(
        git,
        pull.head_clone_url,
        pull.head_ref,
        result.head_after,
        lease,
        auth_header=job.header,
        protocols=git_protocols(job.ctx.settings.github_url),
    )
    if push.result is None:  # transport/permission failure: report it, do not loop
        failed = push_failed(GitError(push.message), strategy=strategy, why=why, common=common)
        return await _write(job, pull, failed, push)
    report = after_push(
        push.result, result, base, pull, lease=lease, strategy=strategy, why=why, common=common
    )
    return await _write(job, pull, report, push)


async def _write(
    job: RebaseTarget, pull: Pull, report: Report, push: GuardedPush | None = None
) -> Outcome:
    """The GitHub side of a `Report`: clear the conflict label if asked, then the comment."""
    if report.clear_label:
        await _clear_conflict_label(job, pull)
    await job.comment(pull, report.comment)
    if push is None or push.landed:
        return report.outcome
    command = "/rebase merge" if report.outcome.path == "merge" else "/rebase"
    reply = push_refusal(push, pull, base_repo=job.repo.full_name, command=command)
    return replace(report.outcome, reply=reply)


async def _clear_conflict_label(job: RebaseTarget, pull: Pull) -> None:
    label = job.conflict_label
    if label in pull.labels:
        await github.remove_label(job.gh, job.repo.owner, job.repo.name, pull.number, label)
        pull.labels.discard(label)


async def _update_branch_api(
    job: RebaseTarget, base: str, pull: Pull, *, why: str, common: dict[str, Any]
) -> Outcome:
    """A clean merge done by GitHub (``PUT /pulls/{n}/update-branch`` with the head we read)."""
    try:
        await job.gh.put(
            "/repos/{owner}/{repo}/pulls/{number}/update-branch",
            url_vars={"owner": job.repo.owner, "repo": job.repo.name, "number": str(pull.number)},
            data={"expected_head_sha": pull.head_sha},
        )
    except BadRequest as exc:
        refused = update_branch_refused(exc.status_code, str(exc), base, why=why, common=common)
        return await _write(job, pull, refused)
    return await _write(job, pull, update_branch_accepted(base, pull, why=why))
