"""Conflict model and per-path conflicting line ranges (pure Python, no git).

``git merge-tree`` tells us *which* paths conflict and gives the three stage blobs (merge base,
base-branch side, PR side). It does not say which lines of each side conflict, and the marker
file it writes is in merged-file coordinates, which are useless to someone editing either side.
So we recompute a diff3 here: diff merge-base→base-side and merge-base→PR-side, group change
hunks that overlap or touch in merge-base coordinates (git's xmerge treats touching changes as
conflicting too), keep groups changed differently on both sides, and map each group back to
line numbers of each side. Hunk boundaries come from difflib rather than xdiff, so in rare
pathological inputs a range can differ by a line or two from git's markers; the set of paths is
always git's own.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field

Range = tuple[int, int]
"""1-based inclusive ``(start, end)``; ``end == start - 1`` means "no lines, before line start"."""


@dataclass
class Conflict:
    """One conflicting path, with line ranges in the base branch's and the PR's version."""

    path: str
    kind: str = "content"
    base_lines: list[Range] = field(default_factory=list)
    head_lines: list[Range] = field(default_factory=list)
    message: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "kind": self.kind,
            "base_lines": [list(r) for r in self.base_lines],
            "head_lines": [list(r) for r in self.head_lines],
            "message": self.message,
        }


def is_binary(data: bytes) -> bool:
    """git's heuristic: a NUL byte in the first 8000 bytes."""
    return b"\0" in data[:8000]


def _hunks(base: Sequence[bytes], side: Sequence[bytes]) -> list[tuple[int, int, int, int]]:
    matcher = difflib.SequenceMatcher(None, base, side, autojunk=False)
    return [op[1:] for op in matcher.get_opcodes() if op[0] != "equal"]


def conflict_ranges(base: bytes, ours: bytes, theirs: bytes) -> tuple[list[Range], list[Range]]:
    """Conflicting line ranges in ``ours`` (base branch) and ``theirs`` (PR head).

    Returns two lists of equal length, one range per conflict region.
    """
    b, o, t = (x.splitlines(keepends=True) for x in (base, ours, theirs))
    tagged = sorted(
        [(h, 0) for h in _hunks(b, o)] + [(h, 1) for h in _hunks(b, t)],
        key=lambda x: (x[0][0], x[0][1]),
    )
    groups: list[list[tuple[tuple[int, int, int, int], int]]] = []
    hi = -1
    for hunk, side in tagged:
        if groups and hunk[0] <= hi:
            groups[-1].append((hunk, side))
            hi = max(hi, hunk[1])
        else:
            groups.append([(hunk, side)])
            hi = hunk[1]
    out_o: list[Range] = []
    out_t: list[Range] = []
    delta = [0, 0]  # side length minus base length, accumulated over earlier groups
    for group in groups:
        lo = min(h[0] for h, _ in group)
        hi = max(h[1] for h, _ in group)
        growth = [0, 0]
        for (i1, i2, j1, j2), side in group:
            growth[side] += (j2 - j1) - (i2 - i1)
        ranges = [
            (lo + delta[s] + 1, hi + delta[s] + growth[s]) for s in (0, 1)
        ]  # 1-based inclusive
        sides = {side for _, side in group}
        if len(sides) == 2:
            o_text = o[ranges[0][0] - 1 : ranges[0][1]]
            t_text = t[ranges[1][0] - 1 : ranges[1][1]]
            if o_text != t_text:  # identical changes on both sides merge cleanly
                out_o.append(ranges[0])
                out_t.append(ranges[1])
        delta = [delta[s] + growth[s] for s in (0, 1)]
    return out_o, out_t


def format_range(r: Range) -> str:
    """``L3``, ``L3-7`` or ``before L3`` (an empty range)."""
    start, end = r
    if end < start:
        return f"before L{start}" if start > 1 else "at start"
    return f"L{start}" if start == end else f"L{start}-{end}"
