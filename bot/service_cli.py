"""`pitcrew serve` and `pitcrew jobs`: the service and its queue from the command line."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from pathlib import Path
from typing import Any

from bot.redact import redact
from bot.settings import Settings, SettingsError, load_settings

REDIS_EXTRA_MISSING = (
    "PITCREW_REDIS_URL is set but the redis module is not installed: pip install 'pitcrew[redis]'"
)


def redis_extra_installed() -> bool:
    """Whether the `redis` extra is importable (checked before anything starts)."""
    try:
        import redis  # noqa: F401
    except ImportError:
        return False
    return True


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    serve = subparsers.add_parser("serve", help="run the GitHub App webhook service")
    serve.add_argument("--host", help="bind address (PITCREW_HOST, default 0.0.0.0)")
    serve.add_argument("--port", type=int, help="port (PITCREW_PORT, default 8000)")
    serve.add_argument("--data-dir", help="queue and state directory (PITCREW_DATA_DIR)")
    serve.add_argument("--workers", type=int, help="concurrent jobs (PITCREW_WORKERS, default 4)")
    serve.add_argument(
        "--env-file",
        help="settings written by `pitcrew setup` (default .env when it exists; "
        "environment variables win)",
    )
    serve.set_defaults(func=run_serve)

    jobs = subparsers.add_parser("jobs", help="list queued, running, done and dead jobs")
    jobs.add_argument("--data-dir", help="the service's data directory (PITCREW_DATA_DIR)")
    jobs.add_argument("--failed", action="store_true", help="only dead-lettered jobs")
    jobs.add_argument("--status", choices=["queued", "running", "done", "dead"])
    jobs.add_argument("--format", choices=["json", "text"], default="text")
    jobs.add_argument("--limit", type=int, default=1000)
    jobs.add_argument("--env-file", help="settings file (default .env when it exists)")
    jobs.add_argument(
        "--writes",
        action="store_true",
        help="the GitHub writes shadow mode suppressed, oldest first",
    )
    jobs.add_argument("action", nargs="?", choices=["retry"], help="retry ID: re-queue a dead job")
    jobs.add_argument("job_id", nargs="?", help="job id for `retry`")
    jobs.set_defaults(func=run_jobs)

    collect = subparsers.add_parser(
        "collect", help="back-fill workflow runs of a repository into the state store"
    )
    collect.add_argument("--repo", required=True, help="owner/name")
    collect.add_argument("--db", help="state store (default DATA_DIR/state.sqlite3)")
    collect.add_argument("--data-dir", help="the service's data directory (PITCREW_DATA_DIR)")
    collect.add_argument("--jobs", action="store_true", help="also fetch each new run's jobs")
    collect.set_defaults(func=run_collect)

    cmds = subparsers.add_parser("commands", help="print the slash-command table (Markdown)")
    cmds.set_defaults(func=run_commands)


def run_commands(args: argparse.Namespace) -> int:
    from bot.features.registry import build_wiring

    print(build_wiring().commands.table())
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from aiohttp import web

    from bot.app import make_app
    from bot.envfile import EnvFileError, environment_with_file

    try:
        settings = load_settings(
            environment_with_file(args.env_file),
            host=args.host,
            port=args.port,
            data_dir=args.data_dir,
            workers=args.workers,
        )
    except (SettingsError, EnvFileError) as exc:
        print(f"pitcrew serve: {exc}", file=sys.stderr)
        return 2
    if settings.redis_url and not redis_extra_installed():
        print(f"pitcrew serve: {REDIS_EXTRA_MISSING}", file=sys.stderr)
        return 2
    app = make_app(settings)
    logging.getLogger("bot.serve").info(
        "listening", extra={"url": f"http://{settings.host}:{settings.port}"}
    )
    web.run_app(
        app,
        host=settings.host,
        port=settings.port,
        print=None,
        handle_signals=True,  # SIGTERM: stop listening, finish requests, then the jobs
        shutdown_timeout=settings.shutdown_budget[0],
        access_log=None,
    )
    return 0


def run_jobs(args: argparse.Namespace) -> int:
    from bot.envfile import EnvFileError, environment_with_file

    try:
        env = environment_with_file(args.env_file)  # the same Redis/App id as `serve`
        settings = load_settings(env, require_secret=False, data_dir=args.data_dir)
    except (SettingsError, EnvFileError) as exc:
        print(f"pitcrew jobs: {exc}", file=sys.stderr)
        return 2
    return asyncio.run(_jobs(settings, args))


def list_suppressed_writes(settings: Settings, limit: int) -> list[dict[str, Any]]:
    """Shadow mode's record: {job_id, delivery_id, repo, method, path, summary, at, feature}."""
    from datetime import UTC, datetime

    from bot.kvstore import open_kv
    from bot.shadow import WRITES_NS

    store = open_kv(settings)
    try:
        items = store.items(WRITES_NS)
    finally:
        store.close()
    writes: list[dict[str, Any]] = [items[key] for key in sorted(items)][-limit:]
    for write in writes:
        write["at"] = datetime.fromtimestamp(write["at"], UTC).isoformat(timespec="seconds")
    return writes


