"""Logging for people and for machines: one setup, two formats, the same fields.

* ``PITCREW_LOG_FORMAT=json``: one JSON object per line (python-json-logger, a maintained
  formatter: escaping, non-string values and exceptions are its job) with ``ts``, ``level``,
  ``logger``, ``msg`` and every structured field; a traceback is the ``exc_info`` string inside
  the object, never loose lines. ``text`` (the default) prints the same fields as ``key=value``.
* Fields of the job being processed (``job_id``, ``delivery_id``, ``event``, ``repo``,
  ``installation_id``, ``handler``) come from a context variable the worker sets, so every log
  call inside a job carries them without each call site passing them.
* Everything is redacted as comments are (``bot.redact``): message, traceback and each field.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from pythonjsonlogger.json import JsonFormatter

from bot.redact import redact

LOG_FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_context: ContextVar[dict[str, Any] | None] = ContextVar("pitcrew_log_context", default=None)
# attributes every LogRecord has: anything else on a record came from `extra=` or the context
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}


@contextlib.contextmanager
def log_context(**fields: Any) -> Iterator[None]:
    """Attach ``fields`` to every record logged inside the block (this task and its children)."""
    merged = {**(_context.get() or {}), **{k: v for k, v in fields.items() if v is not None}}
    token = _context.set(merged)
    try:
        yield
    finally:
        _context.reset(token)


def extra_fields(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


class ContextFilter(logging.Filter):
    """Copy the job's fields onto the record (explicit ``extra=`` values win)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in (_context.get() or {}).items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


class RedactingFilter(logging.Filter):
    """Mask anything token-shaped in every record: message, arguments, traceback and fields."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        for key, value in extra_fields(record).items():
            if isinstance(value, str):
                setattr(record, key, redact(value))
        return True


class TextFormatter(logging.Formatter):
    """The classic line, then the structured fields as ``key=value`` (quoted when needed)."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def formatMessage(self, record: logging.LogRecord) -> str:
        line = super().formatMessage(record)
        pairs = [f"{k}={_text_value(v)}" for k, v in sorted(extra_fields(record).items())]
        return f"{line} {' '.join(pairs)}" if pairs else line


def _text_value(value: Any) -> str:
    text = str(value)
    if not text or any(c.isspace() or c in '"=' for c in text):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def json_formatter() -> logging.Formatter:
    return JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s",
        rename_fields={"asctime": "ts", "levelname": "level", "name": "logger", "message": "msg"},
        datefmt="%Y-%m-%dT%H:%M:%S%z",
        json_ensure_ascii=False,
    )


def configure_logging(*, verbose: bool = False, log_format: str | None = None) -> str:
    """Set up the root logger on stderr; returns the format used (``PITCREW_LOG_FORMAT``)."""
    chosen = (log_format or os.environ.get("PITCREW_LOG_FORMAT") or "text").strip().lower()
    if chosen not in LOG_FORMATS:
        print(
            f"pitcrew: PITCREW_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, got "
            f"{chosen!r}; using text",
            file=sys.stderr,
        )
        chosen = "text"
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(json_formatter() if chosen == "json" else TextFormatter())
    handler.addFilter(ContextFilter())
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    return chosen
