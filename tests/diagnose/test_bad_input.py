"""Bad input never crashes or hangs the engine: a diagnosis or a clear ``unknown``.

Modest generated sizes here (the suite stays fast); bench/diagnose.py covers the big ones.
"""

from __future__ import annotations

import io
import os
import random
from collections.abc import Callable

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.findings import findings_from_log

STEP = b"##[group]Run make test\n##[endgroup]\n"
EXIT = b"##[error]Process completed with exit code 2.\n"


def _random_bytes(n: int) -> bytes:
    return random.Random(11).randbytes(n)


# built lazily: only the case a test runs is generated
CASES: dict[str, Callable[[], bytes]] = {
    "binary": lambda: _random_bytes(2 << 20),
    "binary-inside-a-step": lambda: STEP + _random_bytes(1 << 20) + b"\n" + EXIT,
    "one-10MB-line": lambda: STEP + b"x" * (10 << 20) + b"\nerror: the real cause\n" + EXIT,
    "10MB-line-without-newline": lambda: b"E" * (10 << 20),
    "invalid-utf8": lambda: STEP + b"\xff\xfe\xc3\x28 error: \xa0\xa1 bad bytes\n" * 5000 + EXIT,
    "ansi-storm": lambda: STEP + b"\x1b[31m\x1b[1m\x1b[0m\x1b[2K\x1b[1G" * 200_000 + b"\n" + EXIT,
    "only-group-markers": lambda: b"##[group]Run x\n##[group]nested\n##[endgroup]\n" * 5_000,
    "nul-bytes": lambda: STEP + b"\x00" * (1 << 20) + b"\n" + EXIT,
    "carriage-return-progress": lambda: (
        STEP + b"\r".join(b"%d%%" % i for i in range(100_000)) + b"\n" + EXIT
    ),
    "error-flood": lambda: STEP + b"error: x\n" * 20_000 + EXIT,
    "empty": lambda: b"",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_a_diagnosis_or_unknown(name: str) -> None:
    got = diagnose(io.BytesIO(CASES[name]()), name=name)
    assert got.category  # a category, never an exception
    assert len(got.key_lines) <= 8
    assert all(len(k.text) <= 4200 for k in got.key_lines)
    assert all(len(f.message or "") <= 300 for f in got.failures)
    findings_from_log(io.BytesIO(CASES[name]()))  # never raises either


def test_the_cause_after_a_huge_line_is_still_found() -> None:
    got = diagnose(io.BytesIO(CASES["one-10MB-line"]()))
    assert any("the real cause" in k.text for k in got.key_lines)


def test_random_garbage_does_not_crash(tmp_path) -> None:
    rng = random.Random(7)
    for _ in range(20):
        parts = [
            rng.choice(
                [
                    b"##[group]Run ",
                    b"##[error]",
                    b"FAILED ",
                    b"--- FAIL: ",
                    b"  \xe2\x97\x8f ",
                    b"E   ",
                    b"::error file=",
                    b"\x1b[3",
                    b"\r",
                    b"\n",
                    os.urandom(8),
                ]
            )
            for _ in range(2000)
        ]
        diagnose(io.BytesIO(b"".join(parts)))


def test_a_log_of_nothing_but_matching_lines_costs_a_bounded_number_of_candidates():
    from bot.diagnose import logreader

    reader = logreader.LogReader(watch=[(r"^error: ", False)], max_candidates=1000)
    data = STEP + b"error: x\n" * 20_000 + EXIT + b"##[group]Run next\n##[endgroup]\n"
    yielded = list(reader.lines(data))
    assert reader.budget_exhausted and len(yielded) < 1100
    assert reader.steps[-1].title == "Run next"  # step markers are still read
    assert reader.steps[1].exit_code == 2
