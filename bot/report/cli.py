"""``pitcrew report``: CI health from exported run history or from the service's store.

Offline use needs nothing but files saved from GitHub's API, e.g.::

    gh api --paginate "repos/OWNER/REPO/actions/runs?per_page=100&created=>2024-04-01" > runs.json
    pitcrew report --runs runs.json --format json
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import datetime, timedelta
from pathlib import Path

from bot.report.anomaly import AnomalyConfig
from bot.report.records import JobRecord, ParseError, RunRecord, load_jobs_file, load_runs_file
from bot.report.render import render_markdown
from bot.report.stats import ReportConfig, analyze, report_to_dict
from bot.timeparse import parse_span

log = logging.getLogger(__name__)


def parse_now(text: str) -> datetime:
    from bot.report.records import parse_ts

    try:
        value = parse_ts(text)
    except ValueError:
        value = None
    if value is None:
        raise argparse.ArgumentTypeError(
            f"invalid time {text!r}: use ISO 8601, e.g. 2024-05-01T00:00:00Z"
        )
    return value


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "report",
        help="CI health report: statistics, anomalies, trends",
        description="Analyse workflow-run history (exported JSON or the service's store) and "
        "print a CI health report.",
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--runs", action="append", type=Path, metavar="FILE",
                     help="'list workflow runs' JSON (one or several pages, gh --paginate output); "
                          "repeatable")  # fmt: skip
    src.add_argument("--db", type=Path, metavar="PATH", help="the service's report store (SQLite)")
    p.add_argument("--jobs", action="append", type=Path, default=[], metavar="FILE",
                   help="'list jobs for a workflow run' JSON pages; repeatable")  # fmt: skip
    p.add_argument("--repo", help="owner/name: only this repository")
    p.add_argument("--window", type=parse_span, default=timedelta(days=7), help="default 7d")
    p.add_argument("--baseline", type=parse_span, default=timedelta(days=28),
                   help="period before the window to compare with; default 28d")  # fmt: skip
    p.add_argument("--now", type=parse_now,
                   help="end of the window (ISO 8601); default: just after the latest run "
                        "for --runs, the current time for --db")  # fmt: skip
    p.add_argument("--default-branch", help="branch whose health is tracked (default: guessed)")
    p.add_argument("--format", choices=("markdown", "json"), default="markdown")
    p.add_argument("--z-threshold", type=float, default=AnomalyConfig().z_threshold)
    p.add_argument("--min-change", type=float, default=AnomalyConfig().min_change,
                   help="minimum relative change to flag (0.25 = 25%%)")  # fmt: skip
    p.set_defaults(func=run)


def _config(args: argparse.Namespace) -> ReportConfig:
    return ReportConfig(
        window=args.window,
        baseline=args.baseline,
        default_branch=args.default_branch,
        anomaly=AnomalyConfig(z_threshold=args.z_threshold, min_change=args.min_change),
    )


def _from_files(args: argparse.Namespace, config: ReportConfig):
    runs: list[RunRecord] = []
    jobs: list[JobRecord] = []
    for path in args.runs:
        runs.extend(load_runs_file(path))
    for path in args.jobs:
        jobs.extend(load_jobs_file(path))
    if not runs:
        raise ParseError(f"{', '.join(map(str, args.runs))}: no workflow runs found")
    return analyze(runs, jobs, now=args.now, config=config, repo=args.repo)


def _from_db(args: argparse.Namespace, config: ReportConfig):
    from bot.report.api import build_report_from_store
    from bot.report.store import ReportStore

    if not args.db.exists():
        raise ParseError(f"{args.db}: no such store")
    with ReportStore(args.db) as store:
        repo = args.repo
        if repo is None:
            repos = store.repos()
            if len(repos) != 1:
                found = ", ".join(repos) or "none"
                raise ParseError(f"{args.db}: choose one repository with --repo (found: {found})")
            repo = repos[0]
        return build_report_from_store(store, repo, now=args.now, config=config)


def run(args: argparse.Namespace) -> int:
    config = _config(args)
    try:
        report = _from_files(args, config) if args.runs else _from_db(args, config)
    except ParseError as exc:
        print(f"pitcrew report: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # sqlite errors, unreadable store...
        log.debug("report failed", exc_info=True)
        print(f"pitcrew report: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    if args.format == "json":
        json.dump(report_to_dict(report), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_markdown(report))
    return 0
