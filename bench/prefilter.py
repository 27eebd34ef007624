"""Benchmark the reader's combined prefilter on real log text: one expression against parts.

The reader finds candidate lines with RE2 over raw log blocks. Its watch list (every rule
pattern, test-report trigger, generic word and step marker: about 2,000 patterns) used to
be ONE expression; its DFA states grew so large that RE2's DFA cache kept overflowing, and
scanning slowed several-fold as patterns were added. The reader now splits the list into
equal parts of at most ``PART_SIZE`` patterns (``prefilter.prefilter_parts``) and merges their hits
(``prefilter.first_start_finder``).

Over the corpus' real logs (every ``--every``-th file of ``tests/diagnose/corpus/logs``:
text only, no accuracy is read), in the same run, this measures:

* the single expression (the baseline) and the parts, each freshly compiled: a cold pass
  (the DFA built as it goes: a process' first logs) and a warm pass (a long-lived service);
* the candidate lines each finds (the parts may find a few more: a match spanning lines
  hides the next line's match from the single expression; never fewer);
* the slowest parts, warm, and the watched patterns with no literal of 4+ characters (the
  patterns most likely to cost DFA states: review these first when the ratio drops).

Prints the warm and cold ratios single/parts (higher is better; the split should stay
well above 1).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.diagnose.engine import _resolve_rules, reader_patterns  # noqa: E402
from bot.diagnose.logreader import MARKERS  # noqa: E402
from bot.diagnose.prefilter import (  # noqa: E402
    PART_SIZE,
    combined_pattern,
    first_start_finder,
    prefilter_parts,
)
from bot.diagnose.safe_regex import HAVE_RE2, required_literal  # noqa: E402

LOGS = ROOT / "tests" / "diagnose" / "corpus" / "logs"


def watched() -> list[tuple[str, bool]]:
    """Every pattern the reader's prefilter combines, in the reader's order."""
    watch, follow = reader_patterns(_resolve_rules(None))
    return [*((m, False) for m in MARKERS), *watch, *follow]


def fresh(pattern: bytes) -> Any:
    """A new RE2 object (``compile_pattern`` caches, and a cached one is already warm)."""
    import re2  # type: ignore[import-untyped,unused-ignore]  # no stubs

    from bot.diagnose.safe_regex import _RE2_OPTIONS

    return re2.compile(pattern, _RE2_OPTIONS)


def candidate_lines(find: Callable[[bytes, int, int], int], blocks: list[bytes]) -> int:
    """Candidate lines in ``blocks`` as the reader walks them: a search, then the next line."""
    lines = 0
    for data in blocks:
        pos, end = 0, len(data)
        while pos < end:
            hit = find(data, pos, end)
            if hit < 0:
                break
            lines += 1
            nl = data.find(b"\n", hit)
            if nl < 0:
                break
            pos = nl + 1
    return lines


def timed(find: Callable[[bytes, int, int], int], blocks: list[bytes]) -> tuple[float, int]:
    start = time.perf_counter()
    lines = candidate_lines(find, blocks)
    return time.perf_counter() - start, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=16, help="read every N-th corpus log")
    parser.add_argument("--part-size", type=int, default=PART_SIZE)
    args = parser.parse_args(argv)
    if not HAVE_RE2:
        print("google-re2 is not installed: the reader uses literals and `re` instead")
        return 1
    blocks = [p.read_bytes() for p in sorted(LOGS.glob("*.log"))[:: args.every]]
    patterns = watched()
    print(f"text: {len(blocks)} real logs, {sum(map(len, blocks)) / 1e6:.1f} MB")
    print(f"watched patterns: {len(patterns)}, parts of at most {args.part_size}")

    single = first_start_finder([fresh(combined_pattern(tuple(patterns)))])
    parts_raw = prefilter_parts(patterns, args.part_size)
    size = -(-len(patterns) // len(parts_raw))  # prefilter_parts makes them equal
    part_objects = [fresh(p) for p in parts_raw]
    split = first_start_finder(part_objects)
    rows = {}
    for label, find in (("single expression", single), (f"{len(parts_raw)} parts", split)):
        cold, lines = timed(find, blocks)
        warm, _ = timed(find, blocks)
        rows[label] = (cold, warm)
        print(f"{label:>18}: cold {cold:6.2f} s  warm {warm:6.2f} s  candidate lines {lines}")
    (s_cold, s_warm), (p_cold, p_warm) = rows.values()
    print(f"ratio single/parts: warm {s_warm / p_warm:.1f}x, cold {s_cold / p_cold:.1f}x")

    slowest = []
    for index, obj in enumerate(part_objects):
        took, _ = timed(first_start_finder([obj]), blocks)
        slowest.append((took, index))
    print("slowest parts (warm):")
    for took, index in sorted(slowest, reverse=True)[:5]:
        first = index * size
        print(f"  part {index} (patterns {first}-{first + size - 1}): {took:.2f} s")
    bare = [p for p, _ in patterns if required_literal(p, 4) is None]
    print(f"patterns without a literal of 4+ characters: {len(bare)}")
    for pattern in bare[:20]:
        print(f"  {pattern[:110]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
