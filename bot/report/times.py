"""Time values of the report engine, each with one home: GitHub timestamps, epoch seconds,
window spans (``7d``, ``4w``).

Stores keep float epoch seconds; the engine works on aware UTC datetimes; JSON and exports use
GitHub's ``2024-05-01T12:00:00Z`` form.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any, overload

__all__ = ["ISO_Z", "SpanError", "format_ts", "from_epoch", "parse_span", "parse_ts", "to_epoch"]

#: GitHub's timestamp format (what the REST API returns and what exports carry).
ISO_Z = "%Y-%m-%dT%H:%M:%SZ"

_SPAN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([wdhm]?)\s*$")
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "": "days"}


class SpanError(ValueError):
    """A window/baseline span that is not ``<number>[wdhm]`` or not positive."""


def parse_ts(value: Any) -> datetime | None:
    """Parse GitHub timestamps into aware UTC datetimes.

    Accepts ``2018-04-25T20:42:10Z``, ``2018-04-25 20:42:10`` (naive means UTC, as in some
    exports), fractional seconds and explicit offsets such as ``-08:00`` (step timestamps).
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, int | float):
        return datetime.fromtimestamp(float(value), UTC)
    if not isinstance(value, str):
        raise ValueError(f"not a timestamp: {value!r}")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a timestamp: {value!r}") from None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_ts(value: datetime) -> str:
    """GitHub's form, in UTC: ``2024-05-01T12:00:00Z``."""
    return value.astimezone(UTC).strftime(ISO_Z)


@overload
def to_epoch(value: datetime) -> float: ...
@overload
def to_epoch(value: None) -> None: ...
@overload
def to_epoch(value: datetime | None) -> float | None: ...
def to_epoch(value: datetime | None) -> float | None:
    """Float epoch seconds (what the stores keep), None stays None."""
    return value.timestamp() if value is not None else None


@overload
def from_epoch(value: float) -> datetime: ...
@overload
def from_epoch(value: None) -> None: ...
@overload
def from_epoch(value: float | None) -> datetime | None: ...
def from_epoch(value: float | None) -> datetime | None:
    """Aware UTC datetime from float epoch seconds, None stays None."""
    return datetime.fromtimestamp(value, UTC) if value is not None else None


def parse_span(text: str) -> timedelta:
    """``7d``, ``4w``, ``36h``, ``90m`` or a bare number of days (config and CLI alike)."""
    match = _SPAN.match(str(text))
    if not match:
        raise SpanError(f"invalid span {text!r}: use e.g. 7d, 4w, 36h, 90m")
    value = timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})
    if value <= timedelta(0):
        raise SpanError(f"span must be positive: {text!r}")
    return value
