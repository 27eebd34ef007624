"""Process settings: flags override environment variables, which override defaults.

`serve` refuses to start without a webhook secret: an unauthenticated intake would let anyone
on the internet drive the bot.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

N = TypeVar("N", int, float)

DEFAULT_GITHUB_URL = "https://api.github.com"
MAX_BODY_BYTES = 25 * 1024 * 1024  # GitHub caps webhook payloads at 25 MiB
DEFAULT_MIRROR_BYTES = 20 * 2**30
SQLITE_SYNC_MODES = ("NORMAL", "FULL", "EXTRA")


class SettingsError(ValueError):
    """A setting is missing or malformed; the message says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    webhook_secret: str = field(repr=False)
    app_id: str = ""
    private_key: str = field(default="", repr=False)
    github_url: str = DEFAULT_GITHUB_URL
    data_dir: Path = Path("data")
    host: str = "0.0.0.0"
    port: int = 8000
    workers: int = 4
    max_attempts: int = 5
    retry_base_s: float = 2.0
    retry_max_s: float = 600.0
    redis_url: str = ""
    app_slug: str = "pitcrew"
    write_interval_s: float = 1.0
    scheduler_interval_s: float = 60.0  # 0 turns the in-process scheduler off
    reconcile_interval_s: float = 300.0  # 0 turns the redelivery reconciler off
    retention_days: int = 90  # run history, diagnoses and finished jobs older than this go
    max_body_bytes: int = MAX_BODY_BYTES
    mode: str = "live"  # "shadow": nothing is written to GitHub anywhere (PITCREW_MODE)
    sqlite_sync: str = "NORMAL"  # PRAGMA synchronous of the queue: NORMAL, FULL or EXTRA
    mirror_max_bytes: int = DEFAULT_MIRROR_BYTES
    prometheus_url: str = ""  # the report's SLO endpoint (config may only name endpoints)
    prometheus_endpoints: tuple[tuple[str, str], ...] = ()  # (name, URL) from the environment
    shutdown_s: float = 25.0  # SIGTERM: running jobs get this long (Kubernetes' grace is 30 s)
    outage_retry_s: float = 3600.0  # GitHub-down failures retry this long without using attempts

    @property
    def has_app_credentials(self) -> bool:
        return bool(self.app_id and self.private_key)

    def prometheus_endpoint(self, name: str | None) -> str | None:
        """The URL of the named endpoint (None or "default": PITCREW_PROMETHEUS_URL)."""
        if name in (None, "", "default"):
            return self.prometheus_url or None
        return dict(self.prometheus_endpoints).get(str(name))

    @property
    def shutdown_budget(self) -> tuple[float, float]:
        """(seconds for in-flight HTTP requests, seconds for running jobs) within shutdown_s.

        Webhook requests are short (they only store a job), so most of the budget goes to the
        jobs; one second is kept for closing the queue and the session.
        """
        requests = min(5.0, self.shutdown_s / 5)
        return requests, max(0.0, self.shutdown_s - requests - 1.0)

    @property
    def webhook_secrets(self) -> tuple[str, ...]:
        """Every accepted secret, newest first: ``new,old`` while a secret is being rotated."""
        return tuple(part.strip() for part in self.webhook_secret.split(",") if part.strip())


def _read_private_key(value: str) -> str:
    """Accept PEM text or a path to a PEM file (what most deployments mount)."""
    value = value.strip()
    if not value or value.startswith("-----BEGIN"):
        return value.replace("\\n", "\n") if "\\n" in value else value
    path = Path(value).expanduser()
    if not path.is_file():
        raise SettingsError(
            "PITCREW_PRIVATE_KEY is neither PEM text nor a readable file path "
            "(set it to the contents of, or the path to, the App's .pem key)"
        )
    try:
        return path.read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(
            f"PITCREW_PRIVATE_KEY: cannot read {path}: {getattr(exc, 'strerror', None) or exc} "
            "(the key file must be readable by the user Pitcrew runs as)"
        ) from None


def _number(name: str, value: object, kind: type[N]) -> N:
    """``value`` as ``kind`` (int or float), or a SettingsError naming the variable."""
    try:
        if isinstance(value, str | int | float):
            return kind(value)
    except ValueError:
        pass
    what = "an integer" if kind is int else "a number"
    raise SettingsError(f"{name} must be {what}, got {value!r}")


def _int(name: str, value: object, default: int, minimum: int = 0) -> int:
    if value in (None, ""):
        return default
    number = _number(name, value, int)
    if number < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {value!r}")
    return number


def _float(name: str, value: object, default: float, minimum: float = 0.0) -> float:
    if value in (None, ""):
        return default
    number = _number(name, value, float)
    if not number >= minimum or number == float("inf"):  # also refuses NaN
        raise SettingsError(f"{name} must be a finite number of at least {minimum}, got {value!r}")
    return number


def _url(name: str, value: object) -> str:
    text = str(value or "").strip()
    if text and not re.match(r"^https?://[^\s/]+", text):
        raise SettingsError(f"{name} must be an http(s) URL, got {value!r}")
    return text.rstrip("/")


