"""GNU Octave's test output, from its sources (github.com/gnu-octave/octave,
scripts/testfun/): ``__run_test_suite__.m``'s ``print_test_file_name`` and
``print_pass_fail`` (``  path ..... pass    3/4`` and, right-aligned below it, ``FAIL    1``;
``oruntests.m`` prints ``PASS``), and ``test.m``'s ``>>>>> processing <file>`` (with a log
fid), ``***** <block>`` and ``!!!!! test failed`` followed by the error."""

from bot.diagnose.extractors import extract_failures, extract_tests


def test_run_test_suite_rows() -> None:
    fail = " " * 67 + "FAIL    1"
    log = (
        "  scripts/general/num2str.m ............................... pass   55/55\n"
        "  scripts/strings/strsplit.m .............................. pass   30/31\n"
        f"{fail}\n"
        "  libinterp/corefcn/data.cc ............................... PASS  545/547\n"
        + " " * 63
        + "(reported bug) XFAIL   2\n"
    )
    assert extract_tests(log) == ["scripts/strings/strsplit.m"]


def test_test_with_log_fid() -> None:
    log = (
        ">>>>> processing /home/runner/work/pkg/pkg/inst/foo.m\n"
        "***** assert (foo (1), 2)\n"
        "!!!!! test failed\n"
        "ASSERT errors for:  assert (foo (1),2)\n"
        "\n"
        "  Location  |  Observed  |  Expected  |  Reason\n"
        "    ()          1            2          Abs err 1 exceeds tol 0 by 1\n"
        ">>>>> processing /home/runner/work/pkg/pkg/inst/bar.m\n"
        "PASSES 4 out of 5 tests\n"
    )
    failures = extract_failures(log)
    assert [f.test for f in failures] == ["inst/foo.m"]
    assert failures[0].message == "ASSERT errors for: assert (foo (1),2)"


def test_near_misses() -> None:
    # an expected failure (a known bug) is no failure; a FAIL count under a passing row is
    # the suite's total line; nothing named without a processed file
    log = (
        "!!!!! known bug: https://octave.org/testfailure/?55555\n"
        "  PASS                                30\n"
        "  FAIL                                 0\n"
        "!!!!! test failed\n"
        "ASSERT errors for:  assert (x, 1)\n"
    )
    assert extract_tests(log) == []
