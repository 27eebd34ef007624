# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 10, helper b10H4 (whole Travis CI job logs): Surefire 2 under the JUnit
Platform provider and its unprefixed ``Results :`` lists, Erlang xref (rebar 2/3) and a
common_test summary an ``after_failure`` command prints, EUnit and Common Test failures, an
Erlang NIF that does not load while OTP builds itself, Emacs package.el dependencies and
byte-compilation, postcss's ``CssSyntaxError`` from stylelint, busted (Lua), lit, and the
status tables of shell test scripts (vis-test).

Each snippet is the tool's own output shape (busted's was produced here by busted 2.1.1,
EUnit's and Common Test's by OTP 25 and rebar3 3.19; the others follow the published logs
and the tools' sources) and each test asserts what a maintainer would name: category, rule,
failing tests with their messages, the key line.
"""

from __future__ import annotations

import io

from bot.diagnose.engine import diagnose
from bot.diagnose.extractors import extract_failures
from tests.diagnose.joblogs import actions_job, travis_job

# -- Surefire 2 (unprefixed) ------------------------------------------------------------

_JUNIT5_SUREFIRE2 = [
    "-------------------------------------------------------",
    " T E S T S",
    "-------------------------------------------------------",
    "Running org.dirty.flag.DirtyFlagTest",
    "./dirty-flag/src/main/resources/world.txt is dirty! Re-fetching file content...",
    "java.io.FileNotFoundException: ./dirty-flag/src/main/resources/world.txt (No such file or directory)",
    "\tat java.io.FileInputStream.open0(Native Method)",
    "\tat org.dirty.flag.DirtyFlagTest.testIsNotDirty(DirtyFlagTest.java:51)",
    "Tests run: 2, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.088 sec <<< FAILURE! - in org.dirty.flag.DirtyFlagTest",
    "testIsDirty()  Time elapsed: 0.058 sec  <<< FAILURE!",
    "org.opentest4j.AssertionFailedError: expected: <false> but was: <true>",
    "\tat org.dirty.flag.DirtyFlagTest.testIsDirty(DirtyFlagTest.java:45)",
    "",
    "",
    "Results :",
    "",
    "Failed tests: ",
    "  DirtyFlagTest.testIsDirty:45 expected: <false> but was: <true>",
    "",
    "Tests run: 3, Failures: 1, Errors: 0, Skipped: 0",
    "",
    "[INFO] BUILD FAILURE",
    "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:2.19.1:test (default-test) on project dirty-flag: There are test failures.",
]


def test_surefire2_junit_platform_method_line_without_class() -> None:
    """JUnit 5 through Surefire 2.19's JUnit Platform provider: the method line names no
    class (``testIsDirty()``); ``Failed tests:`` names ``Class.method:line``."""
    diagnosis = diagnose(travis_job("mvn test -B", _JUNIT5_SUREFIRE2))
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule == "junit-failed"
    assert diagnosis.failing_tests == ["DirtyFlagTest.testIsDirty"]
    (failure,) = diagnosis.failures
    assert (
        failure.message == "org.opentest4j.AssertionFailedError: expected: <false> but was: <true>"
    )
    assert failure.location == "DirtyFlagTest.java:45"
    assert "expected: <false> but was: <true>" in diagnosis.key_lines[0].text


def test_surefire2_junit_platform_without_results_section_names_class_and_method() -> None:
    """A log cut before ``Results :``: the class line gives the method its class."""
    lines = _JUNIT5_SUREFIRE2[: _JUNIT5_SUREFIRE2.index("Results :")]
    failures = extract_failures(lines)
    assert [f.test for f in failures] == ["org.dirty.flag.DirtyFlagTest.testIsDirty"]
    assert failures[0].location == "DirtyFlagTest.java:45"


def test_surefire2_plain_results_lists_failures_and_errors() -> None:
    """Surefire 2.18+ under Maven 3.0-3.2 (no ``[ERROR]`` prefix): ``Failed tests:`` and
    ``Tests in error:`` hold ``Class.method:line message`` (``->`` a frame in a helper,
    ``»`` an exception); the per-test reports name ``method(pkg.Class)``."""
    lines = [
        "Running demo.CalcTest",
        "Tests run: 3, Failures: 1, Errors: 1, Skipped: 0, Time elapsed: 0.02 sec <<< FAILURE! - in demo.CalcTest",
        "adds(demo.CalcTest)  Time elapsed: 0.004 sec  <<< FAILURE!",
        "java.lang.AssertionError: expected:<4> but was:<5>",
        "\tat org.junit.Assert.fail(Assert.java:88)",
        "\tat demo.CalcTest.adds(CalcTest.java:17)",
        "",
        "boom(demo.CalcTest)  Time elapsed: 0.001 sec  <<< ERROR!",
        "java.lang.IllegalStateException: boom",
        "\tat demo.Helper.go(Helper.java:9)",
        "\tat demo.CalcTest.boom(CalcTest.java:23)",
        "",
        "Results :",
        "",
        "Failed tests: ",
        "  CalcTest.adds:17 expected:<4> but was:<5>",
        "Tests in error: ",
        "  CalcTest.boom:23->Helper.go:9 » IllegalState boom",
        "",
        "Tests run: 3, Failures: 1, Errors: 1, Skipped: 0",
    ]
    diagnosis = diagnose(travis_job("mvn -B test", lines))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["CalcTest.adds", "CalcTest.boom"]
    adds, boom = diagnosis.failures
    assert adds.message == "java.lang.AssertionError: expected:<4> but was:<5>"
    assert adds.location == "CalcTest.java:17"
    assert boom.message == "java.lang.IllegalStateException: boom"
    assert boom.location == "CalcTest.java:23"


def test_surefire2_old_results_list_keeps_the_reports_names() -> None:
    """Before 2.18 the lists repeat ``method(pkg.Class): message``: the per-test reports'
    names stand (the lines are not read as a second set of tests)."""
    lines = [
        "Running retrofit2.RequestFactoryTest",
        "Tests run: 2, Failures: 0, Errors: 1, Skipped: 0, Time elapsed: 0.3 sec <<< FAILURE! - in retrofit2.RequestFactoryTest",
        "getWithNullUrl(retrofit2.RequestFactoryTest)  Time elapsed: 0.002 sec  <<< ERROR!",
        "java.lang.IllegalArgumentException: @Url parameter is null. (parameter #1)",
        "\tat retrofit2.RequestFactoryTest.getWithNullUrl(RequestFactoryTest.java:1412)",
        "",
        "Results :",
        "",
        "Tests in error: ",
        "  getWithNullUrl(retrofit2.RequestFactoryTest): @Url parameter is null. (parameter #1)(..)",
        "",
        "Tests run: 2, Failures: 0, Errors: 1, Skipped: 0",
    ]
    diagnosis = diagnose(travis_job("mvn test -B", lines))
    assert diagnosis.failing_tests == ["getWithNullUrl(retrofit2.RequestFactoryTest)"]
    assert diagnosis.failures[0].message == (
        "java.lang.IllegalArgumentException: @Url parameter is null. (parameter #1)"
    )


def test_failed_tests_heading_of_another_tool_is_not_a_surefire_list() -> None:
    """``Failed tests:`` without any Surefire report before it (another runner's heading)
    does not turn indented ``a.b`` lines into tests."""
    assert extract_failures(["Failed tests:", "  config.load 2 assertions"]) == []


# -- Erlang: xref, common_test in after_failure, a NIF that does not load ---------------

_REBAR2_XREF_QUERY = [
    "/home/runner/otp/19.3/bin/escript rebar skip_deps=true xref",
    "WARN:  Missing plugins: [rebar3_hex]",
    "==> ejabberd (xref)",
    'Query (XC - UC) || (XU - X - B  - ("gen_transport":_/_) - ("eprof":_/_))',
    " answer [{{ejabberd_ctl,start,0},{ejabberd_cluster,call,5}}]",
    " did not match []",
    "ERROR: xref failed while processing /home/runner/build/processone/ejabberd: rebar_abort",
    "Makefile:120: recipe for target 'xref' failed",
    "make: *** [xref] Error 1",
]


def _travis_with_after_failure(
    command: str, lines: list[str], after: list[str], code: int = 2
) -> bytes:
    """A failed Travis command, then an ``after_failure`` command that prints a report
    (Travis attaches its output to the failed command)."""
    out = [
        "travis_fold:start:worker_info",
        "Worker information",
        "travis_fold:end:worker_info",
        f"travis_time:start:0a000001$ {command}",
        *lines,
        f'travis_time:end:0a000001:start=1,finish=2,duration=1The command "{command}" exited with {code}.',
        "",
        "travis_fold:start:after_failure.1travis_time:start:0b000001$ find logs -name suite.log -exec cat '{}' ';'",
        *after,
        "travis_time:end:0b000001:start=1,finish=2,duration=1travis_fold:end:after_failure.1",
        "",
        "Done. Your build exited with 1.",
    ]
    return "".join(f"{line}\n" for line in out).encode()


def test_rebar_xref_query_mismatch_is_lint_not_the_ct_report_after_it() -> None:
    """``make xref``: a custom xref query found a call to an undefined function. The
    common_test ``suite.log`` an after_failure command prints (``=== TEST COMPLETE, 1083
    ok, 0 failed``) reports a passing run and is no pytest summary."""
    after = [
        "=== Suite started at 2019-07-12 09:34:43",
        "=case          ejabberd_SUITE:stop_ejabberd",
        "=result        ok",
        "=== TEST COMPLETE, 1083 ok, 0 failed, 387 skipped of 1470 test cases",
        "=failed        0",
    ]
    diagnosis = diagnose(
        io.BytesIO(_travis_with_after_failure("make xref", _REBAR2_XREF_QUERY, after))
    )
    assert diagnosis.category == "lint"
    assert diagnosis.rule == "erlang-xref"
    assert diagnosis.failing_tests == []
    texts = [k.text for k in diagnosis.key_lines]
    assert texts[0] == " answer [{{ejabberd_ctl,start,0},{ejabberd_cluster,call,5}}]"
    assert not any("TEST COMPLETE" in t for t in texts)


def test_rebar3_xref_undefined_function_calls() -> None:
    lines = [
        "===> Verifying dependencies...",
        "===> Analyzing applications...",
        "===> Compiling shop",
        "===> Running cross reference analysis...",
        "===> src/shop_cart.erl:42: Warning: shop_cart:total/1 calls undefined function shop_price:net/2 (Xref)",
        "src/shop_api.erl:10: Warning: shop_api:start/0 calls undefined function cowboy:start_http/4 (Xref)",
    ]
    diagnosis = diagnose(actions_job("rebar3 xref", lines))
    assert diagnosis.category == "lint"
    assert diagnosis.rule == "erlang-xref"
    assert "calls undefined function shop_price:net/2 (Xref)" in diagnosis.key_lines[0].text


def test_xref_lines_of_old_rebar_and_xref_runner() -> None:
    """Old rebar (``Warning f/0 calls …``, no ``(Xref)``) and erlang.mk's xref_runner (MFAs in
    backticks) print the same finding in other words."""
    for line in (
        "src/shop_cart.erl:42: Warning total/1 calls undefined function shop_price:net/2",
        "src/shop_cart.erl:42: `shop_cart:total/1` calls undefined function `shop_price:net/2`",
        "src/shop_cart.erl:50: Warning: shop_cart:helper/1 is unused local function (Xref)",
    ):
        diagnosis = diagnose(actions_job("make xref", [line, "make: *** [xref] Error 1"], 2))
        assert (diagnosis.category, diagnosis.rule) == ("lint", "erlang-xref"), line


def test_a_failed_common_test_run_is_still_a_test_failure() -> None:
    """The pytest pattern now wants a non-zero count; a ct run that failed still reads as
    failed tests."""
    lines = [
        "Testing shop: TEST COMPLETE, 9 ok, 2 failed of 11 test cases",
        "",
        "=== TEST COMPLETE, 9 ok, 2 failed of 11 test cases",
    ]
    diagnosis = diagnose(travis_job("rebar3 ct", lines))
    assert diagnosis.category == "test_failure"


# -- Erlang: EUnit and Common Test (OTP 25, rebar3 3.19, run here) -------------------------

# ``erl -eval 'eunit:test(calc_tests, [verbose])'`` on a module with a failing assertEqual, a
# badarith in the code under test and a failing generated ``?_assertMatch``
_EUNIT = [
    "======================== EUnit ========================",
    "module 'calc_tests'",
    "  calc_tests: add_test...*failed*",
    "in function calc_tests:add_test/0 (test/calc_tests.erl, line 3)",
    "in call from eunit_test:'-mf_wrapper/2-fun-0-'/2 (eunit_test.erl, line 273)",
    "in call from eunit_test:run_testfun/1 (eunit_test.erl, line 71)",
    "in call from eunit_proc:run_test/1 (eunit_proc.erl, line 531)",
    "in call from eunit_proc:with_timeout/3 (eunit_proc.erl, line 356)",
    "in call from eunit_proc:handle_test/2 (eunit_proc.erl, line 514)",
    "in call from eunit_proc:tests_inorder/3 (eunit_proc.erl, line 456)",
    "in call from eunit_proc:with_timeout/3 (eunit_proc.erl, line 346)",
    "**error:{assertEqual,[{module,calc_tests},",
    "              {line,3},",
    '              {expression,"calc : add ( 2 , 2 )"},',
    "              {expected,4},",
    "              {value,5}]}",
    '  output:<<"">>',
    "",
    "  calc_tests: sub_test...ok",
    "  calc_tests: div_test...*failed*",
    "in function erlang:'div'/2",
    "  called as 1 div 0",
    "in call from calc:divide/2 (src/calc.erl, line 4)",
    "in call from eunit_test:'-mf_wrapper/2-fun-0-'/2 (eunit_test.erl, line 273)",
    "in call from eunit_test:run_testfun/1 (eunit_test.erl, line 71)",
    "in call from eunit_proc:run_test/1 (eunit_proc.erl, line 531)",
    "in call from eunit_proc:with_timeout/3 (eunit_proc.erl, line 356)",
    "in call from eunit_proc:handle_test/2 (eunit_proc.erl, line 514)",
    "in call from eunit_proc:tests_inorder/3 (eunit_proc.erl, line 456)",
    "**error:badarith",
    '  output:<<"">>',
    "",
    "  calc_tests:6: -match_test_/0-fun-1-...*failed*",
    "in function calc_tests:'-match_test_/0-fun-1-'/0 (test/calc_tests.erl, line 6)",
    "in call from eunit_test:run_testfun/1 (eunit_test.erl, line 71)",
    "in call from eunit_proc:run_test/1 (eunit_proc.erl, line 531)",
    "in call from eunit_proc:with_timeout/3 (eunit_proc.erl, line 356)",
    "in call from eunit_proc:handle_test/2 (eunit_proc.erl, line 514)",
    "in call from eunit_proc:tests_inorder/3 (eunit_proc.erl, line 456)",
    "in call from eunit_proc:with_timeout/3 (eunit_proc.erl, line 346)",
    "in call from eunit_proc:run_group/2 (eunit_proc.erl, line 570)",
    "**error:{assertMatch,[{module,calc_tests},",
    "              {line,6},",
    '              {expression,"{ error , 1 }"},',
    '              {pattern,"{ ok , _ }"},',
    "              {value,{error,1}}]}",
    '  output:<<"">>',
    "",
    "  [done in 0.012 s]",
    "=======================================================",
    "  Failed: 3.  Skipped: 0.  Passed: 1.",
]

# the same module under ``rebar3 eunit`` (its progress formatter; colour codes removed)
_REBAR3_EUNIT = [
    "===> Verifying dependencies...",
    "===> Analyzing applications...",
    "===> Compiling calc",
    '===> "/home/runner/work/calc/calc/_build/test/lib/calc/ebin/calc.app" is missing description entry',
    "===> Performing EUnit tests...",
    "F.FF",
    "Failures:",
    "",
    "  1) calc_tests:add_test/0",
    "     Failure/Error: ?assertEqual(4, calc : add ( 2 , 2 ))",
    "       expected: 4",
    "            got: 5",
    "     %% eunit_proc.erl:346:in `eunit_proc:with_timeout/3`",
    "     Output: ",
    "     Output: ",
    "  2) calc_tests:div_test/0",
    "     Failure/Error: {error,badarith,",
    "                        [{erlang,'div',",
    "                             [1,0],",
    "                             [{error_info,#{module => erl_erts_errors}}]},",
    "                         {calc,divide,2,",
    '                             [{file,"/home/runner/work/calc/calc/src/calc.erl"},{line,4}]},',
    "                         {eunit_test,'-mf_wrapper/2-fun-0-',2,",
    '                             [{file,"eunit_test.erl"},{line,273}]},',
    "                         {eunit_test,run_testfun,1,",
    '                             [{file,"eunit_test.erl"},{line,71}]},',
    "                         {eunit_proc,run_test,1,",
    '                             [{file,"eunit_proc.erl"},{line,531}]},',
    "                         {eunit_proc,with_timeout,3,",
    '                             [{file,"eunit_proc.erl"},{line,356}]},',
    "                         {eunit_proc,handle_test,2,",
    '                             [{file,"eunit_proc.erl"},{line,514}]},',
    "                         {eunit_proc,tests_inorder,3,",
    '                             [{file,"eunit_proc.erl"},{line,456}]}]}',
    "     Output: ",
    "  3) calc_tests:-match_test_/0-fun-1-/0:6",
    "     Failure/Error: ?assertMatch({ ok , _ }, { error , 1 })",
    "       expected: = { ok , _ }",
    "            got: {error,1}",
    "     %% eunit_proc.erl:570:in `eunit_proc:run_group/2`",
    "     Output: ",
    "     Output: ",
    "",
    "Finished in 0.055 seconds",
    "4 tests, 3 failures",
    "===> Error running tests",
]

# ``rebar3 ct`` on a suite with a passing case and a group of two failing ones
_REBAR3_CT = [
    "===> Verifying dependencies...",
    "===> Analyzing applications...",
    "===> Compiling calc",
    '===> "/home/runner/work/calc/calc/_build/test/lib/calc/ebin/calc.app" is missing description entry',
    "===> Running Common Test suites...",
    "%%% calc_SUITE: .",
    "%%% calc_SUITE ==> math.adds: FAILED",
    "%%% calc_SUITE ==> {{badmatch,5},",
    ' [{calc_SUITE,adds,1,[{file,"/home/runner/work/calc/calc/test/calc_SUITE.erl"},{line,7}]},',
    '  {test_server,ts_tc,3,[{file,"test_server.erl"},{line,1782}]},',
    '  {test_server,run_test_case_eval1,6,[{file,"test_server.erl"},{line,1291}]},',
    '  {test_server,run_test_case_eval,9,[{file,"test_server.erl"},{line,1223}]}]}',
    "",
    "%%% calc_SUITE ==> math.divides: FAILED",
    "%%% calc_SUITE ==> {badarith,[{erlang,'div',[1,0],[{error_info,#{module => erl_erts_errors}}]},",
    '           {calc,divide,2,[{file,"/home/runner/work/calc/calc/src/calc.erl"},{line,4}]},',
    '           {test_server,ts_tc,3,[{file,"test_server.erl"},{line,1782}]},',
    "           {test_server,run_test_case_eval1,6,",
    '                        [{file,"test_server.erl"},{line,1291}]},',
    "           {test_server,run_test_case_eval,9,",
    '                        [{file,"test_server.erl"},{line,1223}]}]}',
    "",
    "EXPERIMENTAL: Writing retry specification at /home/runner/work/calc/calc/_build/test/logs/retry.spec",
    "              call rebar3 ct with '--retry' to re-run failing cases.",
    "Failed 2 tests. Passed 1 tests. ",
    'Results written to "/home/runner/work/calc/calc/_build/test/logs/index.html".',
    "===> Failures occurred running tests: 2",
]

# ``ct_run -dir test`` on the same suite (its console lines)
_CT_RUN = [
    "Testing calc: Starting test, 3 test cases",
    "",
    "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -",
    "calc_SUITE:adds failed on line 7",
    "Reason: {badmatch,5}",
    "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -",
    "",
    "Testing calc: *** FAILED test case 2 of 3 ***",
    "",
    "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -",
    "erlang:'div' failed",
    "Reason: {badarith,[{erlang,...},{...}|...]}",
    "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -",
    "",
    "Testing calc: *** FAILED test case 3 of 3 ***",
    "Testing calc: TEST COMPLETE, 1 ok, 2 failed of 3 test cases",
]


def test_eunit_failures_with_their_assertion_terms_and_test_lines() -> None:
    diagnosis = diagnose(actions_job("make eunit", _EUNIT))
    assert (diagnosis.category, diagnosis.rule) == ("test_failure", "eunit-failed")
    assert diagnosis.failing_tests == [
        "calc_tests: add_test",
        "calc_tests: div_test",
        "calc_tests:6: -match_test_/0-fun-1-",
    ]
    add, div, match = diagnosis.failures
    assert add.message is not None and add.message.startswith("**error:{assertEqual,")
    assert "{expected,4}, {value,5}" in add.message
    assert add.location == "test/calc_tests.erl:3"
    assert (div.message, div.location) == ("**error:badarith", "src/calc.erl:4")
    assert match.location == "test/calc_tests.erl:6"


def test_rebar3_eunit_formatter() -> None:
    diagnosis = diagnose(actions_job("rebar3 eunit", _REBAR3_EUNIT))
    assert (diagnosis.category, diagnosis.rule) == ("test_failure", "eunit-failed")
    assert diagnosis.failing_tests == [
        "calc_tests:add_test/0",
        "calc_tests:div_test/0",
        "calc_tests:-match_test_/0-fun-1-/0:6",
    ]
    assert diagnosis.failures[0].message == (
        "Failure/Error: ?assertEqual(4, calc : add ( 2 , 2 )) expected: 4 got: 5"
    )


def test_rebar3_common_test_cases() -> None:
    diagnosis = diagnose(actions_job("rebar3 ct", _REBAR3_CT))
    assert (diagnosis.category, diagnosis.rule) == ("test_failure", "common-test-failed")
    assert diagnosis.failing_tests == ["calc_SUITE:math.adds", "calc_SUITE:math.divides"]
    adds, divides = diagnosis.failures
    assert (adds.message, adds.location) == ("{{badmatch,5},", "test/calc_SUITE.erl:7")
    assert divides.location == "src/calc.erl:4"


def test_ct_run_console() -> None:
    """``ct_run`` names a case only when it failed in the suite's own code; the count
    still says the run failed."""
    diagnosis = diagnose(travis_job("ct_run -dir test -logdir ctlogs", _CT_RUN))
    assert (diagnosis.category, diagnosis.rule) == ("test_failure", "common-test-failed")
    assert diagnosis.failing_tests == ["calc_SUITE:adds"]
    # ``Reason: R`` as ct_run prints it; ``failed on line 7`` names the module, not the
    # file's path, so there is no location to link
    assert diagnosis.failures[0].message == "Reason: {badmatch,5}"
    assert diagnosis.failures[0].location is None


_OTP_BOOT = '(no logger present) unexpected logger message: {log,error,"Error in process ~p with exit value:~n~p~n",[<0.0.0>,{{badmatch,{error,{bad_lib,"Function not found prim_file:read_handle_info_nif/1"}}},[{prim_file,on_load,0,[]},{erl_init,start,2,[]}]}],#{error_logger=>#{emulator=>true,tag=>error},gl=><0.0.0>,pid=><0.0.0>,time=>1562334343714190}}'


def test_erlang_nif_that_does_not_load_while_otp_builds_is_a_build_failure() -> None:
    """The freshly built emulator cannot load prim_file's NIF during the erts build: the
    ``bad_lib`` reason is the line to read, not make's ``Error 2`` cascade."""
    lines = [
        "Autoconfing... done, took 4 seconds",
        "Configuring..... done, took 24 seconds",
        "Building OTP.................... failed.",
        *[_OTP_BOOT] * 3,
        "done",
        "(no logger pmake[4]: *** [obj/x86_64-unknown-linux-gnu/opt/smp/PROFILE] Error 1",
        "make[3]: *** [opt] Error 2",
        "make: *** [emulator] Error 2",
        "*** Failed ***",
    ]
    diagnosis = diagnose(travis_job("./scripts/build-otp", lines))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "erlang-nif-load"
    assert "Function not found prim_file:read_handle_info_nif/1" in diagnosis.key_lines[0].text


