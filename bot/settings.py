"""Process settings: flags override environment variables, which override defaults.

`serve` refuses to start without a webhook secret: an unauthenticated intake would let anyone
on the internet drive the bot.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

N = TypeVar("N", int, float)

DEFAULT_GITHUB_URL = "https://api.github.com"
MAX_BODY_BYTES = 25 * 1024 * 1024  # GitHub caps webhook payloads at 25 MiB


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

    @property
    def has_app_credentials(self) -> bool:
        return bool(self.app_id and self.private_key)


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


def _int(name: str, value: object, default: int) -> int:
    return default if value in (None, "") else _number(name, value, int)


def _float(name: str, value: object) -> float:
    return _number(name, value, float)


def load_settings(
    env: dict[str, str] | None = None, *, require_secret: bool = True, **flags: object
) -> Settings:
    """Build settings from ``flags`` (CLI) over ``env`` (default ``os.environ``)."""
    env = dict(os.environ if env is None else env)

    def pick(flag: str, var: str, default: object = "") -> object:
        value = flags.get(flag)
        return value if value not in (None, "") else env.get(var, default)

    secret = str(pick("webhook_secret", "PITCREW_WEBHOOK_SECRET"))
    if require_secret and not secret:
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
        port=_int("PITCREW_PORT", pick("port", "PITCREW_PORT"), 8000),
        workers=_int("PITCREW_WORKERS", pick("workers", "PITCREW_WORKERS"), 4),
        max_attempts=_int("PITCREW_MAX_ATTEMPTS", pick("max_attempts", "PITCREW_MAX_ATTEMPTS"), 5),
        retry_base_s=_float(
            "PITCREW_RETRY_BASE_S", pick("retry_base_s", "PITCREW_RETRY_BASE_S", 2.0)
        ),
        redis_url=str(pick("redis_url", "PITCREW_REDIS_URL")),
        app_slug=str(pick("app_slug", "PITCREW_APP_SLUG", "pitcrew")),
        write_interval_s=_float(
            "PITCREW_WRITE_INTERVAL", pick("write_interval_s", "PITCREW_WRITE_INTERVAL", 1.0)
        ),
        scheduler_interval_s=_float(
            "PITCREW_SCHEDULER_INTERVAL_S",
            pick("scheduler_interval_s", "PITCREW_SCHEDULER_INTERVAL_S", 60.0) or 0,
        ),
        retention_days=_int(
            "PITCREW_RETENTION_DAYS", pick("retention_days", "PITCREW_RETENTION_DAYS"), 90
        ),
        reconcile_interval_s=_float(
            "PITCREW_RECONCILE_INTERVAL_S",
            pick("reconcile_interval_s", "PITCREW_RECONCILE_INTERVAL_S", 300.0) or 0,
        ),
    )
