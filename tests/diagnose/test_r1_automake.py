"""Automake's ``make check`` harnesses: the formats come from Automake's own sources
(https://git.savannah.gnu.org/cgit/automake.git, mirrored at github.com/autotools-mirror/automake):

* ``lib/test-driver``: ``echo "${col}${res}${std}: $test_name"`` on the console and
  ``echo "$res $test_name (exit status: $estatus)"`` as the test's .log's last line;
* ``lib/tap-driver.sh``'s ``report()``: ``FAIL: t/foo.sh 3 - description``, ``XPASS: t/x.sh 2
  # TODO why`` and ``testsuite_error()``'s ``ERROR: t/foo.sh - missing test plan``;
* ``lib/am/check.am``: the ``Testsuite summary`` (``create_testsuite_report``: ``# FAIL:  2``),
  ``See tests/test-suite.log``, ``am__create_global_log``'s ``rst_section`` (``FAIL: tests/foo``
  over as many ``=``, the base name less the test extension), and the serial harness's
  ``FAIL: foo`` lines and ``1 of 12 tests failed`` banner.
"""

from bot.diagnose.extractors import extract_failures, extract_tests

SUMMARY = """\
============================================================================
Testsuite summary for calc 1.0
============================================================================
# TOTAL: 4
# PASS:  2
# SKIP:  0
# XFAIL: 0
# FAIL:  1
# XPASS: 0
# ERROR: 1
============================================================================
See tests/test-suite.log for debugging.
Please report to bugs@calc.example
============================================================================
"""


def test_parallel_harness_console_lines() -> None:
    log = (
        "make  check-TESTS\n"
        "PASS: tests/add.test\n"
        "FAIL: tests/div.test\n"
        "SKIP: tests/net.test\n"
        "ERROR: tests/hard.test\n"
        "XFAIL: tests/todo.test\n"
        + SUMMARY
        + "make[3]: *** [Makefile:600: test-suite.log] Error 1\n"
    )
    assert extract_tests(log) == ["tests/div.test", "tests/hard.test"]


def test_test_suite_log_gives_message_and_full_name() -> None:
    log = (
        "FAIL: tests/div.test\n" + SUMMARY + "+ cat tests/test-suite.log\n"
        "=========================================\n"
        "   calc 1.0: tests/test-suite.log\n"
        "=========================================\n"
        "\n"
        "# TOTAL: 2\n"
        "# PASS:  1\n"
        "# FAIL:  1\n"
        "\n"
        ".. contents:: :depth: 2\n"
        "\n"
        "FAIL: tests/div\n"
        "===============\n"
        "\n"
        "running division checks\n"
        "tests/div_check.c:14: assertion failed: div(4, 2) == 3\n"
        "FAIL tests/div.test (exit status: 1)\n"
        "\n"
    )
    failures = extract_failures(log)
    assert [f.test for f in failures] == ["tests/div.test"]
    assert failures[0].message == "tests/div_check.c:14: assertion failed: div(4, 2) == 3"
    assert failures[0].location == "tests/div_check.c:14"


def test_test_suite_log_alone_names_the_section() -> None:
    # only the global log was printed (the console went to a file)
    log = (
        "   calc 1.0: tests/test-suite.log   \n"
        "FAIL: tests/mul\n"
        "===============\n"
        "\n"
        "mul: got 6, wanted 8\n"
        "FAIL tests/mul.sh (exit status: 1)\n"
    )
    failures = extract_failures(log)
    assert [f.test for f in failures] == ["tests/mul.sh"]
    assert failures[0].message == "mul: got 6, wanted 8"


def test_tap_driver_points_and_errors() -> None:
    log = (
        "PASS: t/queue.sh 1 - push\n"
        "FAIL: t/queue.sh 2 - pop returns the first item\n"
        "XPASS: t/queue.sh 3 - peek on empty # TODO not yet\n"
        "ERROR: t/queue.sh - exited with status 1\n"
        "ERROR: t/plan.sh - missing test plan\n"
        "FAIL: gio/tests/gdbus-connection 4 /gdbus/connection/basic\n" + SUMMARY
    )
    failures = {f.test: f for f in extract_failures(log)}
    assert list(failures) == [
        "t/queue.sh 2 - pop returns the first item",
        "t/queue.sh 3 - peek on empty",
        "t/plan.sh",
        "gio/tests/gdbus-connection 4 /gdbus/connection/basic",
    ]
    assert failures["t/plan.sh"].message == "missing test plan"


def test_serial_harness() -> None:
    log = (
        "PASS: check_add\n"
        "FAIL: check_div\n"
        "==================================\n"
        "1 of 2 tests failed\n"
        "Please report to bugs@calc.example\n"
        "==================================\n"
    )
    assert extract_tests(log) == ["check_div"]


def test_near_misses_are_not_automake_tests() -> None:
    # unittest/nose headers over their ``-`` rule, isort's and lit's lines, a bare FAIL
    # line with no harness around it: none is an Automake test
    log = (
        "======================================================================\n"
        "FAIL: tests.test_calc.test_divide\n"
        "----------------------------------------------------------------------\n"
        "ERROR: /home/runner/work/p/p/app.py Imports are incorrectly sorted and/or formatted.\n"
        "FAIL: LLVM :: CodeGen/X86/add.ll (12 of 340)\n"
        "PASS: tests/add.test\n"
    )
    tests = extract_tests(log)
    assert "tests/add.test" not in tests
    assert not any(t.startswith("/home") for t in tests)
    assert extract_tests("FAIL: something\nall done\n") == []
