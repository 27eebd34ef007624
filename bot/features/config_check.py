"""`pitcrew/config`: a check run that shows problems in `.github/pitcrew.yml` where they land."""

from __future__ import annotations

from typing import Any

from gidgethub import routing, sansio

from bot import github
from bot.commands import CommandRegistry
from bot.context import Context
from bot.feature import Feature
from bot.github import InstallationAPI
from bot.repo_config import CONFIG_PATH, parse_layer, unreadable_problem

router = routing.Router()
CHECK_NAME = "pitcrew/config"


def _touches_config(payload: dict[str, Any]) -> bool:
    for commit in payload.get("commits") or []:
        for key in ("added", "modified"):
            if CONFIG_PATH in (commit.get(key) or []):
                return True
    return False


def push_is_interesting(payload: dict[str, Any], commands: CommandRegistry) -> bool:
    """Config edits, and pushes to branches (which move PR bases) matter; tag pushes do not."""
    return str(payload.get("ref", "")).startswith("refs/heads/") and not payload.get("deleted")


@router.register("push")
async def on_push_check_config(
    event: sansio.Event, gh: InstallationAPI | None, *, ctx: Context
) -> None:
    payload = event.data
    if gh is None or payload.get("deleted") or not _touches_config(payload):
        return
    repo = payload["repository"]
    owner, name, sha = repo["owner"]["login"], repo["name"], payload["after"]
    ctx.config_loader.invalidate(owner, name)
    try:
        text = await github.get_file(gh, owner, name, CONFIG_PATH, sha)
    except github.FileUnreadable as exc:
        await report_config(gh, owner, name, sha, "", unreadable=exc)
        return
    await report_config(gh, owner, name, sha, text or "")


async def report_config(
    gh: InstallationAPI,
    owner: str,
    name: str,
    sha: str,
    text: str,
    *,
    unreadable: Exception | None = None,
) -> dict[str, Any]:
    if unreadable is not None:
        problems = [unreadable_problem(CONFIG_PATH, unreadable)]
    else:
        _values, problems = parse_layer(
            text, CONFIG_PATH, org=name == ".github", repo=f"{owner}/{name}"
        )
    if not problems:
        output: dict[str, Any] = {
            "title": "Configuration is valid",
            "summary": f"`{CONFIG_PATH}` is valid.",
        }
        conclusion = "success"
    else:
        summary = "\n".join(f"- line {p.line}: {p.message} — {p.hint}" for p in problems)
        output = {
            "title": f"{len(problems)} problem(s) in {CONFIG_PATH}",
            "summary": "Pitcrew keeps running on its defaults for this repository until the"
            f" file is fixed.\n\n{summary}",
            "annotations": [
                {
                    "path": CONFIG_PATH,
                    "start_line": p.line,
                    "end_line": p.line,
                    "annotation_level": "failure",
                    "message": f"{p.message}\nHint: {p.hint}",
                }
                for p in problems[:50]
            ],
        }
        conclusion = "failure"
    return await github.create_check_run(
        gh,
        owner,
        name,
        name=CHECK_NAME,
        head_sha=sha,
        status="completed",
        conclusion=conclusion,
        output=output,
    )


FEATURE = Feature(
    name="config_check",
    router=router,
    intake_filters={"push": [push_is_interesting]},
    permissions={"contents": "read", "checks": "write"},
)
