"""`/help`: the command list, rendered from the declarations."""

from __future__ import annotations

from gidgethub import routing

from bot.commands import CommandContext, command, render_help

router = routing.Router()


@command(
    "help",
    help="List Pitcrew's commands and who may use them.",
    permission="none",
    pull_request_only=False,
)
async def on_help_command(cmd: CommandContext) -> None:
    cmd.reply(render_help(cmd.ctx.settings.app_slug))
