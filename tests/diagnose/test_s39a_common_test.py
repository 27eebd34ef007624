"""Common Test lines under rebar3 (cth_readable) that look like a failure but name no
failed test case, and a failed per-test-case configuration function.

Source: ferd/cth_readable ``src/cth_readable_shell.erl`` (``format_case``: ``%%% Suite ==>
case: FAILED`` / ``SKIPPED`` / ``end_per_testcase FAILED`` for a passed case whose
``end_per_testcase`` failed, then ``%%% Suite ==> Reason``) and rebar3
``rebar_prv_common_test.erl`` (``format_result``: ``Failed 1 tests. Skipped 1 (0, 1) tests.
Passed 3 tests.``).
"""

from __future__ import annotations

from bot.diagnose.extractors import extract_failures

LINES = [
    "===> Running Common Test suites...",
    "%%% calc_SUITE: ..",
    "%%% calc_SUITE ==> fails_on_zero: SKIPPED",
    "%%% calc_SUITE ==> {tc_auto_skip,{failed,{calc_SUITE,init_per_testcase,{badmatch,1}}}}",
    "",
    "%%% calc_SUITE ==> error_reporting: end_per_testcase FAILED",
    "%%% calc_SUITE ==> {badmatch,2}",
    "",
    "%%% calc_SUITE ==> divides: FAILED",
    '%%% calc_SUITE ==> {badarith,[{calc,divide,2,[{file,"src/calc.erl"},{line,9}]}]}',
    "",
    "Failed 1 tests. Skipped 1 (0, 1) tests. Passed 2 tests.",
    'Results written to "/home/runner/work/calc/calc/_build/test/logs/index.html".',
]


def test_only_the_failed_case_is_named() -> None:
    failures = extract_failures(LINES)
    assert [(f.test, f.message, f.location) for f in failures] == [
        (
            "calc_SUITE:divides",
            '{badarith,[{calc,divide,2,[{file,"src/calc.erl"},{line,9}]}]}',
            "src/calc.erl:9",
        )
    ]


def test_a_failed_init_per_testcase_is_named_only_without_a_failed_case() -> None:
    console = [
        "calc_SUITE:init_per_testcase failed on line 30",
        "Reason: {badmatch,1}",
        "calc_SUITE:divides failed on line 12",
        "Reason: {badarith,[]}",
    ]
    assert [f.test for f in extract_failures(console)] == ["calc_SUITE:divides"]
