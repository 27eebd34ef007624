# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 9, helper b9H1 (whole Travis CI job logs): the xUnit.net console
runner's ``[FAIL]`` report, Erlang Common Test (``ct_run`` through erlang.mk, and rebar3's
cth_readable), GHC's warnings turned errors (``-Werror``) and GHC 7's bare error header, a
build check that asks to commit what the build generated, and freeCodeCamp's guide-naming
check.

Each snippet is written in the shape the tool prints (from its source: xunit's
``DefaultRunnerReporterWithTypesMessageHandler``, common_test's ``cte_default_stdout`` and
cth_readable's ``cth_readable_shell``, GHC's diagnostics) and asserts what a maintainer
would name as the cause.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.extractors import extract_failures
from tests.diagnose.joblogs import actions_job, travis_job

# ---- xUnit.net console runner -------------------------------------------------------------

_XUNIT = [
    "xUnit.net Console Runner v2.4.0 (64-bit .NET Core 4.6.0.0)",
    "  Discovering: Acme.Billing.Tests",
    "  Discovered:  Acme.Billing.Tests",
    "  Starting:    Acme.Billing.Tests",
    "    Acme.Billing.Tests.InvoiceFixture.Should_round_totals [FAIL]",
    "      Assert.Equal() Failure",
    "      Expected: 10.5",
    "      Actual:   10.4",
    "      Stack Trace:",
    "        /home/runner/build/acme/billing/src/Acme.Billing/Rounding.cs(31,0): at Acme.Billing.Rounding.Round(Decimal value)",
    "        /home/runner/build/acme/billing/test/Acme.Billing.Tests/InvoiceFixture.cs(88,0): at Acme.Billing.Tests.InvoiceFixture.Should_round_totals()",
    '    Acme.Billing.Tests.TaxFixture.Applies_rate(country: "FR", rate: 0.2) [FAIL]',
    "      System.NullReferenceException : Object reference not set to an instance of an object.",
    "      Stack Trace:",
    "        /home/runner/build/acme/billing/test/Acme.Billing.Tests/TaxFixture.cs(42,0): at Acme.Billing.Tests.TaxFixture.Applies_rate(String country, Decimal rate)",
    "    Acme.Billing.Tests.TaxFixture.Legacy_rates [SKIP]",
    "      Replaced by Applies_rate",
    "  Finished:    Acme.Billing.Tests",
    "=== TEST EXECUTION SUMMARY ===",
    "   Acme.Billing.Tests  Total: 64, Errors: 0, Failed: 2, Skipped: 1, Time: 1.204s",
]


def test_xunit_console_failures_with_messages_and_test_file_lines() -> None:
    diagnosis = diagnose(travis_job("./build.sh --target=Test", _XUNIT))
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule == "xunit-failed"
    assert diagnosis.failing_tests == [
        "Acme.Billing.Tests.InvoiceFixture.Should_round_totals",
        'Acme.Billing.Tests.TaxFixture.Applies_rate(country: "FR", rate: 0.2)',
    ]
    first, second = diagnosis.failures
    assert first.message == "Assert.Equal() Failure Expected: 10.5 Actual: 10.4"
    # the test's own frame, not the library frame printed before it
    assert first.location == "test/Acme.Billing.Tests/InvoiceFixture.cs:88"
    assert second.message is not None
    assert second.message.startswith("System.NullReferenceException : Object reference")
    assert second.location == "test/Acme.Billing.Tests/TaxFixture.cs:42"
    texts = [k.text for k in diagnosis.key_lines]
    assert any(t.endswith("InvoiceFixture.Should_round_totals [FAIL]") for t in texts)
    assert "Legacy_rates" not in " ".join(diagnosis.failing_tests)


