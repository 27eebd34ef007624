"""``make check`` harnesses of C projects besides Automake's (s39b).

* GNU Autotest: Autoconf's ``lib/autotest/general.m4`` (``at_fn_group_banner`` prints
  ``%3d: description``, ``at_fn_group_postprocess`` appends `` FAILED (file.at:LINE)``, `` ok``,
  ``skipped (…)``, ``expected failure (…)`` or `` UNEXPECTED PASS``; the suite log's
  ``$at_group. $at_desc ($at_setup_line): $at_msg``).
* Check (libcheck): ``src/check_str.c``, ``tr_str``: ``"%s:%d:%s:%s:%s:%d: %s%s"`` (file, line,
  ``P``/``F``/``E``, test case, test, iteration, ``(after this point) `` for an error, message).
* Unity (ThrowTheSwitch/Unity): ``src/unity.c``, ``UnityTestResultsBegin`` (``file:line:test:``)
  and ``UnityTestResultsFailBegin`` (``FAIL:``); ``UnityConcludeTest`` prints ``PASS``.
"""

from bot.diagnose import diagnose
from bot.diagnose.extractors import extract_failures, extract_tests

AUTOTEST = """\
## ----------------------------- ##
## GNU Bison 3.8.2 test suite. ##
## ----------------------------- ##
  1: Invalid options                                 ok
  2: Skipped group                                   skipped (input.at:5)
 25: Calc parser with location                       FAILED (calc.at:1452)
123: Known breakage                                  expected failure (foo.at:3)
124: Fixed on purpose                                UNEXPECTED PASS
## ------------- ##
## Test results. ##
## ------------- ##

ERROR: 124 tests were run,
2 did not behave as expected (1 unexpected failure).
"""


def test_autotest_console_lines() -> None:
    failures = {f.test: f for f in extract_failures(AUTOTEST)}
    assert list(failures) == ["Calc parser with location", "Fixed on purpose"]
    assert failures["Calc parser with location"].location == "calc.at:1452"
    assert failures["Calc parser with location"].message == "FAILED (calc.at:1452)"
    assert diagnose(AUTOTEST.encode()).failing_tests == list(failures)


def test_autotest_suite_log_line() -> None:
    log = (
        "25. calc.at:1440: testing Calc parser with location ...\n"
        "25. calc.at:1440: 25. Calc parser with location (calc.at:1440): FAILED (calc.at:1452)\n"
        "26. calc.at:1460: 26. Calc parser plain (calc.at:1460): ok\n"
    )
    assert extract_tests(log) == ["Calc parser with location"]


CHECK = """\
Running suite(s): Money
33%: Checks: 3, Failures: 1, Errors: 1
tests/check_money.c:17:F:Core:test_money_create:0: Assertion 'money_amount(m) == 5' failed
tests/check_money.c:9:P:Core:test_money_ok:0: Passed
tests/check_money.c:30:E:Limits:test_money_neg:0: (after this point) Received signal 11
"""


def test_check_failures_and_errors_not_passes() -> None:
    failures = {f.test: f for f in extract_failures(CHECK)}
    assert list(failures) == ["test_money_create", "test_money_neg"]
    create = failures["test_money_create"]
    assert create.message == "Assertion 'money_amount(m) == 5' failed"
    assert create.location == "tests/check_money.c:17"
    assert failures["test_money_neg"].location == "tests/check_money.c:30"


UNITY = """\
test/test_calc.c:12:test_add:FAIL: Expected 3 Was 4
test/test_calc.c:20:test_sub:PASS
test/test_calc.c:30:test_mul:IGNORE: not yet
test/test_calc.c:40:test_div:FAIL

-----------------------
4 Tests 2 Failures 1 Ignored
FAIL
"""


def test_unity_failures_not_passes_or_ignores() -> None:
    failures = {f.test: f for f in extract_failures(UNITY)}
    assert list(failures) == ["test_add", "test_div"]
    assert failures["test_add"].message == "Expected 3 Was 4"
    assert failures["test_add"].location == "test/test_calc.c:12"
    assert failures["test_div"].location == "test/test_calc.c:40"


def test_compiler_diagnostics_are_not_check_or_unity_results() -> None:
    log = (
        "src/a.c:12:5: error: unknown type name 'foo'\n"
        "src/a.c:13:1: warning: FAIL: something\n"
        "  1: a description without a status\n"
    )
    assert extract_tests(log) == []


# pg_regress (postgres/postgres, src/test/regress/pg_regress.c): before 16 ``test %-28s ... ``
# then the status and the run time; from 16 TAP from ``test_status_print``: ``%sok %-5i%*s %c
# %-*s %8.0f ms`` (``-`` a single test, ``+`` one of a parallel group)
PG_OLD = """\
============== running regression test queries        ==============
test init                         ... ok           12 ms
test boolean                      ... FAILED       30 ms
parallel group (2 tests):  char name
     char                         ... ok           10 ms
     name                         ... FAILED       11 ms
test hstore                       ... FAILED (test process exited with exit code 2)       11 ms

=======================
 3 of 5 tests failed.
=======================
"""

PG16 = """\
# parallel group (2 tests):  char name
ok 1         - init                                       12 ms
not ok 2     - boolean                                    30 ms
not ok 3     + name                                       11 ms
1..3
# 2 of 3 tests failed.
"""


def test_pg_regress_before_16() -> None:
    assert extract_tests(PG_OLD) == ["boolean", "name", "hstore"]


def test_pg_regress_tap_names_the_test_without_sign_or_time() -> None:
    assert extract_tests(PG16) == ["boolean", "name"]


def test_cargo_result_line_is_not_pg_regress() -> None:
    # libtest prints no run time; its name keeps its module path
    assert extract_tests("test tests::bad ... FAILED\ntest it_works ... ok\n") == ["tests::bad"]
