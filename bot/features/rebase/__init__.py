"""Keep pull requests mergeable when their base moves: check, update, explain, `/rebase`.

Thin wiring around the rebase engine (:mod:`bot.rebase`):

* ``push`` to a branch → every open PR based on it is checked in **one pass** on the repo's
  mirror (``merge-tree``, no work tree); conflicted PRs get the ``conflict_label`` and one sticky
  comment (files, line ranges, the commands to fix by hand); PRs whose conflict is gone lose the
  label and the comment is edited to say so; PRs that opted in (``rebase.auto``: ``label`` →
  carrying ``rebase.label``; ``all`` → every PR; ``off`` → none) are updated.
* ``pull_request`` ``opened``/``reopened``/``synchronize`` → the same for one PR (a
  ``synchronize`` caused by our own push is only checked: no update loop); ``labeled`` with the
  opt-in label → update now.
* ``/rebase`` and ``/rebase merge`` → update now, whatever ``rebase.auto`` says.

Safety, in the order the update path runs: the PR is re-read (``GET /pulls/{n}``) just before
the update and its head must be the commit the mirror holds (a stale view is never acted on);
forks are pushed to only when ``maintainer_can_modify`` allows it; the push uses
``--force-with-lease`` on the sha read at the start (rebase) or a fast-forward push (merge), so a
branch that moved is never overwritten; the installation token travels only as an
``http.extraHeader`` in git's environment (never argv, a URL, ``.git/config``, a log or a
comment) and — unlike a workflow's ``GITHUB_TOKEN`` — its pushes start the PR's CI again. A push
rejection is reported in the comment and never retried in a loop. Git work runs in threads
through the engine's async functions; jobs on one repository are serialised by the mirror lock.
"""

from __future__ import annotations

import logging
from typing import Any

from gidgethub import routing, sansio

from bot import github
from bot.commands import CommandContext, CommandError, command
from bot.context import Context
from bot.feature import Feature
from bot.github import InstallationAPI
from bot.rebase import InvalidRef, validate_ref
from bot.rebase.targets import Pull, Repo

from .passes import check_and_act, start_job, update_now

log = logging.getLogger(__name__)
router = routing.Router()


# --------------------------------------------------------------------------- events


async def _rebase_config(
    ctx: Context, gh: InstallationAPI, payload: dict[str, Any]
) -> dict[str, Any]:
    config = await ctx.config(gh, payload)
    return dict(config.values.get("rebase") or {})


@router.register("push")
async def on_base_pushed(event: sansio.Event, gh: InstallationAPI | None, *, ctx: Context) -> None:
    """A branch moved: check every open PR based on it, in one pass."""
    payload = event.data
    ref = str(payload.get("ref", ""))
    if gh is None or ctx.github is None or payload.get("deleted"):
        return
    if not ref.startswith("refs/heads/"):
        return
    base = ref.removeprefix("refs/heads/")
    try:
        validate_ref(base, allow_full=False)
    except InvalidRef:
        return
    repo = Repo.from_payload(payload, gh.installation_id)
    pulls = [
        Pull.from_json(pr) async for pr in github.open_pulls(gh, repo.owner, repo.name, base=base)
    ]
    pulls = [p for p in pulls if p.base_ref == base]
    if not pulls:
        return
    config = await _rebase_config(ctx, gh, payload)
    job = await start_job(ctx, gh, repo, config)
    # no sha in the trigger: an unchanged conflict keeps an unchanged comment (no edit call)
    await check_and_act(job, base, pulls, trigger=f"`{base}` moved")