def test_xunit_dotnet_frames_colour_and_crlf_as_a_cake_script_prints_them() -> None:
    """.NET's own ``at X in path:line N`` frames; the runner's colour codes and CRLF line
    ends (a Cake build on Linux) do not hide the report; a log that ends inside the message
    keeps it."""
    lines = [
        "\x1b[37m  Starting:    Shop.Tests\r",
        "\x1b[m\x1b[31;1m    Shop.Tests.CartTests.Total_includes_shipping [FAIL]\r\r",
        "\x1b[m\x1b[37m      Expected total to be 12, but found 10.\r",
        "\x1b[m\x1b[30;1m      Stack Trace:\r",
        "\x1b[m\x1b[37m           at Shop.Tests.CartTests.Total_includes_shipping() in /home/runner/work/shop/shop/tests/Shop.Tests/CartTests.cs:line 27\r",
        "\x1b[m\x1b[37m   Shop.Tests  Total: 12, Errors: 0, Failed: 1, Skipped: 0, Time: 0.512s\r",
    ]
    diagnosis = diagnose(actions_job("dotnet cake --target=Test", lines))
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule == "xunit-failed"
    assert diagnosis.failing_tests == ["Shop.Tests.CartTests.Total_includes_shipping"]
    assert diagnosis.failures[0].message == "Expected total to be 12, but found 10."
    assert diagnosis.failures[0].location == "tests/Shop.Tests/CartTests.cs:27"
    ended = extract_failures(["    A.B.C [FAIL]", "      Boom"])
    assert [(f.test, f.message) for f in ended] == [("A.B.C", "Boom")]


def test_xunit_skips_and_a_clean_summary_are_not_failures() -> None:
    lines = [
        "  Starting:    Shop.Tests",
        "    Shop.Tests.CartTests.Slow_path [SKIP]",
        "      Needs a database",
        "  Finished:    Shop.Tests",
        "=== TEST EXECUTION SUMMARY ===",
        "   Shop.Tests  Total: 12, Errors: 0, Failed: 0, Skipped: 1, Time: 0.512s",
        "error: the coverage upload failed",
    ]
    diagnosis = diagnose(travis_job("./build.sh", lines))
    assert diagnosis.rule != "xunit-failed"
    assert diagnosis.failing_tests == []


# ---- Erlang Common Test ---------------------------------------------------------------------

_RULE = "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -"

_CT_RUN = [
    "Common Test v1.17 starting (cwd is /home/runner/build/acme/broker)",
    "TEST INFO: 2 test(s), 9 case(s) in 2 suite(s)",
    "Testing acme.broker.queue_SUITE: Starting test, 6 test cases",
    _RULE,
    "queue_SUITE:requeue_on_nack failed on line 212",
    "Reason: {badmatch,{error,not_found}}",
    _RULE,
    "Testing acme.broker.queue_SUITE: *** FAILED test case 4 of 6 ***",
    "Testing acme.broker.queue_SUITE: TEST COMPLETE, 5 ok, 1 failed of 6 test cases",
    "Testing acme.broker.auth_SUITE: Starting test, 3 test cases",
    "Testing acme.broker.auth_SUITE: *** SKIPPED {auth_SUITE,init_per_suite} ***",
    "Testing acme.broker.auth_SUITE: TEST COMPLETE, 0 ok, 0 failed, 3 skipped of 3 test cases",
    "erlang.mk:6494: recipe for target 'ct' failed",
    "make[1]: *** [ct] Error 1",
    "make: *** [ct-fast] Error 2",
]


def test_common_test_case_failure_through_erlang_mk() -> None:
    """The suite's own function failed: the case is named ``Mod:Func`` with its reason;
    make's ``Error 1``/``Error 2`` wrapper lines do not make it a build failure."""
    diagnosis = diagnose(travis_job("make ct-fast", _CT_RUN, code=2))
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule == "common-test-failed"
    assert diagnosis.failing_tests == ["queue_SUITE:requeue_on_nack"]
    assert diagnosis.failures[0].message == "Reason: {badmatch,{error,not_found}}"
    assert diagnosis.failures[0].location is None
    texts = [k.text for k in diagnosis.key_lines]
    assert "queue_SUITE:requeue_on_nack failed on line 212" in texts
    assert "Testing acme.broker.queue_SUITE: *** FAILED test case 4 of 6 ***" in texts