def test_crypto_nif_load_failed_is_a_build_failure() -> None:
    lines = [
        "=ERROR REPORT==== 3-Mar-2020::10:01:02.123 ===",
        "The on_load function for module crypto returned:",
        "{error,{load_failed,\"Failed to load NIF library: '/usr/lib/erlang/lib/crypto-4.6/priv/lib/crypto.so: undefined symbol: EVP_MD_CTX_new'\"}}",
        "** (UndefinedFunctionError) function :crypto.strong_rand_bytes/1 is undefined (module :crypto is not available)",
    ]
    diagnosis = diagnose(actions_job("mix compile", lines))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "erlang-nif-load"


# -- Emacs package.el ---------------------------------------------------------------------


def test_emacs_package_needs_a_newer_emacs() -> None:
    """Emacs 24's debugger output in batch mode: a MELPA package needs Emacs 25.1."""
    lines = [
        "Loading /home/runner/build/purcell/emacs.d/init.el (source)...",
        "Opening TLS connection with `gnutls-cli --insecure -p 443 melpa.org'...failed",
        "Opening TLS connection to `melpa.org'...done",
        "Done (Total of 2 files compiled, 1 skipped)",
        'Debugger entered--Lisp error: (error "Package `emacs-25.1\' is unavailable")',
        '  signal(error ("Package `emacs-25.1\' is unavailable"))',
        '  error("Package `%s-%s\' is unavailable" emacs "25.1")',
        "  package-compute-transaction(nil ((scratch)))",
        "  package-install(scratch)",
        "  command-line()",
        "  normal-top-level()",
    ]
    diagnosis = diagnose(travis_job("lsb_release -a && ./test-startup.sh", lines, 255))
    assert diagnosis.category == "dependency_install"
    assert diagnosis.rule == "emacs-package"
    assert diagnosis.key_lines[0].text.startswith("Debugger entered--Lisp error:")
    assert not diagnosis.retryable


