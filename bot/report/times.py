"""Time values of the report engine, each with one home: GitHub timestamps, epoch seconds,
window spans (``7d``, ``4w``).

Stores keep float epoch seconds; the engine works on aware UTC datetimes; JSON and exports use
GitHub's ``2024-05-01T12:00:00Z`` form.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload

from bot.timeparse import SpanError, parse_span, parse_timestamp

__all__ = ["ISO_Z", "SpanError", "format_ts", "from_epoch", "parse_span", "parse_ts", "to_epoch"]

#: GitHub's timestamp format (what the REST API returns and what exports carry).
ISO_Z = "%Y-%m-%dT%H:%M:%SZ"

# The parsers have one home, shared with the service and the other engines.
parse_ts = parse_timestamp


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
