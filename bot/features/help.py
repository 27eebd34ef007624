"""`/help`: the command list, rendered from the declarations."""

from __future__ import annotations

from gidgethub import routing

from bot.commands import CommandContext, command
from bot.feature import Feature

router = routing.Router()


@command(
    "help",
    help="List Pitcrew's commands and who may use them.",
    permission="none",
    pull_request_only=False,
)
async def on_help_command(cmd: CommandContext) -> None:
    cmd.reply(cmd.ctx.commands.render_help(cmd.ctx.settings.app_slug))


FEATURE = Feature(
    name="help",
    router=router,
    commands=[on_help_command],
    permissions={"contents": "read", "issues": "write"},
)