def test_emacs_package_curly_quotes_and_required_package() -> None:
    """Emacs 25+ quotes with ‘…’; package activation names the missing dependency."""
    newer = diagnose(
        actions_job("emacs --batch -l init.el", ["Package ‘emacs-26.1’ is unavailable"])
    )
    assert (newer.category, newer.rule) == ("dependency_install", "emacs-package")
    diagnosis = diagnose(
        actions_job(
            "emacs --batch -l init.el",
            [
                "Unable to activate package ‘flycheck’.",
                "Required package ‘dash-2.12.0’ is unavailable",
            ],
        )
    )
    assert diagnosis.category == "dependency_install"
    assert "dash-2.12.0" in diagnosis.key_lines[0].text


def test_emacs_byte_compile_error_is_a_build_failure() -> None:
    """``emacs --batch -f batch-byte-compile``: an ``Error:`` at ``file:line:col`` (Emacs 26
    prints no space after the colons); the warnings before it do not fail the build."""
    lines = [
        "In toplevel form:",
        "flycheck-foo.el:3:1:Warning: Unused lexical variable ‘x’",
        "flycheck-foo.el:12:1:Error: Cannot open load file: No such file or directory, dash",
    ]
    diagnosis = diagnose(actions_job("emacs -Q --batch -L . -f batch-byte-compile *.el", lines))
    assert (diagnosis.category, diagnosis.rule) == ("build", "emacs-byte-compile")
    assert diagnosis.key_lines[0].text.endswith("No such file or directory, dash")