def _endpoints(name: str, value: object) -> tuple[tuple[str, str], ...]:
    """``name=URL,name=URL``: endpoints a repository's config may refer to by name only."""
    endpoints = []
    for part in str(value or "").split(","):
        if not part.strip():
            continue
        label, sep, url = part.partition("=")
        if not sep or not re.fullmatch(r"[\w.-]+", label.strip()):
            raise SettingsError(f"{name} must be NAME=URL,NAME=URL, got {part.strip()!r}")
        endpoints.append((label.strip(), _url(name, url)))
    return tuple(endpoints)


def _choice(name: str, value: object, choices: tuple[str, ...]) -> str:
    text = str(value).strip().upper()
    if text not in choices:
        raise SettingsError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return text


def load_settings(
    env: dict[str, str] | None = None, *, require_secret: bool = True, **flags: object
) -> Settings:
    """Build settings from ``flags`` (CLI) over ``env`` (default ``os.environ``)."""
    env = dict(os.environ if env is None else env)

    def pick(flag: str, var: str, default: object = "") -> object:
        value = flags.get(flag)
        return value if value not in (None, "") else env.get(var, default)

    secret = str(pick("webhook_secret", "PITCREW_WEBHOOK_SECRET"))
    if require_secret and not secret.replace(",", "").strip():
        raise SettingsError(
            "PITCREW_WEBHOOK_SECRET is not set: refusing to accept unauthenticated webhooks. "
            "Set it to the App's webhook secret (any long random string for local use)."
        )
    mode = str(pick("mode", "PITCREW_MODE", "live") or "live").strip().lower()
    if mode not in ("live", "shadow"):
        raise SettingsError(f"PITCREW_MODE must be live or shadow, got {mode!r}")
    return Settings(
        mode=mode,
        webhook_secret=secret,
        app_id=str(pick("app_id", "PITCREW_APP_ID")),
        private_key=_read_private_key(str(pick("private_key", "PITCREW_PRIVATE_KEY"))),
        github_url=str(pick("github_url", "PITCREW_GITHUB_URL", DEFAULT_GITHUB_URL)).rstrip("/"),
        data_dir=Path(str(pick("data_dir", "PITCREW_DATA_DIR", "data"))),
        host=str(pick("host", "PITCREW_HOST", "0.0.0.0")),
        port=_port(pick("port", "PITCREW_PORT")),
        workers=_int("PITCREW_WORKERS", pick("workers", "PITCREW_WORKERS"), 4, minimum=1),
        max_attempts=_int(
            "PITCREW_MAX_ATTEMPTS", pick("max_attempts", "PITCREW_MAX_ATTEMPTS"), 5, minimum=1
        ),
        retry_base_s=_float(
            "PITCREW_RETRY_BASE_S", pick("retry_base_s", "PITCREW_RETRY_BASE_S"), 2.0
        ),
        redis_url=str(pick("redis_url", "PITCREW_REDIS_URL")),
        app_slug=str(pick("app_slug", "PITCREW_APP_SLUG", "pitcrew")),
        write_interval_s=_float(
            "PITCREW_WRITE_INTERVAL", pick("write_interval_s", "PITCREW_WRITE_INTERVAL"), 1.0
        ),
        scheduler_interval_s=_float(
            "PITCREW_SCHEDULER_INTERVAL_S",
            pick("scheduler_interval_s", "PITCREW_SCHEDULER_INTERVAL_S"),
            60.0,
        ),
        retention_days=_int(
            "PITCREW_RETENTION_DAYS",
            pick("retention_days", "PITCREW_RETENTION_DAYS"),
            90,
            minimum=1,
        ),
        reconcile_interval_s=_float(
            "PITCREW_RECONCILE_INTERVAL_S",
            pick("reconcile_interval_s", "PITCREW_RECONCILE_INTERVAL_S"),
            300.0,
        ),
        sqlite_sync=_choice(
            "PITCREW_SQLITE_SYNC",
            pick("sqlite_sync", "PITCREW_SQLITE_SYNC", "NORMAL"),
            SQLITE_SYNC_MODES,
        ),
        mirror_max_bytes=_int(
            "PITCREW_MIRROR_MAX_BYTES",
            pick("mirror_max_bytes", "PITCREW_MIRROR_MAX_BYTES"),
            DEFAULT_MIRROR_BYTES,
            minimum=1,
        ),
        prometheus_url=_url(
            "PITCREW_PROMETHEUS_URL", pick("prometheus_url", "PITCREW_PROMETHEUS_URL")
        ),
        prometheus_endpoints=_endpoints(
            "PITCREW_PROMETHEUS_ENDPOINTS",
            pick("prometheus_endpoints", "PITCREW_PROMETHEUS_ENDPOINTS"),
        ),
        shutdown_s=_float("PITCREW_SHUTDOWN_S", pick("shutdown_s", "PITCREW_SHUTDOWN_S"), 25.0),
        outage_retry_s=_float(
            "PITCREW_OUTAGE_RETRY_S", pick("outage_retry_s", "PITCREW_OUTAGE_RETRY_S"), 3600.0
        ),
    )


def _port(value: object) -> int:
    port = _int("PITCREW_PORT", value, 8000, minimum=0)
    if port > 65535:
        raise SettingsError(f"PITCREW_PORT must be at most 65535, got {value!r}")
    return port
