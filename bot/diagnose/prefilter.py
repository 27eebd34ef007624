"""The reader's combined prefilter: every watched line pattern as one RE2 expression over raw
log blocks (see :func:`prefilter_pattern`)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from .logline import TS_PREFIX


def prefilter_pattern(patterns: Iterable[tuple[str, bool]]) -> bytes:
    """:func:`combined_pattern` of ``patterns``, cached: every log a process reads asks for
    the same ruleset's combination again, and building it was a third of a small log's
    diagnosis (its compiled RE2 object is cached too, :func:`safe_regex.compile_pattern`,
    so the automaton it built on earlier logs is reused)."""
    return combined_pattern(tuple(patterns))


@lru_cache(maxsize=64)
def combined_pattern(patterns: tuple[tuple[str, bool], ...]) -> bytes:
    """Combine line patterns into one multi-line bytes regex over raw log blocks.

    A leading ``^`` also accepts the timestamp prefix and colour codes; a trailing ``$``
    accepts a CR. The combination is a superset filter: every hit is re-checked on the
    cleaned line, so a prefilter false positive costs a little time, never correctness.

    The anchored patterns share one copy of that prefix, ``^PREFIX(?:p1|p2|…)``, rather than
    one each: the same lines match, but the prefix (about 360 bytes of alternatives) once
    instead of a thousand times makes the expression a sixth of the size, several times
    faster to compile and to scan, and its DFA quicker to warm up.
    """
    groups: dict[tuple[bool, bool], list[bytes]] = {}
    for pattern, ignore_case in patterns:
        body, fold = pattern, ignore_case
        if body.startswith("(?i)"):
            body, fold = body[4:], True
        raw = body.encode("utf-8")
        if raw.endswith(b"$") and not raw.endswith(b"\\$"):
            raw = raw[:-1] + rb"\r*$"
        anchored = raw.startswith(b"^") and not _branches_at_top(raw)
        body_raw = raw[1:] if anchored else raw
        groups.setdefault((anchored, fold), []).append(b"(?:" + body_raw + b")")
    parts = []
    for (anchored, fold), alternatives in groups.items():
        alternation = b"|".join(alternatives)
        if anchored:  # the prefix stays inside the fold: ``(?i)`` covered it before too
            alternation = b"^" + TS_PREFIX + rb"(?:\x1b\[[0-9;]*m)*(?:" + alternation + b")"
        parts.append(b"(?i:" + alternation + b")" if fold else b"(?:" + alternation + b")")
    return b"(?m)" + b"|".join(parts)


def _branches_at_top(raw: bytes) -> bool:
    """``raw`` has a ``|`` outside every group and class (``^a|b``: only ``a`` is anchored,
    so it cannot go under a shared ``^``)."""
    depth, escaped, in_class = 0, False, False
    for byte in raw:
        if escaped:
            escaped = False
        elif byte == 0x5C:  # backslash
            escaped = True
        elif in_class:
            in_class = byte != 0x5D  # ]
        elif byte == 0x5B:  # [
            in_class = True
        elif byte == 0x28:  # (
            depth += 1
        elif byte == 0x29:  # )
            depth -= 1
        elif byte == 0x7C and depth == 0:  # |
            return True
    return False
