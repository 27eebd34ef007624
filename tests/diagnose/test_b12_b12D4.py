"""Shapes from batch 12, helper b12D4 (whole Travis CI job logs): testthat's failure lines
in every version's form (0.x ``Failure (at test-x.R#29): name``, 3.1.5+'s quoted
location), and key lines that repeat one already shown.

Each snippet is written in the shape the tool prints (testthat's reporter-check.R and
reporter-summary.R across its releases) and asserts what a maintainer would name.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.extract_other import Testthat as RTestthat
from bot.diagnose.extractors import extract_failures
from bot.diagnose.keylines import GENERIC_MIN_SCORE
from bot.diagnose.scorer import error_score
from tests.diagnose.joblogs import travis_job


def _testthat(lines: list[str]) -> list[tuple[str, str | None, str | None]]:
    t = RTestthat()
    for number, line in enumerate(lines, 1):
        t.feed(line, number)
    return [(f.test, f.message, f.location) for f in t.failures()]


# testthat 0.10/0.11 under R CMD check: the header is longer than the console, so no dashes
# pad it; the message is the line right below; the summary repeats the header.
_V0_CHECK = [
    "* checking tests ...",
    "  Running ‘testthat.R’ [19s/19s]",
    " ERROR",
    "Running the tests in ‘tests/testthat.R’ failed.",
    "Last 13 lines of output:",
    "  > library('testthat')",
    '  > test_check("AnomalyDetection") ',
    "  Loading required package: AnomalyDetection",
    "  1. Failure (at test-ts.R#29): average the count for each unique timestamp if the"
    " timestamps are not unique ",
    '  AnomalyDetectionTs(raw_data, max_anoms = 0.02, direction = "both", plot = TRUE) threw'
    " an error",
    "  ",
    "  testthat results ================================================================",
    "  OK: 30 SKIPPED: 0 FAILED: 1",
    "  1. Failure (at test-ts.R#29): average the count for each unique timestamp if the"
    " timestamps are not unique ",
    "  ",
    "  Error: testthat unit tests failed",
    "  Execution halted",
]


def test_testthat_0x_header_without_dashes_takes_the_line_below() -> None:
    assert _testthat(_V0_CHECK) == [
        (
            "average the count for each unique timestamp if the timestamps are not unique",
            'AnomalyDetectionTs(raw_data, max_anoms = 0.02, direction = "both", plot = TRUE)'
            " threw an error",
            "test-ts.R:29",
        )
    ]


def test_testthat_0x_dashed_header_error_and_09_at_sign() -> None:
    lines = [
        "1. Error (at test-io.R#4): reads the file --------------------------------------",
        "cannot open file 'x.csv': No such file or directory",
        '1: read.csv("x.csv") at test-io.R:4',
        "",
        "2. Failure (@test-math.R#12): adds numbers -------------------------------------",
        "add(1, 1) not equal to 3",
        "Mean relative difference: 0.5",
    ]
    assert _testthat(lines) == [
        ("reads the file", "cannot open file 'x.csv': No such file or directory", "test-io.R:4"),
        ("adds numbers", "add(1, 1) not equal to 3", "test-math.R:12"),
    ]


def test_testthat_summary_entries_alone_get_no_message() -> None:
    """R CMD check keeps only the last 13 lines: when just the summary survives, the line
    below an entry is the next entry, a blank line or the ``...`` of a long list."""
    lines = [
        "  testthat results ================================================================",
        "  OK: 28 SKIPPED: 0 FAILED: 11",
        "  1. Failure (at test-a.R#3): first ",
        "  2. Error (at test-b.R#9): second ",
        "  3. ...",
        "  ",
        "  Error: testthat unit tests failed",
    ]
    assert _testthat(lines) == [
        ("first", None, "test-a.R:3"),
        ("second", None, "test-b.R:9"),
    ]


def test_testthat_1x_summary_entry_then_error_line_is_not_a_message() -> None:
    lines = [
        "  1. Failure: parses dates (@test-parse.R#14) ",
        "  Error: testthat unit tests failed",
        "  Execution halted",
    ]
    assert _testthat(lines) == [("parses dates", None, "test-parse.R:14")]


def test_testthat_3x_quoted_location_check_and_summary_reporters() -> None:
    """testthat >= 3.1.5 quotes the location (cli's ``{.file}``); the summary reporter
    numbers the header; an ASCII locale draws the rule with ``--``."""
    lines = [
        "  [ FAIL 3 | WARN 1 | SKIP 0 | PASS 41 ]",
        "  ",
        "  ══ Warnings ════════════════════════════════════════════════════════════════",
        "  ── Warning ('test-deprecated.R:5:3'): old API still works ───────────────────",
        "  `old()` was deprecated in pkg 1.2.0.",
        "  ══ Failed tests ════════════════════════════════════════════════════════════",
        "  ── Failure ('test-math.R:13:3'): adds numbers ──────────────────────────────",
        "  add(1, 1) (`actual`) not equal to 3 (`expected`).",
        "  ",
        "  ── 2. Error ('test-io.R:24:3'): reads the file ─────────────────────────────",
        "  Error in `file()`: cannot open the connection",
        "-- Failure ('tests/testthat/test-ascii.R:7:5'): works without UTF-8 -----------",
        "Expected `x` to be TRUE.",
        "  [ FAIL 3 | WARN 1 | SKIP 0 | PASS 41 ]",
    ]
    assert _testthat(lines) == [
        ("adds numbers", "add(1, 1) (`actual`) not equal to 3 (`expected`).", "test-math.R:13"),
        ("reads the file", "Error in `file()`: cannot open the connection", "test-io.R:24"),
        ("works without UTF-8", "Expected `x` to be TRUE.", "tests/testthat/test-ascii.R:7"),
    ]


def test_testthat_near_misses_name_no_test() -> None:
    """Warnings and skips are not failures; an ASCII rule without an R file's location is
    some other tool's banner; a numbered ``Failure`` list without testthat's location
    form is prose."""
    lines = [
        "── Warning ('test-x.R:5:3'): old API ──────────────────────────────────────────",
        "── Skip ('test-x.R:9:3'): needs network ───────────────────────────────────────",
        "-- Failure (setup.py:12): packaging step ---------------------------------------",
        "1. Failure (at line 12): the build broke",
        "1. Failure mode analysis: see the docs",
    ]
    assert extract_failures(lines) == []


def test_testthat_0x_under_r_cmd_check_job_names_the_test() -> None:
    d = diagnose(travis_job("./travis-tool.sh run_tests", _V0_CHECK))
    assert d.category == "test_failure"
    assert d.failing_tests == [
        "average the count for each unique timestamp if the timestamps are not unique"
    ]
    assert d.key_lines[0].text.strip().endswith("threw an error")
    assert d.failures[0].location == "test-ts.R:29"


# --- key lines: a line repeating one already shown takes no place ---------------------------

_RETRIED_DOWNLOAD = [
    "+ curl -fsSL https://example.org/tool.tar.gz -o tool.tar.gz",
    "curl: (22) The requested URL returned error: 503",
    "retrying in 5s",
    "curl: (22) The requested URL returned error: 503",
    "retrying in 10s",
    "  curl: (22)   The requested URL returned error: 503",
    "giving up after 3 attempts",
]


def test_repeated_rule_line_is_shown_once() -> None:
    d = diagnose(travis_job("./ci/fetch-tool.sh", _RETRIED_DOWNLOAD))
    assert d.category == "infra_network"
    texts = [" ".join(k.text.split()) for k in d.key_lines]
    assert texts.count("curl: (22) The requested URL returned error: 503") == 1
    assert len(texts) == len(set(texts))


_SAME_ERROR_TWICE = [
    "Starting test discovery in 1 files.",
    "ParameterBindingException: A parameter cannot be found that matches parameter name 'Id'.",
    "at <ScriptBlock>, /Users/runner/build/o/r/a.ts.ps1:22",
    "ERROR: - generating tests with id -> The property 'Blocks' cannot be found on this object.",
    "Starting test discovery in 1 files.",
    "ParameterBindingException: A parameter cannot be found that matches parameter name 'Id'.",
    "at <ScriptBlock>, /Users/runner/build/o/r/a.ts.ps1:39",
    "ERROR: - generating more tests with id -> The property 'Blocks' cannot be found on this"
    " object.",
    "[-] - runs the files -> Expected and actual values differ!",
    "",
    "passed 10, failed 3, total 13",
]


def test_generic_line_repeated_is_shown_once_and_distinct_lines_stay() -> None:
    d = diagnose(travis_job("pwsh -c ./run.ps1", _SAME_ERROR_TWICE))
    assert d.category == "test_failure"
    texts = [k.text.strip() for k in d.key_lines]
    binding = [t for t in texts if t.startswith("ParameterBindingException")]
    assert len(binding) == 1
    assert any(t.startswith("ERROR: - generating tests with id") for t in texts)
    assert any(t.startswith("ERROR: - generating more tests with id") for t in texts)
    assert any(t.startswith("[-] - runs the files") for t in texts)


def test_tests_failing_on_one_message_show_it_once() -> None:
    lines = [
        "=================================== FAILURES ===================================",
        "___________________________________ test_a ____________________________________",
        "    def test_a():",
        ">       connect()",
        "E       ConnectionResetError: [Errno 104] Connection reset by peer",
        "tests/test_x.py:3: ConnectionResetError",
        "___________________________________ test_b ____________________________________",
        "    def test_b():",
        ">       assert add(1, 1) == 3",
        "E       assert 2 == 3",
        "tests/test_x.py:7: AssertionError",
        "___________________________________ test_c ____________________________________",
        "    def test_c():",
        ">       connect()",
        "E       ConnectionResetError: [Errno 104] Connection reset by peer",
        "tests/test_x.py:11: ConnectionResetError",
        "=========================== short test summary info ============================",
        "FAILED tests/test_x.py::test_a - ConnectionResetError: [Errno 104] Connection re...",
        "FAILED tests/test_x.py::test_b - assert 2 == 3",
        "FAILED tests/test_x.py::test_c - ConnectionResetError: [Errno 104] Connection re...",
        "========================= 3 failed, 9 passed in 1.20s ==========================",
    ]
    d = diagnose(travis_job("pytest", lines))
    assert len(d.failing_tests) == 3
    failure_lines = [
        k.text.strip().removeprefix("E").strip() for k in d.key_lines if k.rule == "failure"
    ]
    assert failure_lines == [
        "ConnectionResetError: [Errno 104] Connection reset by peer",
        "assert 2 == 3",
    ]


# --- R: a package the code loads is not installed -------------------------------------------

_R_CHECK_TESTS_NO_TESTTHAT = [
    "* checking package dependencies ... NOTE",
    "Package suggested but not available for checking: ‘testthat’",
    "* checking tests ...",
    "  Running ‘testthat.R’",
    " ERROR",
    "Running the tests in ‘tests/testthat.R’ failed.",
    "Last 13 lines of output:",
    "  > library(testthat)",
    "  Error in library(\"testthat\") : there is no package called 'testthat'",
    "  Execution halted",
]


def test_r_missing_package_under_r_cmd_check_is_a_dependency() -> None:
    d = diagnose(travis_job("./travis-tool.sh run_tests", _R_CHECK_TESTS_NO_TESTTHAT))
    assert d.category == "dependency_install"
    assert d.rule == "r-package-missing"
    assert any("there is no package called 'testthat'" in k.text for k in d.key_lines)


def test_r_missing_package_shapes() -> None:
    shapes = [
        [
            "Error in loadNamespace(name) : there is no package called ‘pbapply’",
            "Calls: distLexBoot ... tryCatch -> tryCatchList -> tryCatchOne -> <Anonymous>",
            "Execution halted",
        ],
        [
            "* checking package dependencies ... ERROR",
            "Packages required but not available: ‘readxl’, ‘stringr’",
            "",
            "See section ‘The DESCRIPTION file’ in the ‘Writing R Extensions’",
            "manual.",
        ],
        [
            "* checking package dependencies ... ERROR",
            "Package required and available but unsuitable version: ‘Rcpp’",
        ],
        [
            "* installing *source* package ‘AnomalyDetection’ ...",
            "ERROR: dependency ‘ggplot2’ is not available for package ‘AnomalyDetection’",
            "* removing ‘/usr/local/lib/R/site-library/AnomalyDetection’",
        ],
        [
            "Error: processing vignette 'proteoQC.Rmd' failed with diagnostics:",
            "there is no package called ‘prettydoc’",
            "Execution halted",
        ],
    ]
    for lines in shapes:
        d = diagnose(travis_job("Rscript -e 'devtools::check()'", lines))
        assert (d.category, d.rule) == ("dependency_install", "r-package-missing"), lines


def test_r_missing_package_near_misses() -> None:
    """A suggested package missing is only a NOTE; prose quoting the message names no
    package; a failing test beside the NOTE stays a test failure."""
    lines = [
        "Package suggested but not available for checking: ‘covr’",
        'Look on the console for "there is no package called" messages and install them.',
        "── Failure ('test-math.R:13:3'): adds numbers ──────────────────────────────",
        "add(1, 1) (`actual`) not equal to 3 (`expected`).",
        "[ FAIL 1 | WARN 0 | SKIP 0 | PASS 41 ]",
        "Error: Test failures",
        "Execution halted",
    ]
    d = diagnose(travis_job("Rscript -e 'devtools::test()'", lines))
    assert d.rule != "r-package-missing"
    assert d.category == "test_failure"
    assert d.failing_tests == ["adds numbers"]


# --- the generic scorer: a status word alone says nothing -----------------------------------


def test_bare_status_word_is_not_an_error_line() -> None:
    for text in (" ERROR", "Error:", "[ERROR]", "FAILED", "*** FAILED ***", "Failure:", "FAIL"):
        assert error_score(text) == 0, text
    # near misses: the status with what failed still scores
    for text in ("ERROR: build failed", "FAILED tests/test_x.py::test_y", "Error: no such file"):
        assert error_score(text) >= GENERIC_MIN_SCORE, text


def test_r_check_status_word_is_not_a_key_line() -> None:
    d = diagnose(travis_job("./travis-tool.sh run_tests", _V0_CHECK))
    assert all(k.text.strip() != "ERROR" for k in d.key_lines)