def test_emacs_archive_download_failure_is_retryable_network() -> None:
    lines = [
        "Contacting host: melpa.org:443",
        "Failed to download ‘melpa’ archive.",
        "Package ‘dash’ is unavailable",
    ]
    diagnosis = diagnose(actions_job("cask install", lines))
    assert diagnosis.category == "infra_network"
    assert diagnosis.retryable


# ``emacs -Q --batch -l calc-test.el -f ert-run-tests-batch-and-exit`` (Emacs 28.2, run here)
_ERT = [
    "Loading /home/runner/work/calc/calc/calc.el (source)...",
    "Running 3 tests (2026-12-06 03:35:58+0000, selector ‘t’)",
    "Test calc-mini-adds backtrace:",
    "  signal(ert-test-failed (((should (equal 4 (calc-mini-add 2 2))) :for",
    "  ert-fail(((should (equal 4 (calc-mini-add 2 2))) :form (equal 4 5) :",
    "  (if (unwind-protect (setq value-2 (apply fn-0 args-1)) (setq form-de",
    "  (let (form-description-4) (if (unwind-protect (setq value-2 (apply f",
    "  (let ((value-2 'ert-form-evaluation-aborted-3)) (let (form-descripti",
    "  (let* ((fn-0 #'equal) (args-1 (condition-case err (let ((signal-hook",
    "  (let ((lexical-binding t)) (let* ((fn-0 #'equal) (args-1 (condition-",
    "  (closure (t) nil (let ((lexical-binding t)) (let* ((fn-0 #'equal) (a",
    "  ert--run-test-internal(#s(ert--test-execution-info :test #s(ert-test",
    "  ert-run-test(#s(ert-test :name calc-mini-adds :documentation nil :bo",
    "  ert-run-or-rerun-test(#s(ert--stats :selector t :tests [#s(ert-test ",
    "  ert-run-tests(t #f(compiled-function (event-type &rest event-args) #",
    "  ert-run-tests-batch(nil)",
    "  ert-run-tests-batch-and-exit()",
    '  command-line-1(("-l" "calc-test.el" "-f" "ert-run-tests-batch-and-ex',
    "  command-line()",
    "  normal-top-level()",
    "Test calc-mini-adds condition:",
    "    (ert-test-failed",
    "     ((should",
    "       (equal 4",
    "\t      (calc-mini-add 2 2)))",
    "      :form",
    "      (equal 4 5)",
    "      :value nil :explanation",
    "      (different-atoms",
    '       (4 "#x4" "?\\4")',
    '       (5 "#x5" "?\\5"))))',
    "   FAILED  1/3  calc-mini-adds (0.000108 sec)",
    "Test calc-mini-errors backtrace:",
    "  car(5)",
    "  (let ((lexical-binding t)) (car 5))",
    "  (closure (t) nil (let ((lexical-binding t)) (car 5)))()",
    "  ert--run-test-internal(#s(ert--test-execution-info :test #s(ert-test",
    "  ert-run-test(#s(ert-test :name calc-mini-errors :documentation nil :",
    "  ert-run-or-rerun-test(#s(ert--stats :selector t :tests [#s(ert-test ",
    "  ert-run-tests(t #f(compiled-function (event-type &rest event-args) #",
    "  ert-run-tests-batch(nil)",
    "  ert-run-tests-batch-and-exit()",
    '  command-line-1(("-l" "calc-test.el" "-f" "ert-run-tests-batch-and-ex',
    "  command-line()",
    "  normal-top-level()",
    "Test calc-mini-errors condition:",
    "    (wrong-type-argument listp 5)",
    "   FAILED  2/3  calc-mini-errors (0.000071 sec)",
    "   passed  3/3  calc-mini-passes (0.000050 sec)",
    "",
    "Ran 3 tests, 1 results as expected, 2 unexpected (2026-12-06 03:35:58+0000, 0.158886 sec)",
    "",
    "2 unexpected results:",
    "   FAILED  calc-mini-adds",
    "   FAILED  calc-mini-errors",
    "",
]


