# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 32, helper Y1 (test frameworks): clojure.test (``lein test``,
``clojure -X:test``, kaocha, cljs.test), AndroidJUnitRunner (logcat, ``am instrument -r``
and its plain stream), the D compiler's test suite runner, gdb's error in a command
script, nbval's notebook cells under pytest, minitest's ``Expected:``/``Actual:`` pair and
a check's ``did not pass``.

Each snippet is written in the shape the tool prints; the near misses are lines of other
tools (or other lines of the same tool) that must not be read the same way.
"""

from __future__ import annotations

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.extract_android import AndroidJUnitRunner
from bot.diagnose.extract_clojure import ClojureTest
from bot.diagnose.extract_dlang import DmdTestSuite
from bot.diagnose.extract_python import Pytest
from bot.diagnose.extractors import extract_failures
from bot.diagnose.keylines import GENERIC_MIN_SCORE
from bot.diagnose.logline import clean_line
from bot.diagnose.scorer import error_score
from tests.diagnose.joblogs import actions_job, fed
from tests.diagnose.joblogs import diagnose_paste as _paste
from tests.diagnose.joblogs import rule_ids as _ids

# ---- clojure.test ----------------------------------------------------------------------

LEIN = [
    "lein test clojure-getting-started.web-test",
    "",
    "lein test :only clojure-getting-started.web-test/first-test",
    "",
    "FAIL in (first-test) (web_test.clj:6)",
    "Tests should be written",
    "expected: false",
    "  actual: false",
    "",
    "Ran 1 tests containing 1 assertions.",
    "1 failures, 0 errors.",
    "Tests failed.",
]


def test_lein_names_the_var_it_would_rerun() -> None:
    (failure,) = fed(ClojureTest(), LEIN).failures()
    assert failure.test == "clojure-getting-started.web-test/first-test"
    assert failure.message == "Tests should be written"
    assert failure.location == "web_test.clj:6"
    assert failure.line == 6


def test_lein_job_is_a_test_failure() -> None:
    got = diagnose(actions_job("lein test", LEIN))
    assert got.category == "test_failure"
    assert got.failing_tests == ["clojure-getting-started.web-test/first-test"]
    assert any("Tests should be written" in k.text for k in got.key_lines)


def test_clojure_cli_without_message_and_nested_vars() -> None:
    # Cognitect's test-runner / clojure.test's run-tests: ``Testing ns``, no Leiningen lines;
    # the testing vars outermost first, an assertion without a message
    lines = [
        'Running tests in #{"test"}',
        "",
        "Testing calc.core-test",
        "",
        "FAIL in (arithmetic subtraction) (core_test.clj:12)",
        "expected: (= 6 (- 7 4))",
        "  actual: (not (= 6 3))",
        "",
        "ERROR in (divides) (Numbers.java:188)",
        "expected: (= 1 (/ 1 0))",
        "  actual: java.lang.ArithmeticException: Divide by zero",
        " at clojure.lang.Numbers.divide (Numbers.java:188)",
        "",
        "Ran 3 tests containing 3 assertions.",
        "1 failures, 1 errors.",
    ]
    subtraction, divides = fed(ClojureTest(), lines).failures()
    assert subtraction.test == "calc.core-test/subtraction"
    assert subtraction.message == "expected: (= 6 (- 7 4)) actual: (not (= 6 3))"
    assert subtraction.location == "core_test.clj:12"
    assert divides.test == "calc.core-test/divides"
    assert divides.message == "java.lang.ArithmeticException: Divide by zero"
    assert divides.location is None  # the exception's frame, not the test's file


def test_kaocha_and_cljs_headers() -> None:
    lines = [
        "FAIL in calc.core-test/adds (core_test.clj:6)",
        "expected: 4",
        "  actual: 5",
        "Testing calc.ui-test",
        "FAIL in (renders) (ui_test.cljs:14:7)",
        "greeting",
        'expected: (= "hi" (greet))',
        '  actual: (not (= "hi" "hello"))',
    ]
    adds, renders = fed(ClojureTest(), lines).failures()
    assert adds.test == "calc.core-test/adds"
    assert adds.location == "core_test.clj:6"
    assert renders.test == "calc.ui-test/renders"
    assert renders.message == "greeting"
    assert renders.location == "ui_test.cljs:14"


@pytest.mark.parametrize(
    "line",
    [
        "--- FAIL: TestAdd (0.00s)",
        "FAIL in 3 tests",
        "ERROR in app.js:12: unexpected token",
        "FAIL in (first-test)",  # no file:line
        "Testing started at 10:12 ...",
    ],
)
def test_clojure_near_misses(line: str) -> None:
    assert fed(ClojureTest(), [line, "Tests should be written", "expected: 1"]).tests() == []


# ---- AndroidJUnitRunner ----------------------------------------------------------------

LOGCAT = [
    "04-22 20:42:12.156  2453  2474 I TestRunner: started: adds(com.example.CalcTest)",
    "04-22 20:42:12.157  2453  2477 D FirebaseDataConnect: Log level changed to DEBUG",
    "04-22 20:42:12.158  2453  2474 E TestRunner: failed: adds(com.example.CalcTest)",
    "04-22 20:42:12.158  2453  2474 E TestRunner: ----- begin exception -----",
    "04-22 20:42:12.159  2453  2474 E TestRunner: java.lang.AssertionError: expected:<4> but was:<5>",
    "04-22 20:42:12.159  2453  2474 E TestRunner: \tat org.junit.Assert.fail(Assert.java:89)",
    "04-22 20:42:12.159  2453  2474 E TestRunner: \tat com.example.CalcTest.adds(CalcTest.java:17)",
    "04-22 20:42:12.159  2453  2474 E TestRunner: ----- end exception -----",
    "04-22 20:42:12.160  2453  2474 I TestRunner: finished: adds(com.example.CalcTest)",
    "04-22 20:42:12.161  2453  2474 I TestRunner: started: skips(com.example.CalcTest)",
    "04-22 20:42:12.162  2453  2474 I TestRunner: assumption failed: skips(com.example.CalcTest)",
    "04-22 20:42:12.162  2453  2474 I TestRunner: ----- begin exception -----",
    "04-22 20:42:12.162  2453  2474 I TestRunner: org.junit.AssumptionViolatedException: got: <false>",
    "04-22 20:42:12.162  2453  2474 I TestRunner: ----- end exception -----",
]


def test_logcat_failure_with_its_exception() -> None:
    (failure,) = fed(AndroidJUnitRunner(), LOGCAT).failures()
    assert failure.test == "adds(com.example.CalcTest)"
    assert failure.message == "java.lang.AssertionError: expected:<4> but was:<5>"
    assert failure.location == "CalcTest.java:17"
    assert failure.line == 5


def test_logcat_failure_without_its_trace_and_brief_format() -> None:
    lines = [
        "E/TestRunner( 2453): failed: loads[1](com.example.LoaderTest)",
        "I/TestRunner( 2453): finished: loads[1](com.example.LoaderTest)",
    ]
    (failure,) = fed(AndroidJUnitRunner(), lines).failures()
    assert failure.test == "loads[1](com.example.LoaderTest)"
    # the record that says it failed, without logcat's own prefix
    assert failure.message == "E/TestRunner( 2453): failed: loads[1](com.example.LoaderTest)"


def test_logcat_job_is_a_test_failure() -> None:
    got = _paste(["+ adb logcat -d -s TestRunner", *LOGCAT])
    assert got.category == "test_failure"
    assert got.failing_tests == ["adds(com.example.CalcTest)"]
    assert any("expected:<4> but was:<5>" in k.text for k in got.key_lines)


def test_am_instrument_raw_status_bundles() -> None:
    lines = [
        "INSTRUMENTATION_STATUS: class=com.example.CalcTest",
        "INSTRUMENTATION_STATUS: current=1",
        "INSTRUMENTATION_STATUS: id=AndroidJUnitRunner",
        "INSTRUMENTATION_STATUS: numtests=2",
        "INSTRUMENTATION_STATUS: stream=",
        "com.example.CalcTest:",
        "INSTRUMENTATION_STATUS: test=adds",
        "INSTRUMENTATION_STATUS_CODE: 1",
        "INSTRUMENTATION_STATUS: class=com.example.CalcTest",
        "INSTRUMENTATION_STATUS: current=1",
        "INSTRUMENTATION_STATUS: id=AndroidJUnitRunner",
        "INSTRUMENTATION_STATUS: numtests=2",
        "INSTRUMENTATION_STATUS: stack=java.lang.AssertionError: expected:<4> but was:<5>",
        "\tat org.junit.Assert.fail(Assert.java:89)",
        "\tat com.example.CalcTest.adds(CalcTest.java:17)",
        "",
        "INSTRUMENTATION_STATUS: stream=",
        "Error in adds(com.example.CalcTest):",
        "java.lang.AssertionError: expected:<4> but was:<5>",
        "\tat org.junit.Assert.fail(Assert.java:89)",
        "",
        "INSTRUMENTATION_STATUS: test=adds",
        "INSTRUMENTATION_STATUS_CODE: -2",
        "INSTRUMENTATION_STATUS: class=com.example.CalcTest",
        "INSTRUMENTATION_STATUS: current=2",
        "INSTRUMENTATION_STATUS: test=subtracts",
        "INSTRUMENTATION_STATUS_CODE: 0",
    ]
    (failure,) = fed(AndroidJUnitRunner(), lines).failures()
    assert failure.test == "adds(com.example.CalcTest)"
    assert failure.message == "java.lang.AssertionError: expected:<4> but was:<5>"


def test_am_instrument_plain_stream_and_summary() -> None:
    lines = [
        "com.example.CalcTest:",
        "Error in adds(com.example.CalcTest):",
        "java.lang.AssertionError: expected:<4> but was:<5>",
        "\tat org.junit.Assert.fail(Assert.java:89)",
        "\tat com.example.CalcTest.adds(CalcTest.java:17)",
        ".",
        "Time: 0.12",
        "There was 1 failure:",
        "1) adds(com.example.CalcTest)",
        "java.lang.AssertionError: expected:<4> but was:<5>",
        "",
        "FAILURES!!!",
        "Tests run: 2,  Failures: 1",
    ]
    (failure,) = fed(AndroidJUnitRunner(), lines).failures()
    assert failure.test == "adds(com.example.CalcTest)"
    assert failure.message == "java.lang.AssertionError: expected:<4> but was:<5>"
    assert failure.location == "CalcTest.java:17"
    assert failure.line == 3


@pytest.mark.parametrize(
    "lines",
    [
        ["04-22 20:42:12.156  2453  2474 I TestRunner: started: adds(com.example.CalcTest)"],
        [
            "04-22 20:42:12.162  2453  2474 I TestRunner: assumption failed: skips(com.example.CalcTest)"
        ],
        ["04-22 20:42:12.156  2453  2474 E MyTestRunner: failed: to connect"],
        ["Error in library(\"x\") : there is no package called 'x'"],
        ["Error in f(x): object 'y' not found"],
        ["INSTRUMENTATION_STATUS: test=adds", "INSTRUMENTATION_STATUS_CODE: -3"],
    ],
)
def test_android_near_misses(lines: list[str]) -> None:
    assert fed(AndroidJUnitRunner(), lines).tests() == []


# ---- the D compiler's test suite ---------------------------------------------------------

DMD = [
    " ... runnable/foreach4.d            -fPIC (-inline -release -g -O)",
    " ... runnable/gdb1.d                -g -fPIC ()",
    "Test runnable/gdb1.d failed.  The logged output:",
    "/build/dmd/generated/linux/release/64/dmd -conf= -m64 -Irunnable -g -fPIC  -odtest_results/runnable -oftest_results/runnable/gdb1_0  runnable/gdb1.d",
    "gdb test_results/runnable/gdb1_0 --batch -x test_results/runnable/gdb1_0.gdb",
    "Breakpoint 1 at 0x401147: file ../../druntime/import/core/internal/entrypoint.d, line 29.",
    "RESULT=test_results/runnable/gdb1_0.gdb:5: Error in sourced command file:",
    'No symbol "args" in current context.',
    "",
    "",
    "==============================",
    "Test runnable/gdb1.d failed: expected rc == 0, exited with rc == 1",
    "",
    "make[1]: *** [Makefile:156: test_results/runnable/gdb1.d.out] Error 1",
]


def test_dmd_test_suite_names_the_test_and_why() -> None:
    (failure,) = fed(DmdTestSuite(), DMD).failures()
    assert failure.test == "runnable/gdb1.d"
    assert failure.message == "Test runnable/gdb1.d failed: expected rc == 0, exited with rc == 1"
    assert failure.line == 12


def test_dmd_test_suite_before_2_081_names_the_test_by_its_progress_line() -> None:
    lines = [
        " ... runnable/variadic.d            ()",
        "Test failed.  The logged output:",
        "ldmd2 -conf= -m64 -Irunnable runnable/variadic.d",
        "Error: integer constant expression expected instead of <cant>",
        "==============================",
        "Test failed: compilation failed",
    ]
    (failure,) = fed(DmdTestSuite(), lines).failures()
    assert failure.test == "runnable/variadic.d"
    assert failure.message == "Test failed: compilation failed"


def test_dmd_test_suite_job_keeps_gdb_lines() -> None:
    got = _paste(DMD)
    assert got.category == "test_failure"
    assert got.failing_tests == ["runnable/gdb1.d"]
    texts = [k.text for k in got.key_lines]
    assert any("Error in sourced command file:" in t for t in texts)
    assert 'No symbol "args" in current context.' in texts


@pytest.mark.parametrize(
    "lines",
    [
        ["Test failed: expected rc == 0"],  # no header: not the runner's report
        [" ... runnable/gdb1.d                -g -fPIC ()"],
        ["Test suite failed.  The logged output:"],
    ],
)
def test_dmd_near_misses(lines: list[str]) -> None:
    assert fed(DmdTestSuite(), lines).tests() == []


# ---- gdb's command-script error ----------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "RESULT=test_results/runnable/gdb1_0.gdb:5: Error in sourced command file:",
        "/home/runner/work/p/p/ci/bt.gdb:2: Error in sourced command file:",
    ],
)
def test_gdb_script_error_matches(line: str) -> None:
    assert "gdb-script-error" in _ids(clean_line(line))


@pytest.mark.parametrize(
    "line",
    [
        "Error in re-setting breakpoint 1: No source file named foo.c.",
        "Error in sourced command file:",  # no file:line: not gdb's report
    ],
)
def test_gdb_script_error_near_misses(line: str) -> None:
    assert "gdb-script-error" not in _ids(clean_line(line))


# ---- nbval (pytest --nbval) --------------------------------------------------------------

NBVAL = [
    "=================================== FAILURES ===================================",
    "_____________________ tests/sample_notebook.ipynb::Cell 9 ______________________",
    "Notebook cell execution failed",
    "Cell 9: Cell outputs differ",
    "",
    "Input:",
    "%matplotlib inline",
    "import matplotlib.pyplot as plt",
    "plt.plot([1, 2, 3, 4, 5], [1, 3, 2, 2.5, 1.5], 'o-', label='graph')",
    "",
    "Traceback:",
    " mismatch 'text/plain'",
    "",
    " assert reference_output == test_output failed:",
    "",
    "  '<Figure size... with 1 Axes>' == '<Figure size... with 1 Axes>'",
    "  - <Figure size 640x480 with 1 Axes>",
    "  ?              - ^ ^ ^",
    "  + <Figure size 432x288 with 1 Axes>",
    "  ?               ^^ ^ ^",
    "",
    "=========================== short test summary info ============================",
    "FAILED tests/sample_notebook.ipynb::Cell 9",
    "========================= 1 failed, 8 passed in 3.05s ==========================",
]


def test_nbval_cell_is_a_test_with_its_report_as_message() -> None:
    (failure,) = fed(Pytest(), NBVAL).failures()
    assert failure.test == "tests/sample_notebook.ipynb::Cell 9"
    assert failure.message == "Notebook cell execution failed Cell 9: Cell outputs differ"


def test_nbval_job_shows_the_mismatch_and_the_diff() -> None:
    got = diagnose(actions_job("python -m pytest --nbval tests", NBVAL))
    assert got.category == "test_failure"
    assert got.failing_tests == ["tests/sample_notebook.ipynb::Cell 9"]
    texts = [k.text.strip() for k in got.key_lines]
    assert "mismatch 'text/plain'" in texts
    assert "- <Figure size 640x480 with 1 Axes>" in texts
    assert "+ <Figure size 432x288 with 1 Axes>" in texts


def test_nbval_section_without_summary() -> None:
    # a paste cut before the short summary: the section's header names the cell
    assert [f.test for f in extract_failures(NBVAL[:20])] == ["tests/sample_notebook.ipynb::Cell 9"]


def test_pytest_sections_that_are_no_plugin_item() -> None:
    lines = [
        "___________________________ summary of something ____________________________",
        "text",
        "______________________________ TestCalc.test_add ______________________________",
        "    def test_add():",
        ">       assert add(2, 2) == 5",
        "E       assert 4 == 5",
        "tests/test_calc.py:11: AssertionError",
    ]
    failures = fed(Pytest(), lines).failures()
    assert [f.test for f in failures] == ["tests/test_calc.py::TestCalc::test_add"]
    assert failures[0].message == "assert 4 == 5"


def test_nbval_rule_counts_diff_lines_only_after_a_mismatch() -> None:
    got = _paste(
        [
            "dependencies:",
            "  - numpy",
            "  + scipy",
            "Error: something unrelated failed",
        ]
    )
    assert got.rule != "nbval-output-mismatch"
    assert "nbval-output-mismatch" in _ids(" mismatch 'image/png'")
    assert "nbval-output-mismatch" not in _ids("mismatch between 'a' and 'b'")


# ---- minitest's Expected:/Actual: pair ---------------------------------------------------


def test_minitest_expected_actual_key_line_names_the_test() -> None:
    got = _paste(
        [
            "Failure:",
            "SearchTest#test_admin_views_items [test/system/search_test.rb:409]:",
            'Expected: "/"',
            '  Actual: "/search?search=Fancy"',
            "",
            "bin/rails test test/system/search_test.rb:401",
        ]
    )
    assert got.failing_tests == ["SearchTest#test_admin_views_items"]
    assert got.failures[0].message == 'Expected: "/" Actual: "/search?search=Fancy"'
    assert got.key_lines[0].text == (
        'SearchTest#test_admin_views_items [test/system/search_test.rb:409]: Expected: "/" Actual: "/search?search=Fancy"'
    )


# ---- a check's verdict in words ----------------------------------------------------------


def test_did_not_pass_is_an_error_line() -> None:
    assert error_score('[ERROR] -e:79 Did not pass with ldc="<=1.23.0"') >= GENERIC_MIN_SCORE
    assert (
        error_score("Some tests did not pass: 3 passed, 1 failed, 0 errored") >= GENERIC_MIN_SCORE
    )
    assert error_score("[INFO] 12 checks passed") == 0
    assert error_score("All tests pass with ldc") == 0
