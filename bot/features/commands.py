"""Slash commands from PR and issue comments: parse, authorise, acknowledge, run, report."""

from __future__ import annotations

import logging
import time
from typing import Any

from gidgethub import routing, sansio

from bot import github
from bot.commands import (
    CommandContext,
    CommandError,
    CommandRegistry,
    Invocation,
    is_authorised,
)
from bot.context import Context
from bot.feature import Feature
from bot.github import InstallationAPI

log = logging.getLogger(__name__)
router = routing.Router()


def _is_bot(user: dict[str, Any]) -> bool:
    return user.get("type") == "Bot" or str(user.get("login", "")).endswith("[bot]")


def has_command(payload: dict[str, Any], commands: CommandRegistry) -> bool:
    """Only comments with a known command from a human are worth a queued job."""
    if payload.get("action") != "created":
        return True  # other actions go to whoever registered for them
    comment = payload.get("comment") or {}
    if _is_bot(comment.get("user") or {}) or _is_bot(payload.get("sender") or {}):
        return False
    return bool(commands.known(comment.get("body") or ""))


@router.register("issue_comment", action="created")
async def on_comment_created(
    event: sansio.Event, gh: InstallationAPI | None, *, ctx: Context
) -> None:
    payload = event.data
    comment = payload["comment"]
    sender = payload.get("sender") or comment.get("user") or {}
    if gh is None or _is_bot(sender) or _is_bot(comment.get("user") or {}):
        return
    invocations = ctx.commands.known(comment.get("body") or "", ctx.settings.app_slug)
    if not invocations:
        return
    repo = payload["repository"]
    owner, name = repo["owner"]["login"], repo["name"]
    issue = payload["issue"]
    number = issue["number"]
    is_pr = bool(issue.get("pull_request"))
    base = CommandContext(
        gh=gh,
        ctx=ctx,
        owner=owner,
        repo=name,
        number=number,
        is_pull_request=is_pr,
        sender=sender["login"],
        author=(issue.get("user") or {}).get("login", ""),
        args=(),
        comment_id=comment["id"],
        config={},
        payload=payload,
    )
    try:  # a failure before any command runs is answered too (once, for the first command)
        base.config = (await ctx.config(gh, payload)).values
        role = await github.permission_of(gh, owner, name, sender["login"])
    except Exception as exc:
        await answer_failure(base, invocations[0], exc)
        raise
    await handle_invocations(base, invocations, role)


async def handle_invocations(
    base: CommandContext, invocations: list[Invocation], role: str
) -> None:
    """Run each command; one reply comment per triggering comment, edited if re-run."""
    gh, owner, name = base.gh, base.owner, base.repo
    replies: list[str] = []
    ran_any = failed_any = False
    overrides = base.config.get("commands") or {}
    for inv in invocations:
        cmd = base.ctx.commands[inv.name]
        if cmd.pull_request_only and not base.is_pull_request:
            replies.append(f"`/{cmd.name}` works on pull requests only.")
            failed_any = True
            continue
        if not is_authorised(
            cmd, role, sender=base.sender, author=base.author, overrides=overrides
        ):
            replies.append(
                f"@{base.sender} `/{cmd.name}` needs {cmd.permission} access to this repository"
                f" (you have {role}). Nothing was run."
            )
            failed_any = True
            continue
        if not ran_any:
            await github.react(gh, owner, name, base.comment_id, "eyes")
        ran_any = True
        # least privilege per command: a token with its own feature's permissions only
        cmd_gh = gh.for_repository(name, cmd.permissions) if cmd.permissions is not None else gh
        cmd_ctx = CommandContext(**{**base.__dict__, "gh": cmd_gh, "args": inv.args, "replies": []})
        try:
            await cmd.handler(cmd_ctx)
        except CommandError as exc:
            failed_any = True
            replies.append(f"`{inv.line.strip()}` failed: {exc}")
        except Exception as exc:
            # every command is answered: a failure the queue retries says so once; a final
            # one (not retryable, or out of attempts) gets 😕 and what to do, then propagates
            # so the job is still retried or dead-lettered where operators see it
            await answer_failure(base, inv, exc)
            raise
        replies.extend(cmd_ctx.replies)
    if ran_any:
        await github.react(gh, owner, name, base.comment_id, "confused" if failed_any else "rocket")
    if replies:
        await github.upsert_comment(
            gh, owner, name, base.number, f"reply:{base.comment_id}", "\n\n".join(replies)
        )


def _failure_text(inv: Invocation, exc: BaseException) -> str:
    status = getattr(exc, "status_code", None)
    what = f"GitHub answered {int(status)}: {exc}" if status else f"{type(exc).__name__}: {exc}"
    return f"`{inv.line.strip()}` failed: {what}"


def _advice(base: CommandContext, exc: BaseException) -> str:
    """What to do about a failure that will not be retried, by what GitHub said."""
    status = getattr(exc, "status_code", None)
    missing = base.gh.missing_permissions()
    if status == 403 and missing:
        wanted = ", ".join(f"`{name}: {level}`" for name, level in sorted(missing.items()))
        return (
            f"This installation of the Pitcrew App has not accepted the permissions {wanted}"
            " that this command needs. An organisation owner can accept them under"
            " **Settings → GitHub Apps → Pitcrew → Configure** (review the request); then"
            " comment the command again."
        )
    if status in (401, 403, 404):
        return (
            "GitHub refused the request: check that the Pitcrew App is installed on this"
            " repository with the permissions this command needs (and that branch"
            " protection allows it), then comment the command again."
        )
    if status == 422:
        return (
            "GitHub refused the change as invalid (a branch, label or rule it would not"
            " accept); nothing more was changed. Fix what GitHub names above and comment the"
            " command again; an operator can see the job with `pitcrew jobs`."
        )
    return (
        f"Pitcrew gave up after {base.ctx.attempt} attempt(s). Comment the command again"
        " later; an operator can re-run the job with `pitcrew jobs retry`."
    )


async def answer_failure(base: CommandContext, inv: Invocation, exc: BaseException) -> None:
    """The reply for a command whose job raised: "retrying until HH:MM" (posted once, never
    over a later answer; the time is when the queue's last retry is due) or the final 😕 with
    what to do. Best effort: when GitHub is down this reply cannot be posted either, and the
    retry posts it later."""
    gh, owner, name, ctx = base.gh, base.owner, base.repo, base.ctx
    kind = f"reply:{base.comment_id}"
    until = ctx.will_retry(exc)
    secrets = ctx.github.known_tokens() if ctx.github else []
    try:
        if until is not None:
            when = time.strftime("%H:%M", time.gmtime(until))
            text = (
                f"{_failure_text(inv, exc)}\n\nGitHub or git is failing; Pitcrew keeps retrying"
                f" this command until {when} UTC (its last retry is due then) and will answer"
                " here."
            )
            await github.upsert_comment(
                gh, owner, name, base.number, kind, text, secrets=secrets,
                only_if=lambda existing: existing is None,
            )  # fmt: skip
            return
        await github.react(gh, owner, name, base.comment_id, "confused")
        await github.upsert_comment(
            gh, owner, name, base.number, kind,
            f"{_failure_text(inv, exc)}\n\n{_advice(base, exc)}", secrets=secrets,
        )  # fmt: skip
    except Exception:
        log.warning("could not answer a failed command", extra={"command": inv.name})


FEATURE = Feature(
    name="commands",
    router=router,
    intake_filters={"issue_comment": [has_command]},
    permissions={"contents": "read", "issues": "write", "pull_requests": "read"},
)