def test_ert_failures_with_their_conditions() -> None:
    diagnosis = diagnose(
        actions_job("emacs -Q --batch -l calc-test.el -f ert-run-tests-batch-and-exit", _ERT)
    )
    assert (diagnosis.category, diagnosis.rule) == ("test_failure", "ert-failed")
    assert diagnosis.failing_tests == ["calc-mini-adds", "calc-mini-errors"]
    adds, errors = diagnosis.failures
    assert adds.message is not None and ":form (equal 4 5)" in adds.message
    assert errors.message == "(wrong-type-argument listp 5)"


def test_emacs_lisp_error_while_loading_is_a_build_failure() -> None:
    """Emacs 28 in batch mode prints the backtrace of the error that stopped it."""
    lines = [
        'Debugger entered--Lisp error: (file-missing "Cannot open load file" "No such file or directory" "dash")',
        "  require(dash)",
        '  command-line-1(("--eval" "(require (quote dash))"))',
        "  command-line()",
        "  normal-top-level()",
    ]
    diagnosis = diagnose(actions_job("emacs -Q --batch -l init.el", lines, 255))
    assert (diagnosis.category, diagnosis.rule) == ("build", "emacs-lisp-error")


def test_emacs_package_without_version_after_archive_download_failure_is_network() -> None:
    """``package-install`` of a package the archives do not list, after the archives could
    not be downloaded (Emacs 28, no network): the download is the cause."""
    lines = [
        "Contacting host: elpa.gnu.org:443",
        "Failed to download ‘gnu’ archive.",
        "Package refresh done",
        'Debugger entered--Lisp error: (error "Package ‘no-such-package-xyz-’ is unavailable")',
        '  error("Package `%s-%s\' is unavailable" no-such-package-xyz "")',
        "  package-compute-transaction(nil ((no-such-package-xyz)))",
    ]
    diagnosis = diagnose(actions_job("emacs -Q --batch -l install.el", lines, 255))
    assert (diagnosis.category, diagnosis.rule) == ("infra_network", "emacs-archive-download")
    assert diagnosis.retryable
    offline = diagnose(actions_job("emacs -Q --batch -l install.el", lines[3:], 255))
    assert (offline.category, offline.rule) == ("dependency_install", "emacs-package")