def test_common_test_failure_in_a_helper_names_no_case_but_is_a_test_failure() -> None:
    """``Mod:Func`` is the last function that ran: a helper module names no case, and the
    numbered ``*** FAILED test case N of M ***`` names none either; the tests still ran."""
    lines = [
        "Testing acme.broker.route_SUITE: Starting test, 4 test cases",
        _RULE,
        "broker_test_helpers:call_node failed on line 88",
        "Reason: {badrpc,nodedown}",
        _RULE,
        "Testing acme.broker.route_SUITE: *** FAILED test case 2 of 4 ***",
        "Testing acme.broker.route_SUITE: TEST COMPLETE, 3 ok, 1 failed of 4 test cases",
        "make: *** [ct] Error 1",
    ]
    diagnosis = diagnose(travis_job("make ct", lines, code=2))
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule == "common-test-failed"
    assert diagnosis.failing_tests == []
    assert "broker_test_helpers:call_node failed on line 88" in [
        k.text for k in diagnosis.key_lines
    ]


def test_common_test_configuration_function_named_in_braces() -> None:
    lines = [
        _RULE,
        "store_SUITE:init_per_suite failed on line 40",
        "Reason: {error,eaddrinuse}",
        _RULE,
        "Testing acme.store_SUITE: *** FAILED {store_SUITE,init_per_suite} ***",
        "Testing acme.store_SUITE: TEST COMPLETE, 0 ok, 0 failed, 7 skipped of 7 test cases",
    ]
    failures = extract_failures(lines)
    assert [(f.test, f.message) for f in failures] == [
        ("store_SUITE:init_per_suite", "Reason: {error,eaddrinuse}")
    ]


def test_rebar3_ct_failures_with_plain_and_eunit_style_reasons() -> None:
    lines = [
        "===> Running Common Test suites...",
        "%%% cache_SUITE: ..F.F",
        "%%% cache_SUITE ==> eviction.evicts_oldest: FAILED",
        "%%% cache_SUITE ==> {badmatch,[]}",
        "%%% cache_SUITE ==> ttl_expires: FAILED",
        "%%% cache_SUITE ==> ",
        "Failure/Error: ?assertEqual(undefined, cache:get(k))",
        "  expected: undefined",
        '       got: <<"v">>',
        "      line: 57",
        "",
        "Failed 2 tests. Passed 3 tests.",
        'Results written to "/home/runner/work/cache/cache/_build/test/logs/index.html".',
        "===> Failures occurred running tests: 2",
    ]
    diagnosis = diagnose(actions_job("rebar3 ct", lines))
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule == "common-test-failed"
    assert diagnosis.failing_tests == [
        "cache_SUITE:eviction.evicts_oldest",
        "cache_SUITE:ttl_expires",
    ]
    first, second = diagnosis.failures
    assert first.message == "{badmatch,[]}"
    assert second.message is not None
    assert second.message.startswith("Failure/Error: ?assertEqual(undefined, cache:get(k))")
    assert 'got: <<"v">>' in second.message


def test_rebar3_summary_with_skips_alone_is_a_test_failure() -> None:
    """Without the cth_readable hook (no ``%%%`` lines) rebar3's own summary still says the
    run had failures: ``Failed N tests. Skipped S (U, A) tests. Passed P tests. ``."""
    lines = [
        "===> Running Common Test suites...",
        "Failed 1 tests. Skipped 2 (0, 2) tests. Passed 9 tests. ",
        "===> Failures occurred running tests: 1",
    ]
    diagnosis = diagnose(actions_job("rebar3 ct", lines))
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule == "common-test-failed"
    assert any(k.text.startswith("Failed 1 tests. Skipped 2") for k in diagnosis.key_lines)


