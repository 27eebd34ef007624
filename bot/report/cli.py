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
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from bot.report import times
from bot.report.anomaly import AnomalyConfig
from bot.report.model import Report, ReportConfig, report_to_dict
from bot.report.org import build_org_report, now_of
from bot.report.org_cells import MemorySource
from bot.report.org_model import OrgConfig, OrgReport, org_report_to_dict
from bot.report.org_render import render_org_markdown
from bot.report.records import JobRecord, ParseError, RunRecord, load_jobs_file, load_runs_file
from bot.report.render import render_markdown
from bot.report.stats import analyze

ReportT = TypeVar("ReportT", Report, OrgReport)

log = logging.getLogger(__name__)


def parse_span(text: str) -> timedelta:
    """``--window``/``--baseline`` values: :func:`bot.report.times.parse_span` for argparse."""
    try:
        return times.parse_span(text)
    except times.SpanError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def parse_now(text: str) -> datetime:
    try:
        value = times.parse_ts(text)
    except ValueError:
        value = None
    if value is None:
        raise argparse.ArgumentTypeError(
            f"invalid time {text!r}: use ISO 8601, e.g. 2024-05-01T00:00:00Z"
        )
    return value


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "report",
        help="CI health report: statistics, anomalies, trends",
        description="Analyse workflow-run history (exported JSON or the service's store) and "
        "print a CI health report.",
    )
    src = p.add_mutually_exclusive_group(required=False)
    src.add_argument("--runs", action="append", type=Path, metavar="FILE",
                     help="'list workflow runs' JSON (one or several pages, gh --paginate output); "
                          "repeatable")  # fmt: skip
    src.add_argument("--db", type=Path, metavar="PATH", help="the service's report store (SQLite)")
    p.add_argument("--jobs", action="append", type=Path, default=[], metavar="FILE",
                   help="'list jobs for a workflow run' JSON pages; repeatable")  # fmt: skip
    p.add_argument("--repo", help="owner/name: only this repository")
    p.add_argument("--org", action="store_true",
                   help="one report across every repository (runner pools, CI spend, red "
                        "branches); reads the store in bounded memory")  # fmt: skip
    p.add_argument(
        "--redis",
        metavar="URL",
        help="with --org: read the service's Redis store instead of --db/--runs",
    )
    p.add_argument(
        "--namespace",
        default="pitcrew:dev",
        help="with --redis: the store's key namespace (default pitcrew:dev)",
    )
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


def _from_files(args: argparse.Namespace, config: ReportConfig) -> Report:
    runs: list[RunRecord] = []
    jobs: list[JobRecord] = []
    for path in args.runs:
        runs.extend(load_runs_file(path))
    for path in args.jobs:
        jobs.extend(load_jobs_file(path))
    if not runs:
        raise ParseError(f"{', '.join(map(str, args.runs))}: no workflow runs found")
    return analyze(runs, jobs, now=args.now, config=config, repo=args.repo)


def _from_db(args: argparse.Namespace, config: ReportConfig) -> Report:
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


def _org_config(args: argparse.Namespace) -> OrgConfig:
    return OrgConfig(
        window_days=args.window.total_seconds() / 86400,
        baseline_days=args.baseline.total_seconds() / 86400,
        anomaly=AnomalyConfig(z_threshold=args.z_threshold, min_change=args.min_change),
    )


def _org(args: argparse.Namespace) -> OrgReport:
    """``--org``: files in memory, or the SQLite/Redis store aggregated in the database."""
    config = _org_config(args)
    if args.runs:
        runs: list[RunRecord] = []
        jobs: list[JobRecord] = []
        for path in args.runs:
            runs.extend(load_runs_file(path))
        for path in args.jobs:
            jobs.extend(load_jobs_file(path))
        if not runs:
            raise ParseError(f"{', '.join(map(str, args.runs))}: no workflow runs found")
        latest = max((r.updated_at or r.created_at).timestamp() for r in runs)
        now = args.now or now_of(latest)
        return build_org_report(MemorySource(runs, jobs), now=now, config=config)
    now = args.now or datetime.now(UTC)
    if args.redis:
        from bot.report.redis_store import RedisReportStore

        with RedisReportStore(args.redis, args.namespace) as redis_store:
            return build_org_report(redis_store.org_source(), now=now, config=config)
    from bot.report.org_sqlite import SqliteOrgSource

    if not args.db.exists():
        raise ParseError(f"{args.db}: no such store")
    with SqliteOrgSource(args.db) as source:
        return build_org_report(source, now=now, config=config)


def run(args: argparse.Namespace) -> int:
    if not (args.runs or args.db or (args.org and args.redis)):
        print("pitcrew report: one of --runs or --db is required", file=sys.stderr)
        return 2
    if args.org:
        return _run_org(args)
    config = _config(args)
    return _emit(
        args,
        lambda: _from_files(args, config) if args.runs else _from_db(args, config),
        report_to_dict,
        render_markdown,
    )


def _run_org(args: argparse.Namespace) -> int:
    return _emit(args, lambda: _org(args), org_report_to_dict, render_org_markdown)


def _emit(
    args: argparse.Namespace,
    build: Callable[[], ReportT],
    to_dict: Callable[[ReportT], Any],
    render: Callable[[ReportT], str],
) -> int:
    """Build a report and print it as JSON or Markdown; exit 2 on bad input, 1 on a failed store."""
    try:
        report = build()
    except ParseError as exc:
        print(f"pitcrew report: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # sqlite/redis errors, unreadable store...
        log.debug("report failed", exc_info=True)
        print(f"pitcrew report: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    if args.format == "json":
        json.dump(to_dict(report), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render(report))
    return 0
