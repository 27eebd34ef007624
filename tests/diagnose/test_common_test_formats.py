"""Common Test's failing cases as ct_run and rebar3 (cth_readable) print them.

Each sample is built from the format strings of the tool's own source (named per test).
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.extractors import extract_failures


def _by_test(text: str) -> dict[str, dict[str, object]]:
    return {f.test: f.as_dict() for f in extract_failures(text)}


_RULE = "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -"


def test_ct_run_console_of_otp_27() -> None:
    # erlang/otp lib/common_test/src/cte_default_stdout.erl: ``Common Test v… starting``,
    # ``TEST INFO: …``, the error notification between dashed rules (``~w:~tw failed on
    # line ~w`` / ``~w:~tw failed``, ``Reason: ~ts``), then ``*** FAILED test case -1 of
    # N ***`` (its case number is always -1) behind test_server's ``Testing <name>: ``
    text = f"""\
Common Test v1.27 starting

TEST INFO: 1 test(s), 6 case(s) in 1 suite(s)

Testing app.calc_SUITE: Starting test, 6 test cases

{_RULE}
calc_SUITE:adds failed on line 12
Reason: {{badmatch,3}}
{_RULE}

Testing app.calc_SUITE: *** FAILED test case -1 of 6 ***

{_RULE}
calc_SUITE:'divides by zero' failed
Reason: {{test_case_failed,"should raise"}}
{_RULE}

Testing app.calc_SUITE: *** FAILED test case -1 of 6 ***

{_RULE}
calc_SUITE:init_per_group failed
Reason: {{error,{{noproc,{{gen_server,call,[calc_srv,ping]}}}}}}
{_RULE}

Testing app.calc_SUITE: *** FAILED {{calc_SUITE,init_per_group}} ***
Testing app.calc_SUITE: TEST COMPLETE, 3 ok, 2 failed, 1 skipped of 6 test cases
"""
    found = _by_test(text)
    assert list(found) == ["calc_SUITE:adds", "calc_SUITE:'divides by zero'"]
    assert found["calc_SUITE:adds"]["message"] == "Reason: {badmatch,3}"
    assert found["calc_SUITE:'divides by zero'"]["message"] == (
        'Reason: {test_case_failed,"should raise"}'
    )


def test_ct_run_failed_configuration_alone_is_the_failure() -> None:
    # ``*** FAILED {Mod,Func} ***`` (get_info_str for case number 0): with no case failed,
    # the configuration function is what failed
    text = f"""\
{_RULE}
calc_SUITE:init_per_suite failed on line 30
Reason: {{error,{{already_started,<0.180.0>}}}}
{_RULE}

Testing app.calc_SUITE: *** FAILED {{calc_SUITE,init_per_suite}} ***
"""
    found = _by_test(text)
    assert list(found) == ["calc_SUITE:init_per_suite"]
    assert found["calc_SUITE:init_per_suite"]["message"] == (
        "Reason: {error,{already_started,<0.180.0>}}"
    )


# ferd/cth_readable src/cth_readable_shell.erl: format_case ``~n%%% ~p ==> <path>: FAILED``
# (the path is the groups and case joined by ``.``, format_path in cth_readable_helpers),
# format_stack's ``%%% ~p ==> ~ts`` of the reason (a ``~p`` term over several lines, or
# maybe_eunit_format's ``Failure/Error: ?assertEqual(…)`` / ``expected:`` / ``got:`` /
# ``line:``); rebar3 apps/rebar/src/rebar_prv_common_test.erl: ``Failed ~p tests. ``,
# ``Results written to ~p.`` and ``Failures occurred running tests: ~b``
REBAR3 = """\
===> Running Common Test suites...
%%% calc_SUITE: ..
%%% calc_SUITE ==> math.adds: FAILED
%%% calc_SUITE ==>
Failure/Error: ?assertEqual(3, calc:add(1, 1))
  expected: 3
       got: 2
      line: 14
%%% calc_SUITE ==> divides: FAILED
%%% calc_SUITE ==> {{badmatch,2},
                    [{calc_SUITE,divides,1,
                                 [{file,"/home/runner/work/app/app/test/calc_SUITE.erl"},
                                  {line,22}]},
                     {test_server,ts_tc,3,[{file,"test_server.erl"},{line,1794}]}]}
%%% calc_SUITE ==> other.init_per_group: FAILED
%%% calc_SUITE ==> {'EXIT',{undef,[{calc,start,[],[]}]}}
%%% calc_SUITE ==> other.sub: SKIPPED
%%% calc_SUITE ==> {tc_auto_skip,{failed,{calc_SUITE,init_per_group,{'EXIT',{undef,[]}}}}}

Failed 2 tests. Skipped 1 (0, 1) tests. Passed 2 tests.
Results written to "/home/runner/work/app/app/_build/test/logs/index.html".
===> Failures occurred running tests: 3
""".replace("==>\n", "==> \n").replace("tests.\n", "tests. \n")  # the spaces they end in


def test_rebar3_cth_readable_cases_with_groups_assertions_and_wrapped_frames() -> None:
    found = _by_test(REBAR3)
    assert list(found) == ["calc_SUITE:math.adds", "calc_SUITE:divides"]
    assert found["calc_SUITE:math.adds"]["message"] == (
        "Failure/Error: ?assertEqual(3, calc:add(1, 1)) expected: 3 got: 2 line: 14"
    )
    divides = found["calc_SUITE:divides"]
    assert divides["message"] == "{{badmatch,2},"
    assert divides["location"] == "test/calc_SUITE.erl:22"


def test_hundreds_of_rebar3_failures_all_found_through_the_reader() -> None:
    lines = ["===> Running Common Test suites..."]
    for n in range(320):
        lines += [
            f"%%% big_SUITE ==> group.case_{n}: FAILED",
            f"%%% big_SUITE ==> {{badmatch,{n}}}",
        ]
    text = "\n".join(f"noise {i}" for i in range(3000)) + "\n" + "\n".join(lines) + "\n"
    result = diagnose(text.encode())
    assert len(result.failing_tests) == 320
    assert result.failing_tests[-1] == "big_SUITE:group.case_319"
