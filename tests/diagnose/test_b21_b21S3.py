# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Test-name audit of batch 21, helper b21S3: the failing-test line shapes of Python,
JS/TS, Go and Rust runners as a paste keeps them — the whole block (a), the block cut to
its failure lines without header or summary (b), only the run's closing list (c) — and
the near misses that must not name a test.

Shapes are the runners' documented output: unittest
https://docs.python.org/3/library/unittest.html (``-v``), nose
https://nose.readthedocs.io/en/latest/usage.html, libtest
https://doc.rust-lang.org/book/ch11-01-writing-tests.html, nextest
https://nexte.st/docs/running/, gotestsum ``testjson/format.go`` (``testname``), Ginkgo
https://onsi.github.io/ginkgo/#spec-reports, Playwright
https://playwright.dev/docs/test-reporters, jasmine-spec-reporter
https://github.com/bcaudan/jasmine-spec-reporter, Jasmine's ConsoleReporter, ava's
default reporter, vitest's default reporter.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.extract_ginkgo_lit import GinkgoSummary
from bot.diagnose.extract_go_rust import CargoTest, GoTest
from bot.diagnose.extract_python import Unittest
from bot.diagnose.extractors import extract_tests
from tests.diagnose.joblogs import fed


def _paste(lines: list[str]) -> list[str]:
    return diagnose(("\n".join(lines) + "\n").encode()).failing_tests


# ---- unittest / nose / Django: the -v result column ----------------------------------

_UT_VERBOSE = [
    "test_isupper (test_strings.TestStringMethods.test_isupper) ... ok",
    "test_split (test_strings.TestStringMethods.test_split) ... skipped 'not today'",
    "test_upper (test_strings.TestStringMethods.test_upper) ... FAIL",
    "",
    "----------------------------------------------------------------------",
    "Ran 3 tests in 0.001s",
    "",
    "FAILED (failures=1)",
]


def test_unittest_verbose_column_names_the_test() -> None:
    assert _paste(_UT_VERBOSE) == ["test_strings.TestStringMethods.test_upper"]


def test_unittest_verbose_before_3_11_and_error() -> None:
    lines = [
        "test_upper (test_strings.TestStringMethods) ... FAIL",
        "test_load (test_strings.TestStringMethods) ... ERROR",
        "test_ok (test_strings.TestStringMethods) ... ok",
    ]
    assert fed(Unittest(), lines).tests() == [
        "test_strings.TestStringMethods.test_upper",
        "test_strings.TestStringMethods.test_load",
    ]


def test_unittest_verbose_passes_and_expected_failures_are_no_tests() -> None:
    lines = [
        "test_a (pkg.T.test_a) ... ok",
        "test_b (pkg.T.test_b) ... expected failure",
        "test_c (pkg.T.test_c) ... skipped 'x'",
        "checking for gcc ... FAIL",  # no parenthesised id: not unittest
    ]
    assert fed(Unittest(), lines).tests() == []


_NOSE_BLOCK = [
    "..F",
    "======================================================================",
    "FAIL: tests.test_calc.test_divide",
    "----------------------------------------------------------------------",
    "Traceback (most recent call last):",
    '  File "/usr/lib/python2.7/site-packages/nose/case.py", line 197, in runTest',
    "    self.test(*self.arg)",
    '  File "/home/travis/build/x/x/tests/test_calc.py", line 12, in test_divide',
    "    assert divide(4, 2) == 3",
    "AssertionError: 2.0 != 3",
    "",
    "----------------------------------------------------------------------",
    "Ran 3 tests in 0.003s",
]


def test_nose_function_test_block() -> None:
    failures = fed(Unittest(), _NOSE_BLOCK).failures()
    assert [f.test for f in failures] == ["tests.test_calc.test_divide"]
    assert failures[0].message == "AssertionError: 2.0 != 3"
    assert failures[0].location == "tests/test_calc.py:12"
    assert _paste(_NOSE_BLOCK[2:]) == ["tests.test_calc.test_divide"]  # (b) no header


def test_nose_verbose_and_generator_ids() -> None:
    lines = [
        "tests.test_calc.test_add ... ok",
        "tests.test_calc.test_divide ... FAIL",
        "tests.test_calc.test_gen(1, 2) ... ERROR",
        "test_b (tests.test_calc.TestCalc) ... ERROR",
    ]
    assert fed(Unittest(), lines).tests() == [
        "tests.test_calc.test_divide",
        "tests.test_calc.test_gen",
        "tests.test_calc.TestCalc.test_b",
    ]


