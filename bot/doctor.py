"""`pitcrew doctor [--format json|text]`: can this installation work, and if not, what to fix.

Each check answers ``{name, status: ok|warn|fail, detail, fix}``. The checks are independent
functions over plain inputs (settings, a probe of the App's GitHub side, paths) so each failing
case can be produced and tested on its own. A check that cannot run because an earlier one
failed says so as a warning instead of repeating the failure. Exit 0 when nothing fails, else 1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

Status = Literal["ok", "warn", "fail"]
MIN_GIT = (2, 38)
SKEW_WARN_S = 30.0
SKEW_FAIL_S = 60.0  # gidgethub backdates the JWT's iat by 60 s; beyond that GitHub refuses it
FREE_WARN_BYTES = 1024**3
FREE_FAIL_BYTES = 100 * 1024**2
DELIVERY_WINDOW = timedelta(hours=24)
LEVELS = {"none": 0, "read": 1, "write": 2, "admin": 3}


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    fix: str = ""


def ok(name: str, detail: str) -> Check:
    return Check(name, "ok", detail)


# ----------------------------------------------------------------------------- local checks
def check_webhook_secret(env: Mapping[str, str]) -> Check:
    if env.get("PITCREW_WEBHOOK_SECRET"):
        return ok("webhook_secret", "PITCREW_WEBHOOK_SECRET is set")
    return Check(
        "webhook_secret",
        "fail",
        "PITCREW_WEBHOOK_SECRET is not set: `pitcrew serve` refuses to start",
        "run `pitcrew setup`, or set it to the App's webhook secret",
    )


def load_private_key(env: Mapping[str, str]) -> tuple[Check, str]:
    """The key check and, when it parses, the PEM text."""
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    from bot.settings import SettingsError, _read_private_key

    fix = "set PITCREW_PRIVATE_KEY to the App's .pem file (or its text); `pitcrew setup` writes it"
    raw = env.get("PITCREW_PRIVATE_KEY", "")
    if not raw:
        return Check("private_key", "fail", "PITCREW_PRIVATE_KEY is not set", fix), ""
    try:
        pem = _read_private_key(raw)
        key = load_pem_private_key(pem.encode(), password=None)
    except SettingsError as exc:
        return Check("private_key", "fail", str(exc), fix), ""
    except (ValueError, TypeError) as exc:
        reason = str(exc).split("\n", 1)[0][:120]
        return Check("private_key", "fail", f"the key does not parse as PEM: {reason}", fix), ""
    if not isinstance(key, rsa.RSAPrivateKey):
        return Check(
            "private_key", "fail", "the key is not an RSA key (GitHub Apps use RSA)", fix
        ), ""
    detail = f"RSA {key.key_size}-bit key parses"
    path = Path(raw).expanduser()
    if not raw.lstrip().startswith("-----BEGIN") and path.stat().st_mode & 0o077:
        mode = oct(path.stat().st_mode & 0o777)
        return Check(
            "private_key", "warn", f"{detail}, but {path} is readable by others ({mode})",
            f"chmod 600 {path}",
        ), pem  # fmt: skip
    return ok("private_key", detail), pem


def git_version(git: str = "git") -> tuple[int, ...] | None:
    try:
        out = subprocess.run(
            [git, "--version"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except OSError:
        return None
    match = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", out)
    return tuple(int(part) for part in match.groups() if part is not None) if match else None


def check_git(git: str = "git") -> Check:
    version = git_version(git)
    fix = "install git 2.38 or newer (Debian bookworm ships 2.39)"
    if version is None:
        return Check("git", "fail", f"`{git} --version` did not run", fix)
    shown = ".".join(map(str, version))
    if version[:2] < MIN_GIT:
        return Check("git", "fail", f"git {shown} lacks `merge-tree --write-tree` (2.38+)", fix)
    return ok("git", f"git {shown}")


def check_data_dir(data_dir: Path) -> Check:
    fix = f"make {data_dir} a writable directory with space (PITCREW_DATA_DIR / --data-dir)"
    existing = data_dir.absolute()
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent  # doctor looks, it does not create: serve will
    try:
        if not existing.is_dir():
            raise NotADirectoryError(20, "a file is in the way", str(existing))
        with tempfile.NamedTemporaryFile(dir=existing, prefix=".doctor-"):
            pass
    except OSError as exc:
        return Check("data_dir", "fail", f"{data_dir} is not writable: {exc.strerror}", fix)
    free = shutil.disk_usage(existing).free
    made = "" if existing == data_dir.absolute() else " (serve creates it)"
    detail = f"{data_dir} is writable{made}, {free / 1024**3:.1f} GiB free"
    if free < FREE_FAIL_BYTES:
        return Check("data_dir", "fail", detail, fix)
    if free < FREE_WARN_BYTES:
        return Check("data_dir", "warn", detail, "git mirrors need room: free a few GiB")
    return ok("data_dir", detail)


def check_redis_extra(redis_url: str, importable: bool) -> Check:
    if not redis_url:
        return ok("redis_extra", "not needed (PITCREW_REDIS_URL is not set)")
    if importable:
        return ok("redis_extra", "the redis module is installed")
    return Check(
        "redis_extra",
        "fail",
        "PITCREW_REDIS_URL is set but the redis module is not installed",
        "pip install 'pitcrew[redis]'",
    )


def check_redis(redis_url: str, importable: bool) -> Check:
    from bot.redact import redact

    if not redis_url:
        return ok("redis", "not configured: the queue and state are SQLite in the data dir")
    if not importable:
        return Check("redis", "warn", "not checked: the redis module is missing", "")
    import redis

    shown = redact(redis_url)
    try:
        client = redis.Redis.from_url(redis_url, socket_timeout=3, socket_connect_timeout=3)
        try:
            client.ping()
        finally:
            client.close()
    except (redis.RedisError, OSError, ValueError) as exc:
        return Check(
            "redis",
            "fail",
            f"Redis at {shown} did not answer PING: {redact(str(exc))[:160]}",
            "start Redis or fix PITCREW_REDIS_URL",
        )
    return ok("redis", f"Redis at {shown} answers PING")


# ----------------------------------------------------------------------------- GitHub checks
def skew_check(skew: float | None) -> Check:
    if skew is None:
        return Check("clock", "warn", "GitHub sent no Date header: skew unknown", "")
    detail = f"this clock is {abs(skew):.0f} s {'ahead of' if skew > 0 else 'behind'} GitHub's"
    fix = "synchronise the clock (NTP): GitHub refuses App JWTs from a clock off by over 60 s"
    if abs(skew) > SKEW_FAIL_S:
        return Check("clock", "fail", detail, fix)
    if abs(skew) > SKEW_WARN_S:
        return Check("clock", "warn", detail, fix)
    return ok("clock", detail)


def permission_check(granted: Mapping[str, str], wanted: Mapping[str, str]) -> Check:
    missing = [
        f"{name}: {level} (granted {granted.get(name, 'none')})"
        for name, level in sorted(wanted.items())
        if LEVELS.get(granted.get(name, "none"), 0) < LEVELS.get(level, 0)
    ]
    extra = sorted(set(granted) - set(wanted))
    if missing:
        return Check(
            "permissions",
            "fail",
            "app.yml asks for more than the App was granted: " + "; ".join(missing),
            "raise them in the App's settings (Permissions & events), then accept the new "
            "permissions on each installation",
        )
    if extra:
        return Check(
            "permissions",
            "warn",
            f"granted beyond app.yml: {', '.join(extra)}",
            "drop them in the App's settings (least privilege)",
        )
    return ok("permissions", f"{len(wanted)} permissions as app.yml asks")


def event_check(granted: list[str], wanted: list[str]) -> Check:
    missing = sorted(set(wanted) - set(granted))
    extra = sorted(set(granted) - set(wanted))
    if missing:
        return Check(
            "events",
            "fail",
            f"not subscribed to {', '.join(missing)}: those features never hear of changes",
            "subscribe to them in the App's settings (Permissions & events)",
        )
    if extra:
        return Check("events", "warn", f"subscribed beyond app.yml: {', '.join(extra)}", "")
    return ok("events", f"{len(wanted)} events as app.yml asks")


def hook_config_check(config: Mapping[str, Any], secret_set_locally: bool) -> Check:
    url = str(config.get("url") or "")
    problems: list[tuple[Status, str, str]] = []
    if not url:
        problems.append(("fail", "no webhook URL", "set it to https://YOUR-HOST/webhook"))
    elif not url.startswith("https://"):
        problems.append(("warn", f"the webhook URL {url} is not https", "serve it behind TLS"))
    elif not url.rstrip("/").endswith("/webhook"):
        problems.append(("warn", f"{url} does not end in /webhook", "Pitcrew listens on /webhook"))
    if config.get("content_type") != "json":
        problems.append(
            (
                "fail",
                f"content type is {config.get('content_type')!r}, not json",
                "set the webhook content type to application/json",
            )
        )
    if not config.get("secret"):
        problems.append(
            ("fail", "the App's webhook has no secret", "set one and put it in the env file")
        )
    if str(config.get("insecure_ssl", "0")) != "0":
        problems.append(("fail", "SSL verification is off", "turn SSL verification on"))
    if not problems:
        detail = f"{url}, json, secret set, SSL verified"
        if not secret_set_locally:
            return Check("webhook_config", "warn", detail, "set PITCREW_WEBHOOK_SECRET to match")
        return ok("webhook_config", detail)
    status: Status = "fail" if any(p[0] == "fail" for p in problems) else "warn"
    return Check(
        "webhook_config",
        status,
        "; ".join(p[1] for p in problems),
        "; ".join(p[2] for p in problems if p[2]) + " (the App's settings → Webhook)",
    )


def _delivered_at(record: Mapping[str, Any]) -> datetime | None:
    from bot.timeparse import timestamp_seconds

    try:
        return datetime.fromtimestamp(timestamp_seconds(str(record["delivered_at"])), UTC)
    except (KeyError, ValueError):
        return None


def deliveries_check(records: list[dict[str, Any]], now: datetime | None = None) -> Check:
    """Newest first, as GitHub lists them; a failure is any status outside 2xx."""
    now = now or datetime.now(UTC)
    recent = [
        r for r in records if (at := _delivered_at(r)) is not None and now - at < DELIVERY_WINDOW
    ]
    if not recent:
        return ok("deliveries", "no deliveries in the last 24 h")
    failed = [r for r in recent if not 200 <= int(r.get("status_code") or 0) < 300]
    if not failed:
        return ok("deliveries", f"{len(recent)} deliveries in the last 24 h, none failed")
    latest = failed[0]
    detail = (
        f"{len(failed)} of {len(recent)} deliveries in the last 24 h failed; latest: "
        f"{latest.get('event')} → {latest.get('status_code') or 'no answer'} "
        f"({latest.get('status')}) at {latest.get('delivered_at')}"
    )
    fix = (
        "check that the service is reachable at the webhook URL and answers 2xx; "
        "the leader asks GitHub to redeliver failures (PITCREW_RECONCILE_INTERVAL_S)"
    )
    status: Status = "fail" if recent[0] is latest else "warn"  # the newest one failed: down now
    return Check("deliveries", status, detail, fix)


def _skipped(name: str, why: str) -> Check:
    return Check(name, "warn", f"not checked: {why}", "")


GITHUB_CHECKS = (
    "app_auth",
    "clock",
    "installations",
    "webhook_config",
    "deliveries",
    "permissions",
    "events",
)


async def github_checks(
    app_id: str, pem: str, github_url: str, secret_set: bool, manifest: Mapping[str, Any]
) -> list[Check]:
    import aiohttp

    from bot.github import GitHubApp, RetryPolicy
    from bot.github.admin import AppCallError, AppProbe, clock_skew

    dependent = GITHUB_CHECKS[1:]
    if not (app_id and pem):
        first = (
            _skipped("app_auth", "needs a private key that parses")
            if app_id
            else Check("app_auth", "fail", "PITCREW_APP_ID is not set", "run `pitcrew setup`")
        )
        return [first, *(_skipped(n, "the App cannot authenticate") for n in dependent)]
    policy = RetryPolicy(attempts=2, base_delay=0.2, request_timeout=15.0, write_interval=0)
    async with aiohttp.ClientSession() as session:
        hub = GitHubApp(
            session=session, base_url=github_url, app_id=app_id, private_key=pem, policy=policy
        )
        probe = AppProbe(hub)
        try:
            answer = await probe.app()
        except AppCallError as exc:
            checks = [
                Check(
                    "app_auth",
                    "fail",
                    f"GitHub refused the App's JWT (GET /app): {exc}",
                    "check PITCREW_APP_ID belongs to this key, and the clock",
                ),
                skew_check(clock_skew(exc.server_time))
                if exc.server_time
                else _skipped("clock", "GitHub did not answer"),
            ]
            return checks + [_skipped(n, "the App cannot authenticate") for n in dependent[1:]]
        except Exception as exc:  # network trouble: say where, not a traceback
            return [
                Check(
                    "app_auth",
                    "fail",
                    f"cannot reach {github_url}: {type(exc).__name__}",
                    "check PITCREW_GITHUB_URL and the network",
                ),
                *(_skipped(n, "GitHub unreachable") for n in dependent),
            ]
        app = answer.data or {}
        checks = [
            ok("app_auth", f"GitHub accepts the JWT of App {app.get('slug')} (id {app.get('id')})"),
            skew_check(clock_skew(answer.server_time)),
            await _installations_check(probe, str(app.get("slug") or "")),
        ]
        for name, call in (
            ("webhook_config", probe.hook_config),
            ("deliveries", probe.recent_deliveries),
        ):
            try:
                data = await call()
            except Exception as exc:
                checks.append(Check(name, "warn", f"could not read it: {exc}", ""))
                continue
            if name == "webhook_config":
                checks.append(hook_config_check(data, secret_set))  # type: ignore[arg-type]  # JSON object checked by the caller
            else:
                checks.append(deliveries_check(data))  # type: ignore[arg-type]  # JSON list checked by the caller
        checks.append(
            permission_check(
                app.get("permissions") or {}, manifest.get("default_permissions") or {}
            )
        )
        checks.append(event_check(app.get("events") or [], manifest.get("default_events") or []))
        return checks


async def _installations_check(probe: Any, slug: str) -> Check:
    install = f"install it: https://github.com/apps/{slug}/installations/new"
    try:
        installations = await probe.installations()
    except Exception as exc:
        return Check("installations", "fail", f"could not list installations: {exc}", "")
    if not installations:
        return Check("installations", "warn", "the App is not installed anywhere", install)
    parts, problems = [], []
    for inst in installations:
        login = (inst.get("account") or {}).get("login", "?")
        if inst.get("suspended_at"):
            problems.append(f"{login} is suspended")
            continue
        try:
            count = await probe.repository_count(int(inst["id"]))
        except Exception as exc:
            problems.append(f"{login}: no token ({exc})")
            continue
        parts.append(f"{login}: {count} repositories ({inst.get('repository_selection')})")
    detail = "; ".join(parts + problems)
    if problems:
        return Check("installations", "warn", detail, "unsuspend or reinstall the App there")
    return ok("installations", detail)


# ----------------------------------------------------------------------------- the command
def redis_importable() -> bool:
    try:
        import redis  # noqa: F401
    except ImportError:
        return False
    return True


async def run_checks(env: Mapping[str, str], *, git: str = "git") -> list[Check]:
    from bot.settings import DEFAULT_GITHUB_URL
    from bot.setup.manifest import load_app_yml

    key_check, pem = load_private_key(env)
    importable = redis_importable()
    redis_url = env.get("PITCREW_REDIS_URL", "")
    checks = [check_webhook_secret(env), key_check]
    checks += await github_checks(
        env.get("PITCREW_APP_ID", ""),
        pem,
        env.get("PITCREW_GITHUB_URL", DEFAULT_GITHUB_URL).rstrip("/"),
        bool(env.get("PITCREW_WEBHOOK_SECRET")),
        load_app_yml(),
    )
    checks.append(check_git(git))
    checks.append(check_data_dir(Path(env.get("PITCREW_DATA_DIR", "data"))))
    checks.append(await asyncio.to_thread(check_redis, redis_url, importable))
    checks.append(check_redis_extra(redis_url, importable))
    return checks


def render_text(checks: list[Check]) -> str:
    width = max(len(c.name) for c in checks)
    lines = []
    for check in checks:
        lines.append(f"{check.status:<4}  {check.name:<{width}}  {check.detail}")
        if check.fix and check.status != "ok":
            lines.append(f"{'':<4}  {'':<{width}}  fix: {check.fix}")
    failed = sum(c.status == "fail" for c in checks)
    warned = sum(c.status == "warn" for c in checks)
    lines.append(f"{len(checks)} checks: {failed} failed, {warned} warnings")
    return "\n".join(lines)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private generic has no public alias
    doctor = subparsers.add_parser("doctor", help="check that this installation can work")
    doctor.add_argument("--format", choices=["text", "json"], default="text")
    doctor.add_argument("--env-file", help="settings file (default .env when it exists)")
    doctor.add_argument("--data-dir", help="the service's data directory (PITCREW_DATA_DIR)")
    doctor.set_defaults(func=run_doctor)


def run_doctor(args: argparse.Namespace) -> int:
    from bot.envfile import EnvFileError, environment_with_file

    try:
        env = environment_with_file(args.env_file)
    except EnvFileError as exc:
        print(f"pitcrew doctor: {exc}", file=sys.stderr)
        return 2
    if args.data_dir:
        env["PITCREW_DATA_DIR"] = args.data_dir
    started = time.monotonic()
    checks = asyncio.run(run_checks(env))
    if args.format == "json":
        print(
            json.dumps(
                {
                    "checks": [asdict(c) for c in checks],
                    "ok": not any(c.status == "fail" for c in checks),
                    "seconds": round(time.monotonic() - started, 2),
                },
                indent=2,
            )
        )
    else:
        print(render_text(checks))
    return 1 if any(c.status == "fail" for c in checks) else 0