def print_writes(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.redis_url and not settings.data_dir.is_dir():
        print(f"pitcrew jobs --writes: no data dir {settings.data_dir} (is --data-dir right?)",
              file=sys.stderr)  # fmt: skip
        return 2
    nothing_yet = not settings.redis_url and not (settings.data_dir / "kv.sqlite3").exists()
    writes = [] if nothing_yet else list_suppressed_writes(settings, args.limit)
    if args.format == "json":
        print(json.dumps(writes, indent=2))
        return 0
    for w in writes:
        print(f"{w['at']}\t{w['job_id']}\t{w['repo']}\t{w['method']} {w['path']}\t{w['summary']}")
    if not writes:
        print("no suppressed writes")
    return 0


async def _jobs(settings: Settings, args: argparse.Namespace) -> int:
    from bot.queue import open_queue

    if args.writes:
        return await asyncio.to_thread(print_writes, settings, args)

    path = settings.data_dir / "queue.sqlite3"
    if not settings.redis_url and not path.exists():
        print(f"pitcrew jobs: no queue at {path} (is --data-dir right?)", file=sys.stderr)
        return 2
    queue = open_queue(settings)
    await queue.open(recover=False)  # a reader must not re-queue the service's running jobs
    try:
        if args.action == "retry":
            if not args.job_id:
                print("pitcrew jobs retry: give the job id", file=sys.stderr)
                return 2
            if await queue.requeue(args.job_id):
                print(f"job {args.job_id} re-queued")
                return 0
            print(f"pitcrew jobs retry: no dead job with id {args.job_id}", file=sys.stderr)
            return 1
        status = "dead" if args.failed else args.status
        jobs = await queue.list_jobs(status, args.limit)
    finally:
        await queue.close()
    if args.format == "json":
        print(json.dumps([job.to_public() for job in jobs], indent=2))
    else:
        for job in jobs:
            error = f"  {job.last_error}" if job.last_error else ""
            print(
                f"{job.id}\t{job.status}\t{job.attempts}\t{job.event}.{job.action or '-'}"
                f"\t{job.key}\t{job.delivery_id}{error}"
            )
        if not jobs:
            print("no jobs")
    return 0


def run_collect(args: argparse.Namespace) -> int:
    """Uses the App's credentials, or GITHUB_TOKEN when set (anyone can back-fill)."""
    import os
    from pathlib import Path

    settings = load_settings(require_secret=False, data_dir=args.data_dir)
    token = os.environ.get("GITHUB_TOKEN", "")
    if not token and not settings.has_app_credentials:
        print(
            "pitcrew collect: set GITHUB_TOKEN, or PITCREW_APP_ID and PITCREW_PRIVATE_KEY",
            file=sys.stderr,
        )
        return 2
    if args.repo.count("/") != 1:
        print("pitcrew collect: --repo must be owner/name", file=sys.stderr)
        return 2
    db = Path(args.db) if args.db else settings.data_dir / "state.sqlite3"
    return asyncio.run(_collect(settings, token, db, args))


async def _collect(settings: Settings, token: str, db: Path, args: argparse.Namespace) -> int:
    import aiohttp

    from bot.features.reports import backfill
    from bot.github import GitHubApp
    from bot.report.store import ReportStore

    owner, name = args.repo.split("/")
    db.parent.mkdir(parents=True, exist_ok=True)
    async with aiohttp.ClientSession() as session:
        hub = GitHubApp(
            session=session,
            base_url=settings.github_url,
            app_id=settings.app_id,
            private_key=settings.private_key,
            static_token=token,
        )
        try:
            installation = await hub.installation_for_repo(owner, name)
            with ReportStore(db) as store:
                stats = await backfill(
                    hub.for_installation(installation), owner, name, store, with_jobs=args.jobs
                )
        except Exception as exc:
            print(f"pitcrew collect: {redact(str(exc), hub.known_tokens())}", file=sys.stderr)
            return 1
    print(json.dumps({"repo": args.repo, **stats}))
    return 0