# -- postcss's CssSyntaxError -------------------------------------------------------------

_CSS_SYNTAX = [
    "> normalize.css@4.1.1 test /home/runner/build/necolas/normalize.css",
    "> stylelint normalize.css",
    "",
    "CssSyntaxError: /home/runner/build/necolas/normalize.css/normalize.css:11:3: Unknown word",
    "    at Input.error (/home/runner/build/necolas/normalize.css/node_modules/postcss/lib/input.js:61:22)",
    "    at Parser.unknownWord (/home/runner/build/necolas/normalize.css/node_modules/postcss/lib/parser.js:457:26)",
    "npm ERR! Test failed.  See above for more details.",
]


def test_stylelint_stopping_at_a_css_syntax_error_is_lint() -> None:
    diagnosis = diagnose(travis_job("npm test", _CSS_SYNTAX))
    assert diagnosis.category == "lint"
    assert diagnosis.rule == "tool-agnostic-lint"
    assert "normalize.css:11:3: Unknown word" in diagnosis.key_lines[0].text


def test_css_syntax_error_in_a_build_step_is_a_build_failure() -> None:
    """The same postcss error from a build command is the build's."""
    lines = ["> site@1.0.0 build", "> postcss src/site.css -o dist/site.css", "", _CSS_SYNTAX[3]]
    diagnosis = diagnose(actions_job("npm run build", lines))
    assert (diagnosis.category, diagnosis.rule) == ("build", "tool-agnostic-lint")


