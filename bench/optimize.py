"""Workflow optimizer throughput: files/s over the test corpus vs plain ``yaml.safe_load``.

Both are measured in the same run over the same in-memory texts (actionlint excluded).
Target: ≥ 200 files/s for the optimizer (all default rules, edits applied and verified).

    .venv/bin/python bench/optimize.py [--quick] [--rounds N] [--mirrors DIR]

With ``--mirrors`` (bare clones, see ``bench/real_workflows.py``) the real public workflows of
those repositories are timed too, in the same run.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.optimize import optimize_text  # noqa: E402
from tests.optimize.helpers import cases  # noqa: E402


def _rate(fn, items, rounds: int) -> float:
    fn(items[0])  # warm-up
    start = time.perf_counter()
    for _ in range(rounds):
        for item in items:
            fn(item)
    return rounds * len(items) / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few rounds only")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--mirrors", type=Path, help="also time real workflows from clones")
    args = parser.parse_args()
    rounds = args.rounds or (3 if args.quick else 30)
    corpus = cases()
    if args.mirrors:
        from bench.real_workflows import samples

        real = samples(args.mirrors)
        rate = _rate(lambda s: optimize_text(s.path, s.text), real, max(1, rounds // 10))
        print(f"real workflows: {len(real)} files, pitcrew optimize {rate:8.1f} files/s")

    def load(case):
        try:
            yaml.safe_load(case.text)
        except yaml.YAMLError:
            pass

    def optimize(case):
        optimize_text(case.path, case.text, repo_files=case.repo_files, config=case.config)

    def cload(case):
        try:
            yaml.load(case.text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError:
            pass

    baseline = _rate(load, corpus, rounds)
    c_baseline = _rate(cload, corpus, rounds)
    ours = _rate(optimize, corpus, rounds)
    print(f"corpus: {len(corpus)} workflows × {rounds} rounds")
    print(f"yaml.safe_load:   {baseline:8.1f} files/s")
    print(f"  (CSafeLoader:   {c_baseline:8.1f} files/s, for reference)")
    print(f"pitcrew optimize: {ours:8.1f} files/s")
    print(
        f"ratio optimize/safe_load: {ours / baseline:.2f}x (target ≥ 200 files/s: "
        f"{'met' if ours >= 200 else 'NOT met'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