def test_a_passing_common_test_run_is_not_a_test_failure() -> None:
    lines = [
        "Testing acme.store_SUITE: TEST COMPLETE, 7 ok, 0 failed of 7 test cases",
        "Testing acme.auth_SUITE: *** SKIPPED {auth_SUITE,init_per_suite} ***",
        "ERROR: coverage below threshold",
    ]
    diagnosis = diagnose(travis_job("make ct", lines))
    assert diagnosis.rule != "common-test-failed"
    assert diagnosis.failing_tests == []


# ---- GHC ------------------------------------------------------------------------------------

_CABAL = "cabal build -v2 -j2"


def test_ghc_7_warning_failing_due_to_werror() -> None:
    lines = [
        "[ 15 of 147] Compiling Text.Doc.Readers.Util ( src/Text/Doc/Readers/Util.hs, dist/build/Text/Doc/Readers/Util.o )",
        "[ 16 of 147] Compiling Text.Doc.Notebook ( src/Text/Doc/Notebook.hs, dist/build/Text/Doc/Notebook.o )",
        "",
        "src/Text/Doc/Notebook.hs:94:10: Warning:",
        "    No explicit implementation for",
        "      ‘mappend’",
        "    In the instance declaration for ‘Monoid (Notebook a)’",
        "",
        "<no location info>: ",
        "Failing due to -Werror.",
        "[ 17 of 147] Compiling Text.Doc.Slides ( src/Text/Doc/Slides.hs, dist/build/Text/Doc/Slides.o )",
    ]
    diagnosis = diagnose(travis_job(_CABAL, lines))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "ghc-werror"
    texts = [k.text for k in diagnosis.key_lines]
    assert texts[0] == "src/Text/Doc/Notebook.hs:94:10: Warning:"
    assert "Failing due to -Werror." in texts


def test_ghc_8_warning_then_error_failing_due_to_werror() -> None:
    lines = [
        "src/Lib/Parse.hs:3:1: warning: [-Wunused-imports]",
        "    The import of ‘Data.List’ is redundant",
        "<no location info>: error: ",
        "    Failing due to -Werror.",
    ]
    diagnosis = diagnose(actions_job("stack build --ghc-options=-Werror", lines))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "ghc-werror"
    assert any("Parse.hs:3:1: warning: [-Wunused-imports]" in k.text for k in diagnosis.key_lines)


def test_ghc_8_4_and_9_print_the_promoted_warning_as_an_error() -> None:
    for line in (
        "src/Lib/Parse.hs:3:1: error: [-Wunused-imports, -Werror=unused-imports]",
        "src/Lib/Parse.hs:3:1: error: [GHC-66111] [-Wunused-imports, Werror=unused-imports]",
    ):
        diagnosis = diagnose(
            actions_job("cabal build", [line, "    The import of ‘Data.List’ is redundant"])
        )
        assert diagnosis.category == "build"
        assert diagnosis.rule == "ghc-werror"
        assert diagnosis.key_lines[0].text == line


def test_ghc_7_error_header_without_an_error_word() -> None:
    lines = [
        "[3 of 9] Compiling Lib.Eval ( src/Lib/Eval.hs, dist/build/Lib/Eval.o )",
        "",
        "src/Lib/Eval.hs:41:13:",
        "    Not in scope: ‘evalExpr’",
        "    Perhaps you meant ‘evalExprs’ (line 52)",
    ]
    diagnosis = diagnose(travis_job("cabal build", lines))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "ghc-compile-error"
    assert diagnosis.key_lines[0].text == "src/Lib/Eval.hs:41:13:"


def test_stack_2_package_prefix_on_ghc_errors_and_promoted_warnings() -> None:
    """stack 2 prefixes every line of a package's build with ``name> `` (padded)."""
    error = "mylib      > /home/runner/work/mylib/mylib/src/Lib/Parse.hs:14:5: error:"
    lines = [
        "mylib      > [2 of 3] Compiling Lib.Parse",
        error,
        "mylib      >     • Variable not in scope: tokenize :: String -> [Token]",
    ]
    diagnosis = diagnose(actions_job("stack build", lines))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "ghc-compile-error"
    assert diagnosis.key_lines[0].text == error
    werror = "mylib      > src/Lib/Parse.hs:3:1: error: [-Wunused-imports, -Werror=unused-imports]"
    diagnosis = diagnose(actions_job("stack build --pedantic", [werror]))
    assert diagnosis.rule == "ghc-werror"


