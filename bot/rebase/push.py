"""The lease-guarded push, and what its outcome (or GitHub's update-branch API's) means.

`guarded_push` is the one push path of the features that push to a PR branch (the rebase and
the fix): plain inputs, the outcome as data, a transport failure folded into it. The rest is
pure: given the engine's results, return the `Outcome` and the sticky comment to write, and
`push_refusal` the words a command's reply carries; the wording lives here, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.rebase.check import HeadCheck
from bot.rebase.git import DEFAULT_PROTOCOLS, Git, GitError
from bot.rebase.render import render_conflict, render_failure, render_updated
from bot.rebase.targets import Outcome, Pull
from bot.rebase.update import PushResult, UpdateResult, push_update_async


@dataclass(frozen=True)
class GuardedPush:
    """What one push did: ``pushed``/``up_to_date`` (landed), ``branch_moved`` (the lease or
    the fast-forward check refused it), ``rejected`` (GitHub refused: protection, a ruleset, a
    hook) or ``failed`` (transport or authentication; ``message`` is git's redacted error)."""

    status: str
    message: str
    result: PushResult | None = None

    @property
    def landed(self) -> bool:
        return self.status in ("pushed", "up_to_date")


async def guarded_push(
    git: Git,
    remote_url: str,
    branch: str,
    new_sha: str,
    lease_sha: str | None,
    *,
    auth_header: str,
    protocols: tuple[str, ...] = DEFAULT_PROTOCOLS,
) -> GuardedPush:
    """Push ``new_sha`` to ``branch`` with ``--force-with-lease`` on ``lease_sha`` (or as a
    fast-forward without one). Never raises for a refused or failed push: the caller reports
    it once and does not retry in a loop."""
    try:
        pushed = await push_update_async(
            git, remote_url, branch, new_sha, lease_sha, auth_header=auth_header,
            protocols=protocols,
        )  # fmt: skip
    except GitError as exc:
        return GuardedPush("failed", str(exc))
    return GuardedPush(pushed.status, pushed.message, pushed)


def push_refusal(push: GuardedPush, pull: Pull, *, base_repo: str, command: str) -> str:
    """A command's reply for a push that did not land: what happened, and what to do."""
    branch, again = f"`{pull.head_ref}`", f"comment `{command}` again"
    fork = pull.head_repo is not None and pull.head_repo.lower() != base_repo.lower()
    if push.status == "branch_moved":
        return (
            f"{branch} moved on GitHub after Pitcrew read it at `{pull.head_sha[:12]}`, so the "
            "push was refused by the lease: nothing was overwritten and the new commits are "
            f"intact. To update the new head, {again}."
        )
    if push.status == "rejected":
        return (
            f"GitHub refused the push to {branch} (branch protection, a ruleset or a hook): "
            f"{push.message.strip()}. Nothing was changed. Let the Pitcrew App push to this "
            f"branch (or update it by hand), then {again}."
        )
    if fork and ("403" in push.message or "denied" in push.message.lower()):
        return (
            f"GitHub did not let Pitcrew push to the fork `{pull.head_repo}`: the App's token "
            f"covers `{base_repo}` only, and the fork's owner has not installed the App or "
            "allowed it in. Nothing was changed. Ask the PR's author to update the branch, "
            f"or to install Pitcrew on the fork, then {again}."
        )
    return (
        f"The push to {branch} failed: {push.message.strip()}. Nothing was changed; {again} later."
    )


@dataclass(frozen=True)
class Report:
    """An outcome and the comment that explains it; ``clear_label`` once the PR is updated."""

    outcome: Outcome
    comment: str
    clear_label: bool = False


def moved_before_update(pull: Pull, *, strategy: str, why: str, common: dict[str, Any]) -> Report:
    message = (
        f"Pitcrew was about to {strategy} this PR ({why}), but the branch moved to "
        f"`{pull.head_sha[:12]}` after Pitcrew read it. Nothing was changed or overwritten; "
        "the next event will check it again."
    )
    return Report(
        Outcome("branch_moved", message),
        render_failure(status="branch_moved", message=message, **common),
    )


def push_failed(exc: Exception, *, strategy: str, why: str, common: dict[str, Any]) -> Report:
    """A transport or permission failure: reported, never retried in a loop."""
    message = (
        f"Pitcrew could {strategy} this PR ({why}) but the push failed and will not be "
        f"retried on its own:\n\n```\n{exc}\n```"
    )
    return Report(
        Outcome("rejected", message, strategy),
        render_failure(status="rejected", message=message, **common),
    )


def after_push(
    pushed: PushResult,
    result: UpdateResult,
    base: str,
    pull: Pull,
    *,
    lease: str | None,
    strategy: str,
    why: str,
    common: dict[str, Any],
) -> Report:
    """Updated, refused by the lease (the branch moved), or refused by GitHub."""
    if pushed.status in ("pushed", "up_to_date"):
        reason = f"{why}; pushed with the App's installation token so the PR's checks run again"
        if lease:
            reason += f" (`--force-with-lease` on `{lease[:12]}`)"
        body = render_updated(
            base=base,
            head=pull.head_ref,
            path_taken=strategy,
            reason=reason,
            head_before=result.head_before,
            head_after=result.head_after,
            resolved=[(r.path, r.strategy) for r in result.resolved],
            dropped=result.dropped,
            stacked=result.stacked,
        )
        return Report(Outcome("updated", pushed.message, strategy), body, clear_label=True)
    if pushed.status == "branch_moved":
        message = (
            f"Pitcrew tried to {strategy} this PR ({why}), but `{pull.head_ref}` moved on GitHub "
            f"after Pitcrew read it at `{pull.head_sha[:12]}`. The push was refused by the lease: "
            "nothing was overwritten, your new commits are intact. The next event checks again."
        )
        return Report(
            Outcome("branch_moved", message, strategy),
            render_failure(status="branch_moved", message=message, **common),
        )
    message = (
        f"Pitcrew {strategy}d this PR locally ({why}) but GitHub refused the push (branch "
        f"protection, a ruleset or permissions):\n\n```\n{pushed.message.strip()}\n```\n\n"
        "Pitcrew will not retry on its own; update the branch by hand"
        + (" or comment `/rebase merge`:" if strategy == "rebase" else ":")
    )
    return Report(
        Outcome("rejected", message, strategy),
        render_failure(status="rejected", message=message, **common),
    )


def update_branch_refused(
    status_code: int, error: str, base: str, *, why: str, common: dict[str, Any]
) -> Report:
    """GitHub's update-branch API said no: the head moved (422 on the guard) or it refused."""
    moved = status_code == 422 and "expected_head_sha" in error
    status = "branch_moved" if moved else "rejected"
    message = f"Pitcrew asked GitHub's update-branch API to merge `{base}` ({why}), but " + (
        "the branch moved after Pitcrew read it; nothing was overwritten."
        if moved
        else f"GitHub refused: {error}. Pitcrew will not retry on its own."
    )
    return Report(
        Outcome(status, message, "update-branch"),
        render_failure(status=status, message=message, **common),
    )


def update_branch_accepted(base: str, pull: Pull, *, why: str) -> Report:
    body = render_updated(
        base=base,
        head=pull.head_ref,
        path_taken="update-branch",
        reason=f"{why}; the merge is clean and `rebase.use_update_branch_api` is on, so GitHub "
        f"made the merge commit (guarded by `expected_head_sha` `{pull.head_sha[:12]}`)",
    )
    return Report(
        Outcome("updated", "update-branch accepted", "update-branch"), body, clear_label=True
    )


def cannot_merge(base: str, check: HeadCheck, *, strategy: str, why: str) -> Outcome:
    """A head git cannot merge with its base (unrelated histories, a broken object).

    Rendered without the "update locally" commands: with no history in common they would not
    work, and rewriting such a branch is never Pitcrew's call.
    """
    message = (
        f"Pitcrew was asked to {strategy} this PR ({why}), but git cannot merge it with "
        f"`{base}`: {check.error}. Nothing was changed."
    )
    return Outcome("cannot_merge", message)


def failure(outcome: Outcome, common: dict[str, Any]) -> Report:
    """The comment for an update that did not happen (``outcome.status`` says why)."""
    return Report(outcome, render_failure(status=outcome.status, message=outcome.message, **common))


def before_push(result: UpdateResult, pull: Pull) -> Outcome | None:
    """An update that stops before the push: the head moved, or the engine did not update."""
    if result.head_before != pull.head_sha:
        message = f"the branch moved to `{pull.head_sha[:12]}`; nothing was overwritten"
        return Outcome("branch_moved", message)
    if result.status in ("conflicted", "up_to_date"):
        return Outcome(result.status, result.message)
    if result.status != "updated":
        return Outcome("error", result.message)
    return None


def conflict_found(
    base: str, pull: Pull, check: HeadCheck, *, strategy: str, reason: str, remotes: dict[str, str]
) -> str:
    """The conflict comment of a check pass (``remotes`` name the remotes in the commands)."""
    return render_conflict(
        base=base,
        head=pull.head_ref,
        conflicts=check.conflicts,
        strategy=strategy,
        path_taken="none",
        reason=reason,
        **remotes,
    )


def conflict_stopped_update(
    base: str,
    pull: Pull,
    result: UpdateResult,
    *,
    strategy: str,
    why: str,
    remotes: dict[str, str],
) -> str:
    """The conflict comment of an update that stopped at a conflict."""
    return render_conflict(
        base=base,
        head=pull.head_ref,
        conflicts=result.conflicts,
        strategy=strategy,
        path_taken="none",
        reason=f"tried to {strategy} ({why}) and stopped at a conflict; nothing was pushed",
        conflict_commit=result.conflict_commit,
        **remotes,
    )


def reports_a_conflict(comment: dict[str, Any] | None) -> bool:
    """Whether a sticky comment is a conflict report (the one "resolved" may replace)."""
    return comment is not None and "conflicts with" in (comment.get("body") or "")
