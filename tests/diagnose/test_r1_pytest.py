"""pytest (and unittest) formats read from the plugins' and the frameworks' own sources.

* pytest-sugar (github.com/Teemu/pytest-sugar, ``pytest_sugar.py``): ``print_failure`` heads a
  failure with ``write_sep("―", msg)`` (``msg`` is pytest's ``_getfailureheadline``:
  ``test_a``, ``TestK.test_q``), and ``summary_stats`` lists each failed test under
  ``Results (0.05s):`` as ``         - tests/test_x.py:10 test_a`` (the test's def line);
  sugar replaces pytest's ``FAILURES`` section, so these may be all a log has.
* pytest's ``TerminalReporter.pytest_runtest_logreport`` under xdist writes ``[gw0]``, then the
  progress (`` [ 50%] ``) only when ``console_output_style`` shows it, then the status word and
  the node id: ``[gw0] FAILED tests/test_x.py::test_a``.
"""

from bot.diagnose.extractors import extract_failures, extract_tests

SUGAR = """\
 tests/test_x.py ✓                                                  33% ███▍
―――――――――――――――――――――――――――――――――― test_a ――――――――――――――――――――――――――――――――――

    def test_a():
>       assert add(2, 2) == 5
E       assert 4 == 5
E        +  where 4 = add(2, 2)

tests/test_x.py:12: AssertionError

 tests/test_x.py ⨯                                                  67% ██████▋
――――――――――――――――――――――――――― TestK.test_q[a b] ――――――――――――――――――――――――――――

self = <tests.test_y.TestK object at 0x7f>

E       ValueError: bad value

tests/test_y.py:30: ValueError

 tests/test_y.py ⨯                                                 100% ██████████

Results (0.05s):
       1 passed
       2 failed
         - tests/test_x.py:10 test_a
         - tests/test_y.py:28 TestK.test_q[a b]
"""


def test_pytest_sugar_sections_and_results() -> None:
    failures = {f.test: f for f in extract_failures(SUGAR)}
    assert list(failures) == [
        "tests/test_x.py::test_a",
        "tests/test_y.py::TestK::test_q[a b]",
    ]
    assert failures["tests/test_x.py::test_a"].message == "assert 4 == 5"
    assert failures["tests/test_x.py::test_a"].location == "tests/test_x.py:12"
    assert failures["tests/test_y.py::TestK::test_q[a b]"].message == "ValueError: bad value"


def test_pytest_sugar_results_alone() -> None:
    log = "Results (1.20s):\n       3 passed\n       1 failed\n         - test_calc.py:4 test_div\n"
    assert extract_tests(log) == ["test_calc.py::test_div"]


def test_xdist_without_progress() -> None:
    log = (
        "[gw1] PASSED tests/test_x.py::test_b \n"
        "[gw0] FAILED tests/test_x.py::test_a \n"
        "[gw1] [ 75%] ERROR tests/test_y.py::test_c \n"
    )
    assert extract_tests(log) == ["tests/test_x.py::test_a", "tests/test_y.py::test_c"]


def test_near_misses() -> None:
    # meson's rule before a test's log, a plain results-like line of another tool
    log = (
        "――――――――――――――――――――――――――――――――――――― ✀ ―――――――――――――――――――――――――――――――――――――\n"
        "stderr:\n"
        "Results (summary):\n"
        "   - see the report\n"
        "[gw0] PASSED tests/test_x.py::test_b\n"
    )
    assert extract_tests(log) == []


def test_unittest_docstring_is_not_the_message() -> None:
    """CPython Lib/unittest/runner.py: ``printErrorList`` writes the header
    (``getDescription``: ``str(test)``, then the docstring's first line when ``descriptions``
    is on), the ``-`` rule, then the traceback; ``-v`` writes the description and `` ... FAIL``."""
    log = (
        "test_add (calc.tests.CalcTest.test_add)\n"
        "Adds two numbers. ... FAIL\n"
        "test_sub (calc.tests.CalcTest.test_sub) ... ok\n"
        "======================================================================\n"
        "FAIL: test_add (calc.tests.CalcTest.test_add)\n"
        "Adds two numbers.\n"
        "----------------------------------------------------------------------\n"
        "Traceback (most recent call last):\n"
        '  File "/home/runner/work/calc/calc/calc/tests.py", line 9, in test_add\n'
        "    self.assertEqual(add(2, 2), 5)\n"
        "AssertionError: 4 != 5\n"
    )
    failures = extract_failures(log)
    assert [f.test for f in failures] == ["calc.tests.CalcTest.test_add"]
    assert failures[0].message == "AssertionError: 4 != 5"
    assert failures[0].location == "calc/tests.py:9"
    # a passing test with a docstring is no failure
    assert extract_tests("test_sub (calc.tests.CalcTest.test_sub)\nSubtracts. ... ok\n") == []
