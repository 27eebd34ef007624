"""Accuracy of the diagnosis engine over the committed corpus, per category.

``python tests/diagnose/corpus/accuracy.py [-v]``. A case is correct when the category
matches, the failing step matches, and every expected failing test is reported (the
engine may report more, e.g. parametrised siblings). Also importable: ``evaluate()``.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from bot.diagnose.engine import diagnose  # noqa: E402


def load_expected() -> dict[str, dict[str, Any]]:
    return yaml.safe_load((HERE / "expected.yml").read_text(encoding="utf-8"))


def check(name: str, want: dict[str, Any]) -> tuple[bool, list[str]]:
    got = diagnose(HERE / "logs" / f"{name}.log", name=name)
    problems = []
    if got.category != want["category"]:
        problems.append(f"category {got.category} != {want['category']}")
    if want.get("step") and got.failing_step != want["step"]:
        problems.append(f"step {got.failing_step!r} != {want['step']!r}")
    missing = [t for t in want.get("failing_tests") or [] if t not in got.failing_tests]
    if missing:
        problems.append(f"missing tests {missing} (got {got.failing_tests})")
    return not problems, problems


def evaluate() -> dict[str, tuple[int, int]]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for name, want in load_expected().items():
        ok, _ = check(name, want)
        totals[want["category"]][0] += ok
        totals[want["category"]][1] += 1
    return {k: (v[0], v[1]) for k, v in sorted(totals.items())}


def main() -> int:
    verbose = "-v" in sys.argv
    expected = load_expected()
    if verbose:
        for name, want in expected.items():
            ok, problems = check(name, want)
            if not ok:
                print(f"MISS {name}: {'; '.join(problems)}")
    results = evaluate()
    good = sum(ok for ok, _ in results.values())
    total = sum(n for _, n in results.values())
    print(f"{'category':20} correct/total")
    for category, (ok, n) in results.items():
        print(f"{category:20} {ok}/{n}  {100 * ok / n:.0f}%")
    print(f"{'overall':20} {good}/{total}  {100 * good / total:.1f}%")
    return 0 if good == total else 1


if __name__ == "__main__":
    sys.exit(main())
