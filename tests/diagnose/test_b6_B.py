"""Batch 6 (B) shapes, written from design-half Travis CI logs: Vim's script tests
(runtest.vim), Test::Harness running non-Perl test files (git's ``t/*.sh`` through
``prove --timer``) with a failed file's TAP output printed after the summary, and
whitespace lint verdicts (``git diff --check``, Bitcoin Core's test/lint runner)."""

from __future__ import annotations

import io

from bot.diagnose.engine import diagnose
from bot.diagnose.extractors import extract_failures
from tests.diagnose.joblogs import actions_job

VIM_RUN = [
    "From test_quotestar.vim:",
    "Executed Test_quotestar() in   2.020627 seconds",
    "Found errors in Test_quotestar():",
    "function RunTheTest[40]..Test_quotestar[11]..Do_test line 58: Expected 262044 but got 262040",
    "Flaky test failed, running it again",
    "Executed Test_quotestar() in   6.760260 seconds",
    "Found errors in Test_quotestar():",
    "Caught exception in Test_quotestar(): WaitFor() timed out after 5000 msec",
    "Flaky test failed too often, giving up",
    "",
    "From test_search.vim:",
    "Found errors in Test_search_cmdline():",
    "function RunTheTest[44]..Test_search_cmdline line 12: Expected 'foo' but got 'bar'",
    "Executed 12 tests in   0.5 seconds",
    "",
    "Test results:",
    "-------------------------------",
    "Executed:  2193 Tests",
    "  FAILED:     2 Tests",
    "",
    "Failures: ",
    "\tFrom test_quotestar.vim:",
    "\tFound errors in Test_quotestar():",
    "\tRun 1:",
    "\tfunction RunTheTest[40]..Test_quotestar[11]..Do_test line 58: "
    "Expected 262044 but got 262040",
    "",
    "TEST FAILURE",
    "make[2]: *** [report] Error 1",
    "make: *** [scripttests] Error 2",
]


def _job(command: str, lines: list[str], code: int = 1) -> io.BytesIO:
    return actions_job(command, lines, code, stamped=False)


def test_vim_script_tests_name_each_failing_function_with_its_first_error() -> None:
    d = diagnose(_job("make -C src/testdir", VIM_RUN, code=2))
    assert d.category == "test_failure"  # not the make wrapper's build error
    assert d.failing_tests == ["Test_quotestar", "Test_search_cmdline"]
    assert [(f.message, f.location) for f in d.failures] == [
        (
            "function RunTheTest[40]..Test_quotestar[11]..Do_test line 58: "
            "Expected 262044 but got 262040",
            None,
        ),
        (
            "function RunTheTest[44]..Test_search_cmdline line 12: Expected 'foo' but got 'bar'",
            None,
        ),
    ]


def test_vim_summary_block_alone_skips_the_run_marker() -> None:
    failures = extract_failures(VIM_RUN[20:25])
    assert [(f.test, f.message) for f in failures] == [
        (
            "Test_quotestar",
            "function RunTheTest[40]..Test_quotestar[11]..Do_test line 58: "
            "Expected 262044 but got 262040",
        )
    ]


PROVE_SH = [
    "*** prove ***",
    "[21:45:10] t0000-basic.sh ........................ ok     3012 ms",
    "[21:46:02] t9502-gitweb-standalone-parse-output.sh .. "
    "Dubious, test returned 1 (wstat 256, 0x100)",
    "Failed 1/13 subtests ",
    "[21:54:57] t9109-git-svn-multi-glob.sh ........................ skipped: no svn",
    "[21:54:57]",
    "",
    "Test Summary Report",
    "-------------------",
    "t9502-gitweb-standalone-parse-output.sh          (Wstat: 256 Tests: 13 Failed: 1)",
    "  Failed test:  13",
    "  Non-zero exit status: 1",
    "  Parse errors: No plan found in TAP output",
    "t7405-submodule-merge.sh                         (Wstat: 0 Tests: 18 Failed: 0)",
    "  TODO passed:   17",
    "Files=872, Tests=20633, 526 wallclock secs",
    "Result: FAIL",
    "make: *** [test] Error 2",
    "------------------------------------------------------------------------",
    "test-results/t9502-gitweb-standalone-parse-output.out...",
    "ok 12 - snapshot certain objects: have expected content in xx/test branch",
    "error: last command exited with $?=1",
    "not ok 13 - snapshot certain objects: have expected content in master branch",
    "#\trm -f gitweb.body file_list &&",
]


def test_prove_runs_shell_test_files_and_their_tap_point_is_the_message() -> None:
    d = diagnose(_job("make test", PROVE_SH, code=2))
    assert d.category == "test_failure"
    # the file listed only for TODO passes did not fail; the TAP point is no test of its own
    assert d.failing_tests == ["t9502-gitweb-standalone-parse-output.sh"]
    assert d.failures[0].message == (
        "not ok 13 - snapshot certain objects: have expected content in master branch"
    )


def test_prove_file_with_only_parse_errors_failed() -> None:
    failures = extract_failures(
        [
            "Test Summary Report",
            "-------------------",
            "t/plan.t (Wstat: 0 Tests: 3 Failed: 0)",
            "  Parse errors: Bad plan.  You planned 4 tests but ran 3.",
            "t/todo.t (Wstat: 0 Tests: 5 Failed: 0)",
            "  TODO passed:   2",
            "Result: FAIL",
        ]
    )
    assert [f.test for f in failures] == ["t/plan.t"]


def test_tap_lines_without_a_harness_summary_stay_node_tests() -> None:
    failures = extract_failures(["TAP version 13", "not ok 1 - adds", "1..1"])
    assert [f.test for f in failures] == ["adds"]


def test_whitespace_lint_verdicts_are_lint() -> None:
    bitcoin = diagnose(
        _job(
            "source .travis/lint_06_script.sh",
            [
                "* Checking consistency between dispatch tables and vRPCConvertParams",
                "This diff appears to have added new lines with trailing whitespace.",
                "The following changes were suspected:",
                "diff --git a/src/wallet/rpcwallet.cpp b/src/wallet/rpcwallet.cpp",
                "+            true, true);",
                "^---- failure generated from test/lint/lint-whitespace.sh",
            ],
        )
    )
    assert bitcoin.category == "lint"
    assert "This diff appears to have added new lines with trailing whitespace." in [
        k.text for k in bitcoin.key_lines
    ]
    git_check = diagnose(
        _job("git diff --check origin/main", ["src/app.c:12: trailing whitespace.", "+int x; "])
    )
    assert git_check.category == "lint"
