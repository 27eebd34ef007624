"""How far two labellers agree, and how far the engine agrees with each.

``python tests/diagnose/corpus/agreement.py [--half design|test|all] [--json]``

``second_labels.yml`` holds second labels of logs that already have one in ``expected.yml``,
written by people who saw neither the first label nor the engine's output (batches 22-23).
Their agreement is the ceiling an engine can reach on the same material: a figure the two
people do not reach says the metric, not the engine, falls short there.

Printed per pair (first/second label, engine/first, engine/second):

- ``category``: the same category.
- ``key strict``: every key-line substring of the reference lies in a line the other picked
  (what ``accuracy.py`` calls ``key_line``; for the engine, in one of its key lines' text).
- ``key lenient``: they share at least one line.

Only aggregates are printed, so the test half stays held out.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))
sys.path.insert(0, str(HERE))

from accuracy import LOGS, cases_in, load_expected  # noqa: E402

from bot.diagnose.engine import diagnose  # noqa: E402

SECOND = HERE / "second_labels.yml"
PAIRS = ("first/second", "engine/first", "engine/second")


def load_second() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = yaml.safe_load(SECOND.read_text(encoding="utf-8"))
    return data


def _hits(lines: Sequence[str], needles: Sequence[str]) -> list[set[int]]:
    """Per needle, the numbers of the lines that contain it."""
    return [{i for i, line in enumerate(lines) if needle and needle in line} for needle in needles]


def _covers(reference: list[set[int]], picked: set[int]) -> bool:
    return all(lines & picked for lines in reference)


def compare(name: str, first: Mapping[str, Any], second: Mapping[str, Any]) -> Counter[str]:
    """Agreement marks for one log."""
    path = LOGS / f"{name}.log"
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    got = diagnose(path, name=name)
    engine = {i for i, line in enumerate(lines) for k in got.key_lines if k.text and k.text in line}
    one = _hits(lines, first.get("key_lines") or [])
    two = _hits(lines, second.get("key_lines") or [])
    union_one, union_two = set().union(*one), set().union(*two)
    marks: Counter[str] = Counter()
    for pair, (cat_a, cat_b) in zip(
        PAIRS,
        (
            (first["category"], second["category"]),
            (got.category, first["category"]),
            (got.category, second["category"]),
        ),
        strict=True,
    ):
        marks[f"{pair} category"] = int(cat_a == cat_b)
    marks["first/second key strict"] = int(_covers(one, union_two))
    marks["second/first key strict"] = int(_covers(two, union_one))
    marks["engine/first key strict"] = int(_covers(one, engine))
    marks["engine/second key strict"] = int(_covers(two, engine))
    marks["first/second key lenient"] = int(bool(union_one & union_two))
    marks["engine/first key lenient"] = int(bool(union_one & engine))
    marks["engine/second key lenient"] = int(bool(union_two & engine))
    return marks


def evaluate(half: str = "all") -> dict[str, Any]:
    expected = load_expected()
    second = load_second()
    names = [n for n in cases_in(half, expected) if n in second]
    total: Counter[str] = Counter()
    for name in names:
        total.update(compare(name, expected[name], second[name]))
    return {"half": half, "logs": len(names), "agree": dict(sorted(total.items()))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=("design", "test", "all"), default="all")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = evaluate(args.half)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    n = result["logs"]
    print(f"== {args.half}: {n} logs with a second label ==")
    for key, hits in result["agree"].items():
        print(f"{key:28s} {100 * hits / n if n else 0:5.1f}  {hits}/{n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