def test_ghc_warnings_do_not_hide_failing_tests() -> None:
    lines = [
        "src/Lib/Parse.hs:3:1: warning: [-Wunused-imports]",
        "    The import of ‘Data.List’ is redundant",
        "Running 1 test suites...",
        "  parser",
        "    parses empty input: FAIL (0.01s)",
        "      expected: []",
        '       but got: [""]',
        "1 out of 12 tests failed (0.10s)",
    ]
    diagnosis = diagnose(actions_job("stack test", lines))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["parses empty input"]


# ---- a build check that asks to commit what the build generated -----------------------------


def test_please_commit_all_changes_generated_by_building() -> None:
    lines = [
        "yarn run v1.3.2",
        "$ gulp && git status | grep 'working directory clean' >/dev/null || (echo 'Please commit all changes generated by building'; exit 1)",
        "[09:04:12] Finished 'default' after 1.81 s",
        "Please commit all changes generated by building",
        "error Command failed with exit code 1.",
    ]
    diagnosis = diagnose(travis_job("yarn test", lines))
    assert diagnosis.category == "format"
    assert diagnosis.rule == "generated-files-stale"
    assert "Please commit all changes generated by building" in [
        k.text for k in diagnosis.key_lines
    ]


def test_please_commit_the_generated_files() -> None:
    lines = ["Running protoc...", "Please commit the regenerated files in api/gen/."]
    diagnosis = diagnose(actions_job("make check-generated", lines))
    assert diagnosis.category == "format"
    assert diagnosis.rule == "generated-files-stale"


def test_gits_own_please_commit_your_changes_is_not_a_generated_files_check() -> None:
    lines = [
        "error: Your local changes to the following files would be overwritten by checkout:",
        "\tpackage-lock.json",
        "Please commit your changes or stash them before you switch branches.",
        "Aborting",
    ]
    diagnosis = diagnose(travis_job("git checkout release", lines))
    assert diagnosis.rule != "generated-files-stale"


# ---- freeCodeCamp's guide formatting check ----------------------------------------------------


def test_guide_folder_name_rejected_by_the_formatting_check() -> None:
    lines = [
        "> node ./tools/scripts/ci/ensure-guide-formatting.js",
        "- Checking guide markdown formatting",
        "Error: ",
        "Invalid or upper case character found in 'Tower Of Hanoi', please use '-' for spaces",
        "and all folder names must be lower case. Valid characters are [a-z0-9\\-.].",
        "",
        "  Found in:",
        "    /home/runner/build/org/site/guide/english/algorithms/Tower Of Hanoi",
        "",
        "    at Promise (/home/runner/build/org/site/tools/scripts/ci/md-testing-utils.js:42:9)",
        "npm ERR! code ELIFECYCLE",
        'ERROR: "test:guide-formatting" exited with 1.',
        "npm ERR! Test failed.  See above for more details.",
    ]
    diagnosis = diagnose(travis_job("npm test", lines))
    assert diagnosis.category == "lint"
    assert diagnosis.rule == "fcc-guide-format"
    assert any(
        k.text.startswith("Invalid or upper case character found in 'Tower Of Hanoi'")
        and k.rule == "fcc-guide-format"
        for k in diagnosis.key_lines
    )


def test_guide_file_name_that_is_not_index_md() -> None:
    lines = [
        "Error: README.md is not a valid file name, please use 'index.md'",
        "",
        "      Found in:",
        "        /home/runner/build/org/site/guide/english/css/README.md",
    ]
    diagnosis = diagnose(travis_job("npm run test:guide-formatting", lines))
    assert diagnosis.category == "lint"
    assert diagnosis.rule == "fcc-guide-format"
