"""Lint findings from logs, and the ones on lines a pull request changed."""

from __future__ import annotations

import pytest

from bot.diagnose.findings import (
    Finding,
    batches,
    changed_lines,
    extract_findings,
    findings_from_log,
    split_by_diff,
    to_annotations,
)


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        pytest.param(
            ["src/a.py:3:1: F401 [*] `os` imported but unused"],
            Finding("src/a.py", 3, 1, "failure", "[*] `os` imported but unused", "F401"),
            id="ruff-flake8",
        ),
        pytest.param(
            ["src/m.py:1:0: C0114: Missing module docstring (missing-module-docstring)"],
            Finding(
                "src/m.py",
                1,
                0,
                "failure",
                "Missing module docstring (missing-module-docstring)",
                "C0114",
            ),
            id="pylint",
        ),
        pytest.param(
            ["src/b.py:12: error: Incompatible return value type  [return-value]"],
            Finding(
                "src/b.py", 12, None, "failure", "Incompatible return value type", "return-value"
            ),
            id="mypy",
        ),
        pytest.param(
            [
                '  /home/runner/work/r/r/src/c.py:4:5 - error: "x" is not defined '
                "(reportUndefinedVariable)"
            ],
            Finding("src/c.py", 4, 5, "failure", '"x" is not defined', "reportUndefinedVariable"),
            id="pyright",
        ),
        pytest.param(
            ["src/d.ts(7,3): error TS2322: Type 'number' is not assignable to type 'string'."],
            Finding(
                "src/d.ts",
                7,
                3,
                "failure",
                "Type 'number' is not assignable to type 'string'.",
                "TS2322",
            ),
            id="tsc",
        ),
        pytest.param(
            [
                "/home/runner/work/r/r/src/f.js",
                "  3:7  error  'z' is assigned a value but never used  no-unused-vars",
            ],
            Finding(
                "src/f.js",
                3,
                7,
                "failure",
                "'z' is assigned a value but never used",
                "no-unused-vars",
            ),
            id="eslint-stylish",
        ),
        pytest.param(
            ["pkg/g.go:10:2: ineffectual assignment to err (ineffassign)"],
            Finding("pkg/g.go", 10, 2, "failure", "ineffectual assignment to err", "ineffassign"),
            id="golangci-lint",
        ),
        pytest.param(
            ["error: this looks like you are swapping `a` and `b`", "  --> src/lib.rs:9:5"],
            Finding(
                "src/lib.rs", 9, 5, "failure", "this looks like you are swapping `a` and `b`", None
            ),
            id="clippy",
        ),
        pytest.param(
            ["app/u.rb:3:5: C: Style/StringLiterals: Prefer single-quoted strings."],
            Finding(
                "app/u.rb",
                3,
                5,
                "notice",
                "Style/StringLiterals: Prefer single-quoted strings.",
                "Style/StringLiterals",
            ),
            id="rubocop",
        ),
        pytest.param(
            ["run.sh:3:6: warning: Double quote to prevent globbing. [SC2086]"],
            Finding("run.sh", 3, 6, "warning", "Double quote to prevent globbing.", "SC2086"),
            id="shellcheck-gcc",
        ),
        pytest.param(
            ["In build.sh line 7:", "rm -rf $DIR/", "       ^--^ SC2115 (warning): Use a guard."],
            Finding("build.sh", 7, None, "warning", "Use a guard.", "SC2115"),
            id="shellcheck-tty",
        ),
        pytest.param(
            ["::error file=lib/x.py,line=9,title=E999::SyntaxError"],
            Finding("lib/x.py", 9, None, "failure", "SyntaxError", "E999"),
            id="workflow-command",
        ),
    ],
)
def test_formats(lines: list[str], want: Finding) -> None:
    assert extract_findings(lines) == [want]


@pytest.mark.parametrize(
    "line",
    [
        "/usr/include/stdio.h:3:1: error: outside the repository",
        "../other/x.py:1:1: F401 parent directory",
        "Downloading https://x.org/a.py:1:1: E501 nope",
        "src/a.py:0:1: F401 line zero",
    ],
)
def test_paths_outside_the_repository_are_dropped(line: str) -> None:
    assert extract_findings([line]) == []


DIFF = """\
diff --git a/src/a.py b/src/a.py
index 1..2 100644
--- a/src/a.py
+++ b/src/a.py
@@ -1,3 +1,4 @@
 import sys
+import os
 x = 1
-y = 2
+y = 3
@@ -10,2 +11,3 @@ def f():
     pass
+    return 1
 # end
diff --git a/gone.py b/gone.py
--- a/gone.py
+++ /dev/null
@@ -1 +0,0 @@
-x
"""


def test_changed_lines_from_a_unified_diff() -> None:
    assert changed_lines(DIFF) == {"src/a.py": {2, 4, 12}}


def test_changed_lines_from_pr_files() -> None:
    files = [
        {"filename": "src/a.py", "status": "modified", "patch": "@@ -1,2 +1,3 @@\n a\n+b\n c"},
        {"filename": "bin.png", "status": "added"},  # binary: no patch
        {"filename": "old.py", "status": "removed", "patch": "@@ -1 +0,0 @@\n-x"},
    ]
    assert changed_lines(files) == {"src/a.py": {2}}


def test_split_by_diff_and_annotations_in_batches() -> None:
    findings = [Finding("src/a.py", n, 1, "failure", f"m{n}", "E1") for n in range(1, 121)]
    inside, outside = split_by_diff(findings, {"src/a.py": set(range(1, 106))})
    assert len(inside) == 105 and len(outside) == 15
    chunks = batches(to_annotations(inside))
    assert [len(c) for c in chunks] == [50, 50, 5]
    assert chunks[0][0] == {
        "path": "src/a.py",
        "start_line": 1,
        "end_line": 1,
        "annotation_level": "failure",
        "message": "m1",
        "title": "E1",
    }


def test_findings_from_log_only_the_failing_step() -> None:
    log = (
        b"##[group]Run ruff check .\n##[endgroup]\n"
        b"src/a.py:3:1: F401 `os` imported but unused\n"
        b"##[error]Process completed with exit code 1.\n"
        b"##[group]Run mypy .\n##[endgroup]\n"
        b"src/b.py:2: error: bad  [misc]\n"
        b"##[error]Process completed with exit code 1.\n"
    )
    assert [f.path for f in findings_from_log(log)] == ["src/a.py", "src/b.py"]
    assert [f.path for f in findings_from_log(log, step=3)] == ["src/b.py"]


def test_duplicates_are_reported_once() -> None:
    line = "src/a.py:3:1: F401 `os` imported but unused"
    assert len(extract_findings([line, line])) == 1


def test_scan_against_diff_keeps_changed_lines_and_counts_the_rest() -> None:
    from bot.diagnose import findings as mod

    lines = [f"src/a.py:{n}:1: E501 line too long" for n in range(1, 3001)]
    log = ("##[group]Run ruff check .\n##[endgroup]\n" + "\n".join(lines) + "\n").encode()
    scan = mod.scan_log_against_diff(log, {"src/a.py": {2999}})
    assert [f.line for f in scan.inside] == [2999]  # not crowded out by the 2,999 others
    assert scan.outside == 2999


def test_check_run_output_counts_both_sides() -> None:
    from bot.diagnose.findings import DiffScan, check_run_output

    out = check_run_output(DiffScan([Finding("a.py", 1, 1, "failure", "m", "E1")], 7), job="lint")
    assert out["title"] == "1 finding on changed lines"
    assert "7 more outside the diff" in out["summary"] and "`lint`" in out["summary"]