# -- busted (Lua) ---------------------------------------------------------------------------

# ``busted`` 2.1.1 here, C locale (``->``) and C.UTF-8 (``→``), on a spec with one failing
# assertion, one error and one pass
_BUSTED = [
    "-+*",
    "1 success / 1 failure / 1 error / 0 pending : 0.000779 seconds",
    "",
    "Failure -> spec/calc_spec.lua @ 2",
    "calc adds",
    "spec/calc_spec.lua:3: Expected objects to be the same.",
    "Passed in:",
    "(number) 5",
    "Expected:",
    "(number) 4",
    "",
    "Error -> spec/calc_spec.lua @ 9",
    "calc nested boom",
    "spec/calc_spec.lua:11: attempt to index local 't' (a nil value)",
]


def test_busted_failures_and_errors() -> None:
    diagnosis = diagnose(travis_job("busted", _BUSTED))
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule == "busted-failed"
    assert diagnosis.failing_tests == ["calc adds", "calc nested boom"]
    adds, boom = diagnosis.failures
    assert adds.message == "spec/calc_spec.lua:3: Expected objects to be the same."
    assert adds.location == "spec/calc_spec.lua:3"
    assert boom.message == "spec/calc_spec.lua:11: attempt to index local 't' (a nil value)"
    assert boom.location == "spec/calc_spec.lua:11"


def test_busted_utf8_arrow_and_verbose_traceback() -> None:
    lines = [
        "◼●✱",
        "1 success / 1 failure / 1 error / 0 pending : 0.000781 seconds",
        "",
        "Failure → spec/calc_spec.lua @ 2",
        "calc adds",
        "spec/calc_spec.lua:3: Expected objects to be the same.",
        "",
        "stack traceback:",
        "\tspec/calc_spec.lua:3: in function <spec/calc_spec.lua:2>",
        "",
        "Error → ./spec/calc_spec.lua @ 9",
        "calc nested boom",
        "",
        "./spec/calc_spec.lua:11: attempt to index local 't' (a nil value)",
    ]
    failures = extract_failures(lines)
    assert [(f.test, f.location) for f in failures] == [
        ("calc adds", "spec/calc_spec.lua:3"),
        ("calc nested boom", "spec/calc_spec.lua:11"),
    ]


def test_busted_utf8_report_through_the_reader() -> None:
    """The ``→`` blocks reach the extractor through the reader's prefilter as well."""
    lines = [line.replace(" -> ", " → ") for line in _BUSTED]
    diagnosis = diagnose(travis_job("busted", lines))
    assert (diagnosis.category, diagnosis.rule) == ("test_failure", "busted-failed")
    assert diagnosis.failing_tests == ["calc adds", "calc nested boom"]


