"""``pitcrew flaky``: the tests that failed and passed on the same commit, from the store.

pitcrew flaky --db data/failures.sqlite3 --repo octo/app --window 30d --format json
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.memory.query import flaky_tests
from bot.memory.render import render_flaky_table
from bot.memory.sqlite_store import SqliteFailureStore
from bot.report.cli import parse_now
from bot.timeparse import parse_span


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "flaky",
        help="flaky tests from failure memory",
        description="List tests that failed and passed on the same commit (re-runs, attempts) "
        "in the window, most flaky first.",
    )
    p.add_argument("--db", type=Path, required=True, help="failure store (failures.sqlite3)")
    p.add_argument("--repo", help="OWNER/REPO; default: every repository in the store")
    p.add_argument("--window", type=parse_span, default=timedelta(days=30), help="default 30d")
    p.add_argument("--now", type=parse_now, help="end of the window (ISO 8601); default now")
    p.add_argument("--format", choices=("json", "markdown"), default="markdown")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.db.is_file():
        print(f"pitcrew flaky: no failure store at {args.db}", file=sys.stderr)
        return 2
    store = SqliteFailureStore(args.db)
    try:
        found = flaky_tests(
            store, repo=args.repo, window=args.window, now=args.now or datetime.now(UTC)
        )
    finally:
        store.close()
    if args.format == "json":
        items = [
            {
                **asdict(f),
                "first_seen": f.first_seen.isoformat(),
                "last_seen": f.last_seen.isoformat(),
            }
            for f in found
        ]
        print(json.dumps(items, indent=2))
    else:
        print(render_flaky_table(found))
    return 0
