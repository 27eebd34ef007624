"""`pitcrew diagnose --format json` carries failure memory's signatures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def pytest_log(message: str, stamp: str, seconds: str) -> str:
    lines = [
        "##[group]Run pytest -q",
        "pytest -q",
        "##[endgroup]",
        "=================================== FAILURES ===================================",
        "_________________________________ test_total __________________________________",
        f"E       {message}",
        "tests/test_cart.py:7: AssertionError",
        "=========================== short test summary info ============================",
        f"FAILED tests/test_cart.py::test_total - {message}",
        f"1 failed, 3 passed in {seconds}s",
        "##[error]Process completed with exit code 1.",
    ]
    return "".join(f"{stamp} {line}\n" for line in lines)


def diagnose(tmp_path: Path, name: str, text: str) -> dict:
    path = tmp_path / name
    path.write_text(text)
    out = subprocess.run(
        [sys.executable, "-m", "bot", "diagnose", str(path), "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode in (0, 1), out.stderr
    return dict(json.loads(out.stdout))


def test_same_failure_same_signature_other_assertion_other(tmp_path: Path) -> None:
    one = diagnose(
        tmp_path, "a.log", pytest_log("assert 3 == 4", "2026-11-20T10:00:00.0000000Z", "0.12")
    )
    two = diagnose(
        tmp_path, "b.log", pytest_log("assert 30 == 41", "2026-11-21T22:13:09.1234567Z", "7.90")
    )
    three = diagnose(
        tmp_path,
        "c.log",
        pytest_log("assert total is None", "2026-11-20T10:00:00.0000000Z", "0.12"),
    )
    [f1], [f2], [f3] = one["failures"], two["failures"], three["failures"]
    assert len(f1["signature"]) == 16
    assert f1["signature"] == f2["signature"]
    assert f1["signature"] != f3["signature"]
    assert len(one["signature"]) == 16
