"""`pitcrew flaky` on a synthetic history with planted flaky tests finds them, and only them."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from bot.memory.model import FailureStore
from bot.memory.query import flaky_tests
from bot.memory.records import MAX_TESTS_PER_JOB, JobRun, records_for
from bot.memory.sqlite_store import SqliteFailureStore
from tests.memory.history import History

FLAKY = {"tests/test_net.py::test_retry": "job-a", "spec/cart_spec.rb:12": "job-b"}
BROKEN = "tests/test_tax.py::test_vat"  # fails on every commit after it broke: never flaky
FIXED = "tests/test_io.py::test_read"  # failed on one commit, fixed by the next: never flaky


def plant(store: FailureStore, seed: int = 7) -> History:
    """120 commits on main and PRs; flaky tests fail ~30 % of attempts and pass on re-run."""
    rng = random.Random(seed)
    h = History(store)
    for i in range(120):
        sha = f"{i:07x}abc"
        pr = None if i % 3 else 100 + i
        branch = "main" if pr is None else f"pr-{pr}"
        for job in ("job-a", "job-b"):
            failing = [
                (t, f"AssertionError: flaky {rng.randint(1, 9)}")
                for t, j in FLAKY.items()
                if j == job and rng.random() < 0.3
            ]
            if job == "job-a" and i >= 80:
                failing.append((BROKEN, "assert 19 == 20"))
            if job == "job-b" and i == 40:
                failing.append((FIXED, "FileNotFoundError: data.csv"))
            run = h.run(job, sha, branch=branch, pr=pr, failures=failing or None)
            attempt = 1
            while failing and attempt < 3 and BROKEN not in dict(failing):
                attempt += 1  # re-run the failed attempt on the same commit
                # flaky tests fail again by chance; the broken-then-fixed one fails every time
                failing = [f for f in failing if f[0] == FIXED or rng.random() < 0.3]
                h.run(
                    job,
                    sha,
                    branch=branch,
                    pr=pr,
                    failures=failing or None,
                    run_id=run.run_id,
                    attempt=attempt,
                )
    return h


def test_planted_flaky_tests_found_with_no_false_ones(store: FailureStore) -> None:
    h = plant(store)
    found = flaky_tests(store, repo=h.repo, window=timedelta(days=30), now=h.tick())
    assert {f.test for f in found} == set(FLAKY)
    for f in found:
        assert f.job == FLAKY[f.test] and f.workflow == "CI"
        assert f.fails >= 1 and f.passes >= 1
        assert 0 < f.score < 1 and f.score == round(f.fails / (f.fails + f.passes), 3)
        assert f.first_seen <= f.last_seen
        assert 1 <= len(f.examples) <= 3 and all("/actions/runs/" in u for u in f.examples)
        assert len(f.signature) == 16


def test_window_excludes_old_flakes(store: FailureStore) -> None:
    h = plant(store)
    later = h.tick(60 * 24 * 40)
    assert flaky_tests(store, repo=h.repo, window=timedelta(days=30), now=later) == []


def test_cli_json_and_markdown(tmp_path: Path) -> None:
    db = tmp_path / "failures.sqlite3"
    store = SqliteFailureStore(db)
    h = plant(store)
    now = h.tick().isoformat()
    store.close()
    cmd = [
        sys.executable,
        "-m",
        "bot",
        "flaky",
        "--db",
        str(db),
        "--repo",
        "octo/app",
        "--window",
        "30d",
        "--now",
        now,
    ]
    out = subprocess.run([*cmd, "--format", "json"], capture_output=True, text=True, check=True)
    items = json.loads(out.stdout)
    assert {i["test"] for i in items} == set(FLAKY)
    assert set(items[0]) >= {
        "test",
        "job",
        "workflow",
        "signature",
        "fails",
        "passes",
        "score",
        "first_seen",
        "last_seen",
        "examples",
    }
    md = subprocess.run(
        [*cmd, "--format", "markdown"], capture_output=True, text=True, check=True
    ).stdout
    assert md.startswith("| test | job | fails |") and "`tests/test_net.py::test_retry`" in md
    missing = subprocess.run(
        [sys.executable, "-m", "bot", "flaky", "--db", str(tmp_path / "nope.sqlite3")],
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 2 and "no failure store" in missing.stderr


def test_thousands_of_failing_tests_are_capped_and_counted() -> None:
    from datetime import UTC, datetime

    run = JobRun("o/r", "CI", "test", "s", "main", None, 1, 1, datetime.now(UTC))
    diag = {"failures": [{"test": f"t::test_{i}", "message": "boom"} for i in range(5000)]}
    recorded = records_for(run, diag)
    assert len(recorded.records) == MAX_TESTS_PER_JOB
    assert recorded.dropped == 5000 - MAX_TESTS_PER_JOB
