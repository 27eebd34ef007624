"""The `pitcrew` command line: one sub-command per engine, plus the service.

Each engine package exposes ``cli.register(subparsers)``; registering lazily keeps
``pitcrew diagnose`` from importing aiohttp and keeps a broken engine from taking
the whole CLI down with it.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

# Modules that provide ``register(subparsers)``, in the order shown by --help.
CLI_MODULES = (
    "bot.service_cli",
    "bot.rebase.cli",
    "bot.diagnose.cli",
    "bot.optimize.cli",
    "bot.report.cli",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pitcrew",
        description="Keep pull requests moving: rebase, diagnose CI, optimize workflows, report.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in CLI_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue  # engine not present in this build
            raise
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
