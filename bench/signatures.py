"""Benchmark of failure memory: insert rate, verdict lookup p50/p99 and peak RSS by size.

    .venv/bin/python bench/signatures.py                 # 10k, 100k, 1M stored failures
    .venv/bin/python bench/signatures.py --sizes 10000   # quick
    .venv/bin/python bench/signatures.py --redis URL     # the Redis store too

Each size runs in a fresh child process, so peak RSS is that size's own. The history is shaped
like a busy organisation's: 50 repositories, failures drawn from 5,000 recurring signatures
(a few very common, most rare: Zipf-like), on PRs and on main, with job outcomes beside them.
The baseline, measured in the same process on the same database file, is a primary-key point
select: the cheapest lookup SQLite can do at that size. The target is a verdict (every query
`judge` makes) at p99 < 5 ms with 1,000,000 stored failures.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.memory.model import FailureRecord, FailureStore, JobOutcome  # noqa: E402
from bot.memory.query import FailureAt, judge  # noqa: E402
from bot.memory.signature import failure_signature  # noqa: E402
from bot.memory.sqlite_store import SqliteFailureStore  # noqa: E402

REPOS = [f"org/repo{i}" for i in range(50)]
SIGNATURES = 5000
LOOKUPS = 2000
T0 = datetime(2026, 10, 1, tzinfo=UTC)


def _signature_pool(rng: random.Random) -> list[tuple[str, str, str]]:
    pool = []
    for i in range(SIGNATURES):
        test = f"tests/test_mod{i % 700}.py::test_case_{i}"
        message = f"AssertionError: assert {rng.randint(0, 9)} == {i}"
        pool.append((test, message, failure_signature(test, message)))
    return pool


def populate(store: FailureStore, n: int, seed: int = 1) -> tuple[float, list[FailureAt]]:
    """Insert ``n`` failures (+ n/2 outcomes); returns seconds taken and lookup targets."""
    rng = random.Random(seed)
    pool = _signature_pool(rng)
    weights = [1 / (k + 1) for k in range(SIGNATURES)]
    picks = rng.choices(range(SIGNATURES), weights=weights, k=n)
    step = timedelta(days=30) / n
    started = time.perf_counter()
    batch: list[FailureRecord] = []
    outcomes: list[JobOutcome] = []
    targets: list[FailureAt] = []
    for i, k in enumerate(picks):
        test, message, sig = pool[k]
        repo = REPOS[k % len(REPOS)]
        pr = None if i % 4 == 0 else 1 + i % 5000
        sha = f"{i:040x}"
        at = T0 + step * i
        branch = "main" if pr is None else f"pr-{pr}"
        batch.append(
            FailureRecord(
                sig,
                repo,
                "CI",
                "test",
                test,
                sha,
                branch,
                pr,
                i,
                1,
                at,
                message,
                f"https://github.com/{repo}/actions/runs/{i}",
            )
        )
        if i % 2 == 0:  # passes of other commits; one in fifty a re-run that passed (flaky)
            passed = sha if i % 100 == 0 else f"{i + 1:040x}"
            outcomes.append(
                JobOutcome(repo, "CI", "test", passed, branch, pr, i, 2, "success", at, "")
            )
        if len(batch) == 10_000:
            store.record_failures(batch)
            store.record_outcomes(outcomes)
            batch, outcomes = [], []
        if len(targets) < LOOKUPS and rng.random() < LOOKUPS / n * 2:
            targets.append(FailureAt(repo, "CI", "test", test, sig, sha, pr, "main"))
    store.record_failures(batch)
    store.record_outcomes(outcomes)
    return time.perf_counter() - started, targets


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.99) - 1]


def child(n: int, redis_url: str | None) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "failures.sqlite3"
        if redis_url:
            from bot.memory.redis_store import RedisFailureStore

            store: FailureStore = RedisFailureStore(redis_url, f"bench-{n}-{time.time_ns()}")
        else:
            store = SqliteFailureStore(db)
        seconds, targets = populate(store, n)
        now = T0 + timedelta(days=30, hours=1)
        verdict_ms = []
        kinds: dict[str, int] = {}
        for target in targets:
            t = time.perf_counter()
            verdict = judge(store, target, now)
            verdict_ms.append((time.perf_counter() - t) * 1000)
            kinds[verdict.kind] = kinds.get(verdict.kind, 0) + 1
        baseline_ms = []
        if not redis_url:
            conn = sqlite3.connect(str(db))
            for target in targets:
                t = time.perf_counter()
                conn.execute(
                    "SELECT 1 FROM failures WHERE repo=? AND run_id=? AND attempt=1 AND job=?"
                    " AND signature=?",
                    (target.repo, int(target.sha, 16), "test", target.signature),
                ).fetchall()
                baseline_ms.append((time.perf_counter() - t) * 1000)
            conn.close()
        store.close()
    p50, p99 = _percentiles(verdict_ms)
    b50, b99 = _percentiles(baseline_ms) if baseline_ms else (float("nan"), float("nan"))
    return {
        "rows": n,
        "insert_per_s": n / seconds,
        "verdict_p50_ms": p50,
        "verdict_p99_ms": p99,
        "baseline_p50_ms": b50,
        "baseline_p99_ms": b99,
        "lookups": len(targets),
        "verdicts": kinds,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--redis", help="redis://… to measure the Redis store as well")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-redis", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.child_redis)))
        return 0
    backends = [("sqlite", None)] + ([("redis", args.redis)] if args.redis else [])
    print(
        f"{'store':7} {'rows':>9} {'insert/s':>9} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'pk p50':>7} {'p99/pk':>7} {'RSS MiB':>8}"
    )
    for name, url in backends:
        for n in (int(s) for s in args.sizes.split(",")):
            cmd = [sys.executable, __file__, "--child", str(n)]
            if url:
                cmd += ["--child-redis", url]
            r = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
            ratio = r["verdict_p99_ms"] / r["baseline_p99_ms"] if name == "sqlite" else float("nan")
            print(
                f"{name:7} {r['rows']:>9,} {r['insert_per_s']:>9,.0f} {r['verdict_p50_ms']:>7.2f} "
                f"{r['verdict_p99_ms']:>7.2f} {r['baseline_p50_ms']:>7.3f} {ratio:>7.1f} "
                f"{r['peak_rss_mib']:>8.0f}  {r['verdicts']}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
