"""Timestamps and time spans as GitHub, exports and configuration write them.

One home for both parsers so the service, the engines and the CLIs read times alike; engines may
import this module (it holds no GitHub code).
"""

from __future__ import annotations

import argparse
import re
from datetime import UTC, datetime, timedelta


def parse_timestamp(value: object) -> datetime | None:
    """An aware UTC datetime from what GitHub and exports write; None for a missing value.

    Accepts RFC 3339 with ``Z`` (the REST API), the older ``YYYY-MM-DD HH:MM:SS`` form, naive
    times (taken as UTC, as in CSV exports), fractional seconds and explicit offsets such as
    ``-08:00`` (step timestamps), datetimes and epoch seconds.
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


def timestamp_seconds(value: str) -> float:
    """Epoch seconds of a timestamp that must be there (token expiry, delivery times)."""
    moment = parse_timestamp(value)
    if moment is None:
        raise ValueError(f"not a timestamp: {value!r}")
    return moment.timestamp()


class SpanError(argparse.ArgumentTypeError, ValueError):
    """A span that does not parse: a ``ValueError``, and argparse shows its message as is."""


_SPAN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([wdhm]?)\s*$")
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "": "days"}


def parse_span(text: str) -> timedelta:
    """``7d``, ``4w``, ``36h``, ``90m`` or a bare number of days (report windows, baselines)."""
    match = _SPAN.match(text)
    if not match:
        raise SpanError(f"invalid span {text!r}: use e.g. 7d, 4w, 36h, 90m")
    value = timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})
    if value <= timedelta(0):
        raise SpanError(f"span must be positive: {text!r}")
    return value