def test_nose_import_failure_and_plain_fail_lines_are_no_tests() -> None:
    lines = [
        "ERROR: Failure: ImportError (No module named requests)",
        "FAIL: TestFoo",  # no dotted path
        "FAIL: build.step",  # no test in its last part
        "ERROR: pkg.module.helper",
    ]
    assert fed(Unittest(), lines).tests() == []


def test_unittest_loader_failure_names_the_module() -> None:
    lines = [
        "ERROR: test_strings (unittest.loader._FailedTest.test_strings)",
        "----------------------------------------------------------------------",
        "ImportError: Failed to import test module: test_strings",
    ]
    assert fed(Unittest(), lines).tests() == ["test_strings"]


# ---- cargo test: the closing ``failures:`` list -------------------------------------

_CARGO_LIST = [
    "failures:",
    "    tests::it_fails",
    "    parser::tests::rejects_empty",
    "    src/lib.rs - add (line 5)",
    "",
    "test result: FAILED. 1 passed; 3 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s",
    "",
    "error: test failed, to rerun pass `--lib`",
]


def test_cargo_failures_list_alone() -> None:
    assert _paste(_CARGO_LIST) == [
        "tests::it_fails",
        "parser::tests::rejects_empty",
        "src/lib.rs - add (line 5)",
    ]


def test_cargo_list_after_captured_output_keeps_the_panic_message() -> None:
    lines = [
        "failures:",
        "",
        "---- tests::it_fails stdout ----",
        "thread 'tests::it_fails' panicked at src/lib.rs:10:9:",
        "assertion `left == right` failed",
        "",
        "",
        "failures:",
        "    tests::it_fails",
        "",
        "test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out",
    ]
    failures = fed(CargoTest(), lines).failures()
    assert [f.test for f in failures] == ["tests::it_fails"]
    assert failures[0].location == "src/lib.rs:10"


def test_cargo_indented_lines_elsewhere_are_no_tests() -> None:
    lines = [
        "Failures:",  # RSpec's heading, capitalised
        "    tests::it_fails",
        "failures:",
        "",
        "---- x stdout ----",
        "    not_a_list_entry",
    ]
    assert fed(CargoTest(), lines).tests() == ["x"]  # the captured output's header


# ---- nextest: timeouts and crashes, the counter column --------------------------------


def test_nextest_timeout_signal_and_counter() -> None:
    lines = [
        "        FAIL [   0.005s] (1/3) mycrate::integration tests::it_fails",
        "     TIMEOUT [  60.001s] (2/3) mycrate tests::hangs",
        "     SIGSEGV [   0.101s] (3/3) mycrate tests::crashes",
        "        PASS [   0.004s] mycrate tests::it_works",
        "  TRY 1 FAIL [   0.005s] mycrate tests::flaky",
    ]
    assert fed(CargoTest(), lines).tests() == [
        "tests::it_fails",
        "tests::hangs",
        "tests::crashes",
    ]


# ---- gotestsum --format testname ------------------------------------------------------


def test_gotestsum_testname_format() -> None:
    lines = [
        "PASS calc.TestSub (0.00s)",
        "FAIL calc.TestAdd (0.00s)",
        "FAIL internal/db.TestOpen/with_v1.2 (re-run 1) (0.01s)",
        "FAIL calc (0.12s)",  # the package's own result
        "PASS calc",
        "DONE 3 tests, 2 failures in 0.5s",
    ]
    assert fed(GoTest(), lines).tests() == ["TestAdd", "TestOpen/with_v1.2"]
    assert _paste(lines) == ["TestAdd", "TestOpen/with_v1.2"]


def test_go_package_result_line_is_no_test() -> None:
    assert fed(GoTest(), ["FAIL\texample.com/calc\t0.002s", "FAIL"]).tests() == []


# ---- Ginkgo: a spec's report head without the summary ---------------------------------

_GINKGO2_HEAD = [
    "• [FAILED] [0.001 seconds]",
    "Books Categorizing books with more than 300 pages [It] should be a novel",
    "/home/runner/work/x/x/books_test.go:22",
    "",
    "  [FAILED] Expected",
    "      <string>: NOVEL",
    "  In [It] at: /home/runner/work/x/x/books_test.go:24",
]

_GINKGO1_HEAD = [
    "• Failure [0.001 seconds]",
    "Books",
    "/home/runner/work/x/x/books_test.go:10",
    "  Categorizing books",
    "  /home/runner/work/x/x/books_test.go:15",
    "    should be a novel [It]",
    "    /home/runner/work/x/x/books_test.go:20",
    "",
    "    Expected",
    "        <string>: NOVEL",
]


def test_ginkgo_v2_report_head() -> None:
    name = "Books Categorizing books with more than 300 pages [It] should be a novel"
    assert fed(GinkgoSummary(), _GINKGO2_HEAD).tests() == [name]
    assert _paste(_GINKGO2_HEAD) == [name]


def test_ginkgo_v1_report_head_reads_as_its_summary_entry() -> None:
    assert fed(GinkgoSummary(), _GINKGO1_HEAD).tests() == [
        "Books Categorizing books [It] should be a novel"
    ]


def test_ginkgo_passing_and_progress_lines_are_no_specs() -> None:
    lines = [
        "•••",
        "• [0.001 seconds]",
        "Books [It] is fine",
        "Ran 3 of 3 Specs in 0.002 seconds",
    ]
    assert fed(GinkgoSummary(), lines).tests() == []


# ---- Playwright: a block without its margin, the list reporter's ✘ line ---------------


def test_playwright_block_without_margin() -> None:
    lines = [
        "1) [chromium] › tests/example.spec.ts:3:5 › has title ──────────────",
        "",
        "  Error: Timed out 5000ms waiting for expect(locator).toHaveTitle(expected)",
        "",
        "     at tests/example.spec.ts:7:22",
    ]
    assert extract_tests(lines) == ["[chromium] › tests/example.spec.ts:3:5 › has title"]


def test_playwright_list_reporter_cross() -> None:
    lines = [
        "  ✘  1 [chromium] › tests/example.spec.ts:3:5 › has title (5.1s)",
        "  ✓  2 [chromium] › tests/example.spec.ts:9:5 › get started link (1.2s)",
        "  ✘  3 [firefox] › tests/example.spec.ts:3:5 › has title (retry #1) (5.0s)",
    ]
    assert _paste(lines) == [
        "[chromium] › tests/example.spec.ts:3:5 › has title",
        "[firefox] › tests/example.spec.ts:3:5 › has title",
    ]


def test_other_crosses_are_no_playwright_tests() -> None:
    assert (
        extract_tests(["  ✘ build failed (3.2s)", "✘ lint: src/a.ts:3:5 missing semicolon"]) == []
    )


# ---- Jasmine without its Failures: heading; jasmine-spec-reporter ---------------------


def test_jasmine_block_cut_below_its_heading() -> None:
    lines = [
        "1) Player should be able to play a Song",
        "  Message:",
        "    Expected 1 to equal 2.",
        "  Stack:",
        "    Error: Expected 1 to equal 2.",
        "        at UserContext.<anonymous> (spec/PlayerSpec.js:12:31)",
    ]
    assert _paste(lines) == ["Player should be able to play a Song"]


def test_numbered_lines_without_message_are_no_jasmine_specs() -> None:
    lines = ["1) Array", "     #indexOf()", "2) install step", "  Message: none"]
    assert extract_tests(lines) == []


def test_jasmine_spec_reporter_failures_box() -> None:
    lines = [
        "**************************************************",
        "*                    Failures                    *",
        "**************************************************",
        "",
        "1) Angular homepage should greet the named user",
        "  - Expected 'Hello Julie!' to equal 'Hello Julia!'.",
        "",
        "Executed 1 of 1 spec (1 FAILED) in 2 secs.",
    ]
    assert _paste(lines) == ["Angular homepage should greet the named user"]


# ---- vitest: a file's crossed tests under its ❯ head; ava without its margin ----------


def test_vitest_cross_takes_its_file() -> None:
    lines = [
        " ❯ src/basic.test.ts (2 tests | 1 failed) 5ms",
        "   × suite > adds 2ms",
        "     → expected 3 to be 4 // Object.is equality",
    ]
    assert extract_tests(lines) == ["src/basic.test.ts > suite > adds"]


def test_ava_details_without_margin() -> None:
    lines = [
        "✘ [fail]: adds Difference (- actual, + expected):",
        "─",
        "",
        "adds",
        "",
        "test.js:5",
        "",
        " 4: test('adds', t => {",
        " 5:   t.is(1 + 1, 3);",
        "",
        "─",
    ]
    assert extract_tests(lines) == ["adds"]
