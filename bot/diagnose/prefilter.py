"""The reader's combined prefilter: every watched line pattern as one RE2 expression over raw
log blocks (see :func:`prefilter_pattern`)."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

from .logline import TS_PREFIX
from .safe_regex import start_finder

# Watched patterns per expression, at most. One RE2 expression over all ~2,100 of them made its
# DFA's states (each a set of NFA positions) too large for the DFA cache, which kept overflowing
# and being rebuilt: on real corpus text it scanned several times slower than parts. But every
# part scans every byte, so many small parts are slow on a large log with few candidates
# (``bench/diagnose.py``'s 200 MB log: 128 patterns a part, 18 parts, fell to 0.14 of grep).
# Three parts of about 720 keep most of the gain on real logs and the large log at 0.35 of grep;
# ``bench/prefilter.py`` and ``bench/diagnose.py`` measure both.
PART_SIZE = 1024


def prefilter_pattern(patterns: Iterable[tuple[str, bool]]) -> bytes:
    """:func:`combined_pattern` of ``patterns``, cached: every log a process reads asks for
    the same ruleset's combination again, and building it was a third of a small log's
    diagnosis (its compiled RE2 object is cached too, :func:`safe_regex.compile_pattern`,
    so the automaton it built on earlier logs is reused)."""
    return combined_pattern(tuple(patterns))


def prefilter_parts(
    patterns: Iterable[tuple[str, bool]], part_size: int = PART_SIZE
) -> tuple[bytes, ...]:
    """:func:`prefilter_pattern` in parts of at most ``part_size`` patterns each (see
    ``PART_SIZE``), for :func:`first_start_finder`: as few parts as that allows, of equal
    size, in order (a rule's patterns mostly stay together)."""
    every = tuple(patterns)
    count = max(1, -(-len(every) // part_size))
    size = -(-len(every) // count)  # equal parts: 2,165 patterns make 3 of 722, not 1,024 + 117
    return tuple(combined_pattern(every[i : i + size]) for i in range(0, len(every), size))


def first_start_finder(parts: Sequence[Any]) -> Callable[[bytes, int, int], int]:
    """``find(data, pos, end)`` over several compiled expressions: where the first match of
    any of them starts, -1 without one (as :func:`safe_regex.start_finder` for one).

    Each part's next match is remembered while the calls move forward through the same
    ``data``, so a part is asked again only once the reader has passed its last hit: each
    part scans a block about once, not once per candidate line."""
    finders = [start_finder(part) for part in parts]
    if len(finders) == 1:
        return finders[0]
    heap: list[tuple[int, int]] = []
    last: list[Any] = [None, -1, -1]  # the data, end and pos of the previous call

    def find(data: bytes, pos: int, end: int) -> int:
        if data is not last[0] or end != last[1] or pos < last[2]:
            heap[:] = [(-1, i) for i in range(len(finders))]  # every part asked afresh
            last[0], last[1] = data, end
        last[2] = pos
        while heap and heap[0][0] < pos:
            hit, i = heapq.heappop(heap)
            hit = finders[i](data, pos, end)
            if hit >= 0:
                heapq.heappush(heap, (hit, i))
        return heap[0][0] if heap else -1

    return find


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