def test_busted_spec_that_does_not_load_is_a_build_failure() -> None:
    """``0 successes / 0 failures / 1 error``: the spec file has a syntax error, no test ran."""
    lines = [
        "*",
        "0 successes / 0 failures / 1 error / 0 pending : 0.000011 seconds",
        "",
        "Error -> spec/load_spec.lua:4: ')' expected (to close '(' at line 1) near <eof>",
        "spec/load_spec.lua",
    ]
    diagnosis = diagnose(travis_job("busted", lines))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "lua-syntax-error"
    assert diagnosis.failing_tests == []
    assert (
        diagnosis.summary is not None and "spec/load_spec.lua:4: ')' expected" in diagnosis.summary
    )


def test_lit_object_missing_from_its_registry_is_a_dependency_failure() -> None:
    """luvit's ``lit make``: the snapshot's object is not in the registry (``fail:`` then the
    Lua error and its traceback), and make stops."""
    lines = [
        "lit version: 3.5.4",
        "fetching: 1 object",
        'fail: [string "bundle:libs/codec.lua"]:123: No such hash: 31b8c996c762b151bedbd7f0e5ad12c2ababf3cd',
        "stack traceback:",
        "\t[C]: in function 'assert'",
        "\t[string \"bundle:libs/codec.lua\"]:123: in function 'read'",
        "Makefile:20: recipe for target 'lit' failed",
        "make: *** [lit] Error 255",
    ]
    diagnosis = diagnose(travis_job("make", lines, 2))
    assert (diagnosis.category, diagnosis.rule) == ("dependency_install", "lit-package")
    assert "No such hash" in diagnosis.key_lines[0].text


# -- status tables of shell test scripts (vis-test) --------------------------------------

_VIS_TABLE = [
    "make: Entering directory `/home/runner/build/martanne/vis/test/vis'",
    "vis 78d6ae8 +curses +lua +lpeg +tre +acl",
    "\x1b[?1h\x1b=\x1b[?1l\x1b>insert-mode/autoindent                            PASS",
    "\x1b[?1h\x1b=\x1b[?1l\x1b>multiple-cursors/selections-rotate                PASS",
    "\x1b[?1h\x1b=\x1b[?1l\x1b>multiple-cursors/selections-trim                  FAIL",
    "\x1b[?1h\x1b=\x1b[?1l\x1b>text-objects/lexer                                ERROR",
    "\x1b[?1h\x1b=\x1b[?1l\x1b>visual-mode/orientation                           PASS",
    "Tests ok 3/5",
    "make: *** [test] Error 1",
    "make: Leaving directory `/home/runner/build/martanne/vis/test/vis'",
]


def test_vis_test_padded_status_table() -> None:
    diagnosis = diagnose(travis_job("make -C test/vis", _VIS_TABLE, 2))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["multiple-cursors/selections-trim", "text-objects/lexer"]
    assert diagnosis.key_lines[0].text == "multiple-cursors/selections-trim                  FAIL"


def test_reference_editor_failures_under_a_full_count_are_not_failing_tests() -> None:
    """vis-test's sam suite prints sam's own results too; ``Tests ok 25/25`` counts only
    vis's, so the suite passed and its ``with sam ... FAIL`` lines name no failing test.
    A later suite's short count keeps only its own lines."""
    lines = [
        "Running test ./errors/filter with sam ... FAIL",
        "Running test ./errors/filter with vis ... OK",
        "Running test ./addresses/columns with sam ... OK",
        "Running test ./addresses/columns with vis ... OK",
        "Tests ok 25/25",
        "VIM - Vi IMproved 7.4 (2013 Aug 10, compiled Nov 24 2016 16:43:18)",
        "Running test ./motions/goto with vim ... OK",
        "Running test ./motions/goto with vis ... FAIL",
        "Tests ok 35/36, skipped 0",
    ]
    assert [f.test for f in extract_failures(lines)] == ["./motions/goto"]
    assert extract_failures(lines[:5]) == []


def test_busted_report_under_a_status_line_names_the_specs() -> None:
    """vis-test's Lua suite prints ``name   FAIL`` then the busted report of that script:
    busted's test names are the failing tests."""
    lines = [
        "selections                    FAIL",
        *_BUSTED[1:6],
        "Tests ok 4/5",
    ]
    assert [f.test for f in extract_failures(lines)] == ["calc adds"]


def test_download_failure_before_a_status_table_failure_is_the_cause() -> None:
    """Travis runs every script command: the dependency download that could not resolve
    its host comes first; the test that fails later (vis built without LPeg) is its
    consequence."""
    out = ["travis_fold:start:worker_info", "Worker information", "travis_fold:end:worker_info"]
    commands = [
        (
            "make local",
            [
                "wget -c -O dependency/sources/lpeg-1.0.1.tar.gz.part http://www.inf.puc-rio.br/~roberto/lpeg/lpeg-1.0.1.tar.gz",
                "Resolving www.inf.puc-rio.br (www.inf.puc-rio.br)... failed: Name or service not known.",
                "wget: unable to resolve host address ‘www.inf.puc-rio.br’",
                "make[1]: *** [dependency/sources/lpeg-1.0.1.tar.gz] Error 4",
                "make: *** [local] Error 2",
            ],
            2,
        ),
        ("make -C test/vis", _VIS_TABLE, 2),
    ]
    for n, (command, lines, code) in enumerate(commands):
        out.append(f"travis_time:start:0a{n:06x}$ {command}")
        out += lines
        out.append(
            f'travis_time:end:0a{n:06x}:start=1,finish=2,duration=1The command "{command}" exited with {code}.'
        )
    out += ["", "Done. Your build exited with 1."]
    diagnosis = diagnose(io.BytesIO("".join(f"{line}\n" for line in out).encode()))
    assert diagnosis.category == "infra_network"
    assert diagnosis.retryable
    assert "unable to resolve host address" in " ".join(k.text for k in diagnosis.key_lines)
