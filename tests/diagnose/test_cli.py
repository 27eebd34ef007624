"""`pitcrew diagnose` CLI: formats, several files, stdin, errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import main

LOGS = Path(__file__).parent / "corpus" / "logs"
PYTEST_LOG = LOGS / "pytest_basic.log"
OOM_LOG = LOGS / "oom_sigkill.log"


def run(capsys, *argv):
    code = main(["diagnose", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_single_is_an_object(capsys):
    code, out, _ = run(capsys, PYTEST_LOG, "--format", "json")
    data = json.loads(out)
    assert code == 0 and isinstance(data, dict)
    assert data["file"] == str(PYTEST_LOG)
    assert data["category"] == "test_failure"
    assert data["failing_tests"] == [
        "tests/test_calc.py::test_add_two",
        "tests/test_calc.py::TestEdge::test_big",
    ]
    assert {"line", "text"} <= set(data["key_lines"][0])
    for key in ("failing_step", "retryable", "confidence", "rule"):
        assert key in data


def test_json_several_is_a_list_in_order(capsys):
    code, out, _ = run(capsys, OOM_LOG, PYTEST_LOG, "--format", "json")
    data = json.loads(out)
    assert code == 0 and [d["category"] for d in data] == ["oom_killed", "test_failure"]


def test_missing_file_reported_others_processed(capsys, tmp_path):
    missing = tmp_path / "nope.log"
    code, out, err = run(capsys, missing, PYTEST_LOG, "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert str(missing) in err and "No such file" in err and "Traceback" not in err
    assert data[0] == {"file": str(missing), "error": "No such file or directory"}
    assert data[1]["category"] == "test_failure"


def test_stdin(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(OOM_LOG.read_bytes())))
    code, out, _ = run(capsys, "-", "--format", "json")
    assert code == 0 and json.loads(out)["file"] == "-"
    assert json.loads(out)["category"] == "oom_killed"


@pytest.mark.parametrize(
    ("fmt", "needle"),
    [("text", "test_failure (confidence"), ("markdown", "`tests/test_calc.py::test_add_two`")],
)
def test_other_formats(capsys, fmt, needle):
    code, out, _ = run(capsys, PYTEST_LOG, "--format", fmt)
    assert code == 0 and needle in out


def test_bad_rules_file(capsys, tmp_path):
    rules = tmp_path / "rules.yml"
    rules.write_text("rules:\n  - id: evil\n    category: lint\n    patterns: ['(a+)+$']\n")
    code, _, err = run(capsys, PYTEST_LOG, "--rules", rules)
    assert code == 2 and "evil" in err and "Traceback" not in err


def test_extra_rules_file(capsys, tmp_path):
    rules = tmp_path / "rules.yml"
    rules.write_text(
        "- id: calc-bug\n  category: build\n  priority: 99\n  patterns: ['^E +assert 5 == 4']\n"
    )
    code, out, _ = run(capsys, PYTEST_LOG, "--rules", rules, "--format", "json")
    assert code == 0 and json.loads(out)["rule"] == "calc-bug"


def test_reader_that_goes_away_gets_no_traceback(tmp_path):
    """`pitcrew diagnose a.log b.log ... | head -1`: the pipe closes while JSON is written."""
    log = tmp_path / "job.log"
    log.write_text("FAILED tests/test_a.py::test_x - assert 1 == 2\n" * 20)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "diagnose", *[str(log)] * 400],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # the reader goes away after one line
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr
