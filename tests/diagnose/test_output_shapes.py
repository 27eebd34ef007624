# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Output shapes the first corpus round lacked (j11a): reporters, versions and load failures.

Each snippet is the shape a real tool printed when the corpus' second round and the
development probes ran it (pytest 7 ``--tb=line`` and doctests, jest 29's one-space
``FAIL``, mocha's TAP reporter, RSpec's documentation format, Minitest errors raised in
library code, pytest-xdist workers that segfault, yarn behind a rate limit, RuboCop's
``simple`` formatter, apt behind a broken resolver). Each asserts what a maintainer would
read: the category, the failing tests and their own messages and locations.
"""

from __future__ import annotations

import io

import pytest

from bot.diagnose.engine import diagnose
from tests.diagnose.joblogs import actions_job


def _job(command: str, lines: list[str], code: int = 1) -> io.BytesIO:
    return actions_job(command, lines, code, shell=False)


def test_pytest_tb_line_gives_each_failure_its_line_and_location() -> None:
    got = diagnose(
        _job(
            "python -m pytest --tb=line -q tests",
            [
                "FF                                                  [100%]",
                "=================================== FAILURES ===================================",
                "/home/runner/work/p/p/tests/test_line.py:5: assert 0 == 1",
                "/home/runner/work/p/p/tests/test_line.py:11: AssertionError: assert [1] == [1, 2]",
                "=========================== short test summary info ============================",
                "FAILED tests/test_line.py::test_empty - assert 0 == 1",
                "FAILED tests/test_line.py::test_items - AssertionError: assert [1] == [1, 2]",
                "2 failed in 0.01s",
            ],
        )
    )
    assert [(f.test, f.message, f.location) for f in got.failures] == [
        ("tests/test_line.py::test_empty", "assert 0 == 1", "tests/test_line.py:5"),
        (
            "tests/test_line.py::test_items",
            "AssertionError: assert [1] == [1, 2]",
            "tests/test_line.py:11",
        ),
    ]


def test_a_test_module_with_a_syntax_error_is_a_build_failure() -> None:
    got = diagnose(
        _job(
            "python -m pytest -q tests",
            [
                "==================================== ERRORS ====================================",
                "_______________________ ERROR collecting tests/test_b.py _______________________",
                "/usr/lib/python3.11/ast.py:50: in parse",
                "    return compile(source, filename, mode, flags,",
                'E     File "/home/runner/work/p/p/tests/test_b.py", line 1',
                "E       def test_x(:",
                "E                  ^",
                "E   SyntaxError: invalid syntax",
                "=========================== short test summary info ============================",
                "ERROR tests/test_b.py",
                "!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!",
                "1 error in 0.01s",
            ],
            2,
        )
    )
    assert got.category == "build"
    assert got.failing_tests == []
    assert any("SyntaxError: invalid syntax" in k.text for k in got.key_lines)


def test_a_doctest_failure_reads_expected_and_got() -> None:
    got = diagnose(
        _job(
            "python -m pytest -q --doctest-modules src",
            [
                "F                                                   [100%]",
                "=================================== FAILURES ===================================",
                "_____________________________ [doctest] lib2.twice _____________________________",
                "002 ",
                "003     >>> twice(2)",
                "Expected:",
                "    5",
                "Got:",
                "    4",
                "",
                "/home/runner/work/p/p/src/lib2.py:3: DocTestFailure",
                "=========================== short test summary info ============================",
                "FAILED src/lib2.py::lib2.twice",
                "1 failed in 0.01s",
            ],
        )
    )
    [failure] = got.failures
    assert (failure.test, failure.message, failure.location) == (
        "src/lib2.py::lib2.twice",
        "Expected: 5 Got: 4",
        "src/lib2.py:3",
    )


def test_tap_without_a_dash_is_read() -> None:
    got = diagnose(
        _job(
            "npx mocha --reporter tap test",
            [
                "ok 1 math adds",
                "not ok 2 math divides",
                "  Expected values to be strictly equal:",
                "  ",
                "  3.5 !== 3",
                "  AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:",
                "      at Context.<anonymous> (test/t.test.js:5:52)",
                "# tests 2",
                "# fail 1",
            ],
        )
    )
    assert got.category == "test_failure"
    assert [(f.test, f.message) for f in got.failures] == [
        ("math divides", "Expected values to be strictly equal:")
    ]


def test_rspec_examples_are_named_by_description_located_in_the_spec() -> None:
    got = diagnose(
        _job(
            "rspec --format documentation",
            [
                "Failures:",
                "",
                "  1) Invoice#number comes from the first line",
                "     Failure/Error: def number = @lines.first.fetch(:number)",
                "",
                "     KeyError:",
                "       key not found: :number",
                "     # ./lib/invoice.rb:5:in `fetch'",
                "     # ./spec/invoice_spec.rb:16:in `block (3 levels) in <top (required)>'",
                "",
                "Failed examples:",
                "",
                "rspec ./spec/invoice_spec.rb:15 # Invoice#number comes from the first line",
            ],
        )
    )
    [failure] = got.failures
    assert failure.test == "Invoice#number comes from the first line"
    assert failure.location == "spec/invoice_spec.rb:16"
    assert "KeyError:" in (failure.message or "")
    assert "-e 'Invoice#number comes from the first line'" in (got.hint or "")


def test_minitest_error_in_library_code_is_located_in_the_test() -> None:
    got = diagnose(
        _job(
            "ruby -Ilib -Itest test/stock_test.rb",
            [
                "  1) Error:",
                "StockTest#test_unknown_sku:",
                'KeyError: key not found: "zz"',
                "    /home/runner/work/p/p/lib/stock.rb:3:in `fetch'",
                "    test/stock_test.rb:10:in `test_unknown_sku'",
                "",
                "1 runs, 0 assertions, 0 failures, 1 errors, 0 skips",
            ],
        )
    )
    [failure] = got.failures
    assert (failure.test, failure.location) == (
        "StockTest#test_unknown_sku",
        "test/stock_test.rb:10",
    )


@pytest.mark.parametrize(
    ("lines", "category"),
    [
        pytest.param(
            [
                "FAIL ./a.test.js",
                "  ● Test suite failed to run",
                "",
                "    Cannot find module './missing' from 'a.test.js'",
                "      at Resolver._throwModNotFoundError (node_modules/jest-resolve/build/resolver.js:427:11)",
                "Test Suites: 1 failed, 1 total",
                "Tests:       0 total",
            ],
            "build",
            id="jest-suite-cannot-load",
        ),
        pytest.param(
            [
                " FAIL  a.test.js [ a.test.js ]",
                "Error: Failed to load url ./nope.js (resolved id: ./nope.js) in /w/a.test.js. Does the file exist?",
                " Test Files  1 failed (1)",
                "      Tests  no tests",
            ],
            "build",
            id="vitest-suite-cannot-load",
        ),
        pytest.param(
            [
                " Exception during run: Error: Cannot find module '../src/nope'",
                "Require stack:",
                "- /home/runner/work/p/p/test/a.test.js",
            ],
            "build",
            id="mocha-suite-cannot-load",
        ),
    ],
)
def test_a_suite_that_cannot_load_is_a_build_failure(lines: list[str], category: str) -> None:
    got = diagnose(_job("npx jest --ci", lines))
    assert got.category == category
    assert got.failing_tests == []


def test_a_crashed_xdist_worker_is_the_crash_its_signal_names() -> None:
    crash = [
        "created: 2/2 workers",
        "Fatal Python error: Segmentation fault",
        "Current thread 0x00007f0000000000 (most recent call first):",
        '  File "/home/runner/work/p/p/tests/test_native.py", line 5 in test_decode',
        "[gw0] node down: Not properly terminated",
        "replacing crashed worker gw0",
        "worker 'gw0' crashed while running 'tests/test_native.py::test_decode'",
        "FAILED tests/test_native.py::test_decode",
        "1 failed, 1 passed in 0.01s",
    ]
    assert diagnose(_job("python -m pytest -n 2 tests", crash)).category == "segfault"
    killed = [line for line in crash if "Fatal" not in line and "thread" not in line]
    assert diagnose(_job("python -m pytest -n 2 tests", killed)).category == "oom_killed"


@pytest.mark.parametrize(
    ("command", "lines", "category", "key"),
    [
        (
            "yarn add left-pad",
            [
                "[1/4] Resolving packages...",
                'error Error: http://127.0.0.1:8429/left-pad: Request "http://127.0.0.1:8429/left-pad" returned a 429',
            ],
            "infra_network",
            "returned a 429",
        ),
        (
            "rubocop --format simple lib",
            [
                "== lib/report.rb ==",
                "W:  6:  5: Lint/UselessAssignment: Useless assignment to variable - unused.",
                "1 file inspected, 1 offense detected",
            ],
            "lint",
            "Lint/UselessAssignment",
        ),
        (
            "apt-get update",
            [
                "Err:1 http://deb.example-mirror.zz/debian bookworm InRelease",
                "  Could not resolve 'deb.example-mirror.zz'",
                "E: Failed to fetch http://deb.example-mirror.zz/debian/dists/bookworm/InRelease  Could not resolve 'deb.example-mirror.zz'",
            ],
            "infra_network",
            "Could not resolve 'deb.example-mirror.zz'",
        ),
    ],
)
def test_tool_shapes(command: str, lines: list[str], category: str, key: str) -> None:
    got = diagnose(_job(command, lines, 100))
    assert got.category == category
    assert any(key in k.text for k in got.key_lines)


def test_a_collection_error_of_any_kind_is_a_build_failure() -> None:
    got = diagnose(
        _job(
            "python -m pytest -q tests",
            [
                "==================================== ERRORS ====================================",
                "_______________________ ERROR collecting tests/test_c.py _______________________",
                "tests/test_c.py:3: in <module>",
                "    SETTINGS = load_settings()",
                "E   NameError: name 'load_settings' is not defined",
                "=========================== short test summary info ============================",
                "ERROR tests/test_c.py - NameError: name 'load_settings' is not defined",
                "!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!",
            ],
            2,
        )
    )
    assert (got.category, got.failing_tests) == ("build", [])
    assert any("NameError: name 'load_settings'" in k.text for k in got.key_lines)


def test_an_rspec_file_that_cannot_load_is_a_build_failure() -> None:
    got = diagnose(
        _job(
            "rspec",
            [
                "An error occurred while loading ./spec/a_spec.rb.",
                "Failure/Error:",
                "  RSpec.describe Nope do",
                "NameError:",
                "  uninitialized constant Nope",
                "# ./spec/a_spec.rb:1:in `<top (required)>'",
                "No examples found.",
                "0 examples, 0 failures, 1 error occurred outside of examples",
            ],
        )
    )
    assert got.category == "build"


def test_pytest_without_a_short_summary_names_tests_by_node_id() -> None:
    """pytest before 6 (and ``-rN``) prints only section headers: the traceback's test file
    makes them node ids, the form a maintainer pastes to re-run."""
    got = diagnose(
        _job(
            "python -m pytest tests",
            [
                ".F.F                                                      [100%]",
                "=================================== FAILURES ===================================",
                "_________________________________ test_add_two _________________________________",
                ">       assert calc.add(2, 2) == 4",
                "E       assert 5 == 4",
                "",
                "tests/test_calc.py:11: AssertionError",
                "______________________________ TestEdge.test_big _______________________________",
                ">       assert calc.add(2, 10**6) == 10**6 + 2",
                "E       assert 1000003 == ((10 ** 6) + 2)",
                "",
                "tests/test_calc.py:19: AssertionError",
                "2 failed, 2 passed in 0.05s",
            ],
        )
    )
    assert got.failing_tests == [
        "tests/test_calc.py::test_add_two",
        "tests/test_calc.py::TestEdge::test_big",
    ]


def test_a_node_test_timeout_is_a_timeout() -> None:
    got = diagnose(
        _job(
            "node --test test/",
            [
                "TAP version 13",
                "# Subtest: waits",
                "not ok 1 - waits",
                "  ---",
                "  duration_ms: 201.5",
                "  location: '/home/runner/work/p/p/test/a.test.js:2:1'",
                "  failureType: 'testTimeoutFailure'",
                "  error: 'test timed out after 200ms'",
                "  code: 'ERR_TEST_FAILURE'",
                "  ...",
                "# cancelled 1",
            ],
        )
    )
    assert (got.category, got.failing_tests) == ("timeout", ["waits"])
