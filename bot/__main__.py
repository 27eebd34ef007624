"""The `pitcrew` command line: one sub-command per engine, plus the service.

Each engine package exposes ``cli.register(subparsers)``; registering lazily keeps
``pitcrew diagnose`` from importing aiohttp and keeps a broken engine from taking
the whole CLI down with it.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

# Modules that provide ``register(subparsers)``, in the order shown by --help.
CLI_MODULES = (
    "bot.service_cli",
    "bot.setup.cli",
    "bot.doctor",
    "bot.rebase.cli",
    "bot.diagnose.cli",
    "bot.optimize.cli",
    "bot.report.cli",
    "bot.memory.cli",
    "bot.fix.cli",
)
# Sub-command → its module, so `pitcrew rebase` imports only the rebase engine (start-up time
# counts when the CLI runs once per PR in a shell loop).
COMMAND_MODULES = {
    "serve": "bot.service_cli",
    "jobs": "bot.service_cli",
    "commands": "bot.service_cli",
    "collect": "bot.service_cli",
    "setup": "bot.setup.cli",
    "doctor": "bot.doctor",
    "rebase": "bot.rebase.cli",
    "diagnose": "bot.diagnose.cli",
    "optimize": "bot.optimize.cli",
    "report": "bot.report.cli",
    "flaky": "bot.memory.cli",
    "fix": "bot.fix.cli",
}


def _modules_for(argv: list[str] | None) -> tuple[str, ...]:
    args = sys.argv[1:] if argv is None else argv
    first = next((a for a in args if not a.startswith("-")), None)
    if first in COMMAND_MODULES:
        return (COMMAND_MODULES[first],)
    return CLI_MODULES


def build_parser(modules: tuple[str, ...] = CLI_MODULES) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pitcrew",
        description="Keep pull requests moving: rebase, diagnose CI, optimize workflows, report.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue  # engine not present in this build
            raise
        module.register(subparsers)
    if "optimize" in subparsers.choices:
        # online mode needs a GitHub client, which only bot.github may open
        from bot.github.actions import lookup_with_token

        subparsers.choices["optimize"].set_defaults(online_lookup=lookup_with_token)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser(_modules_for(argv))
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from bot.logs import configure_logging

    configure_logging(verbose=args.verbose)
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:
        # the reader went away (`pitcrew diagnose big.log | head`): not an error of ours, so
        # no traceback; stdout goes to devnull so the interpreter's final flush is quiet too
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # what a shell reports for a command killed by SIGPIPE


if __name__ == "__main__":
    sys.exit(main())