@router.register("pull_request", action="opened")
@router.register("pull_request", action="reopened")
@router.register("pull_request", action="synchronize")
async def on_pr_changed(event: sansio.Event, gh: InstallationAPI | None, *, ctx: Context) -> None:
    """Re-check one PR. A ``synchronize`` made by Pitcrew's own push is only checked."""
    payload = event.data
    if gh is None or ctx.github is None:
        return
    pull = Pull.from_json(payload["pull_request"])
    repo = Repo.from_payload(payload, gh.installation_id)
    sender = (payload.get("sender") or {}).get("login", "")
    ours = sender.lower() == f"{ctx.settings.app_slug}[bot]".lower()
    config = await _rebase_config(ctx, gh, payload)
    job = await start_job(ctx, gh, repo, config)
    action = payload.get("action")
    trigger = f"the PR was {'updated' if action == 'synchronize' else action}"
    await check_and_act(job, pull.base_ref, [pull], trigger=trigger, allow_update=not ours)


@router.register("pull_request", action="labeled")
async def on_pr_labeled(event: sansio.Event, gh: InstallationAPI | None, *, ctx: Context) -> None:
    """The opt-in label was added: update now (when ``rebase.auto`` is ``label``)."""
    payload = event.data
    if gh is None or ctx.github is None:
        return
    config = await _rebase_config(ctx, gh, payload)
    added = (payload.get("label") or {}).get("name")
    if config.get("auto") != "label" or added != config.get("label"):
        return
    pull = Pull.from_json(payload["pull_request"])
    if pull.draft and not config.get("drafts"):
        return
    job = await start_job(ctx, gh, Repo.from_payload(payload, gh.installation_id), config)
    await update_now(
        job,
        pull.number,
        strategy=config.get("strategy", "rebase"),
        why=f"the `{added}` label was added",
    )


# --------------------------------------------------------------------------- commands


@command(
    "rebase",
    usage="/rebase [merge]",
    help="Update this PR with its base branch now: `/rebase` replays the PR's commits onto the "
    "base, `/rebase merge` merges the base in. Never overwrites new commits.",
    permission="write",
    author_may_use=True,
    examples=("/rebase", "/rebase merge"),
)
async def on_rebase_command(cmd: CommandContext) -> None:
    args = [a.lower() for a in cmd.args]
    if len(args) > 1 or (args and args[0] not in ("merge", "rebase")):
        raise CommandError("usage: `/rebase` or `/rebase merge`")
    strategy = args[0] if args else "rebase"
    ctx, gh = cmd.ctx, cmd.gh
    if ctx.github is None:
        raise CommandError("Pitcrew has no GitHub App credentials configured")
    repo = Repo.from_payload(cmd.payload, gh.installation_id)
    job = await start_job(ctx, gh, repo, dict(cmd.config.get("rebase") or {}))
    why = f"requested by @{cmd.sender} with `/rebase{' merge' if strategy == 'merge' else ''}`"
    outcome = await update_now(job, cmd.number, strategy=strategy, why=why)
    if outcome.status == "updated":
        cmd.reply(f"Done: the branch was updated ({outcome.path}). Details in the status comment.")
    elif outcome.status == "up_to_date":
        cmd.reply("Nothing to do: the branch already contains its base.")
    elif outcome.status in ("refused", "skipped", "error"):
        raise CommandError(outcome.message)
    elif outcome.reply:  # a push that did not land: what happened and what to do
        raise CommandError(outcome.reply)
    else:
        raise CommandError(
            {
                "conflicted": "the update stopped at a conflict; the status comment lists the "
                "files and the commands to finish by hand",
                "branch_moved": "the branch moved while Pitcrew worked; nothing was overwritten."
                " Comment the command again to update the new head",
                "rejected": "GitHub refused the push; see the status comment",
                "not_allowed": "Pitcrew may not push to this branch; see the status comment",
            }.get(outcome.status, f"the update did not complete ({outcome.status})")
        )


FEATURE = Feature(
    name="rebase",
    router=router,
    commands=[on_rebase_command],
    permissions={
        "contents": "write",  # push the rebased branch
        "workflows": "write",  # ... also when it carries changes to .github/workflows
        "pull_requests": "write",  # update-branch
        "issues": "write",  # sticky comment, conflict label
        "checks": "write",
    },
)
