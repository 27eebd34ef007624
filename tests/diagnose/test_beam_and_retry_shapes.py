# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from whole published CI logs (batch 5, p11pd): Erlang/Elixir compiler errors,
mocha's pre-v6 time-out wording, and a wget download that recovered on its own retry.

Each snippet is written in the shape the tool prints and asserts what a maintainer would
name as the cause.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.extractors import relative_path
from tests.diagnose.joblogs import actions_job


def _rules(d: object) -> set[str]:
    return {k.rule for k in d.key_lines}  # type: ignore[attr-defined]


def test_erlc_error_without_the_word_error_is_a_build_failure_and_its_key_line() -> None:
    d = diagnose(
        actions_job(
            "rebar3 compile",
            [
                "===> Compiling app",
                "src/app_server.erl:14:5: Warning: variable 'State' is unused",
                "src/app_server.erl:42:9: function handle_call/4 undefined",
                "src/app_server.erl:57: variable 'Reply' is unbound",
                "make: *** [all] Error 1",
            ],
        )
    )
    assert d.category == "build"
    assert d.key_lines[0].text == "src/app_server.erl:42:9: function handle_call/4 undefined"
    assert not any("Warning:" in k.text for k in d.key_lines if k.rule == "beam-compile-error")


def test_erlc_warnings_alone_do_not_fire_the_compile_error_rule() -> None:
    d = diagnose(
        actions_job(
            "erlc -o ebin src/*.erl",
            [
                "src/a.erl:3: Warning: function helper/0 is unused",
                "src/b.erl:9: Warning: export_all flag enabled",
            ],
        )
    )
    assert "beam-compile-error" not in _rules(d)


def test_mix_compile_error_names_the_exception_line() -> None:
    d = diagnose(
        actions_job(
            "mix test",
            [
                "Compiling 12 files (.ex)",
                "== Compilation error in file lib/shop/cart.ex ==",
                "** (CompileError) lib/shop/cart.ex:31: undefined function total/2 (expected Shop.Cart to define such a function or for it to be imported, but none are available)",
                "    (elixir 1.15.7) lib/kernel/parallel_compiler.ex:377: anonymous fn/5 in Kernel.ParallelCompiler.spawn_workers/8",
            ],
        )
    )
    assert d.category == "build"
    assert any(k.text.startswith("** (CompileError) lib/shop/cart.ex:31:") for k in d.key_lines)


def test_old_mocha_lower_case_timeout_is_a_timeout() -> None:
    d = diagnose(
        actions_job(
            "npm test",
            [
                "  client",
                "    ✓ connects",
                "    1) reconnects after a drop",
                "",
                "  1 passing (2s)",
                "  1 failing",
                "",
                "  1) client reconnects after a drop:",
                "     Error: timeout of 2000ms exceeded. Ensure the done() callback is being called in this test.",
            ],
        )
    )
    assert d.category == "timeout"
    assert d.failing_tests == ["client reconnects after a drop"]


WGET_RETRY = [
    "--2019-08-15 08:35:35--  https://example.org/builds/otp.tar.gz",
    "HTTP request sent, awaiting response... 200 OK",
    "2019-08-15 08:35:35 (9.84 MB/s) - Read error at byte 1886964/56182363 (Connection reset by peer). Retrying.",
    "--2019-08-15 08:35:36--  (try: 2)  https://example.org/builds/otp.tar.gz",
    "HTTP request sent, awaiting response... 206 Partial Content",
]
WGET_SAVED = "2019-08-15 08:35:37 (71.5 MB/s) - ‘otp.tar.gz’ saved [56182363/56182363]"
LATER_FAILURE = [
    "ERROR: ld.so: object 'libfoo.so' cannot be preloaded",
    "app.c:12:5: error: 'count' undeclared (first use in this function)",
    "make: *** [app.o] Error 1",
]


def test_a_wget_read_error_it_recovered_from_is_not_the_cause() -> None:
    d = diagnose(actions_job("ci/build.sh", [*WGET_RETRY, WGET_SAVED, *LATER_FAILURE]))
    assert d.category == "build"
    assert not any(
        "Connection reset by peer" in k.text for k in d.key_lines if k.rule == "network-error"
    )


def test_a_wget_read_error_never_saved_stays_a_network_failure() -> None:
    d = diagnose(actions_job("ci/build.sh", [*WGET_RETRY, "Giving up."]))
    assert d.category == "infra_network"


def test_travis_checkout_prefix_is_dropped_from_locations() -> None:
    assert relative_path("/home/travis/build/composer/composer/tests/InstallerTest.php") == (
        "tests/InstallerTest.php"
    )
    assert relative_path("/Users/travis/build/pester/Pester/src/Main.ps1") == "src/Main.ps1"
    # a path under a home that is not a checkout keeps its shape
    assert relative_path("/home/travis/.rvm/gems/x.rb") == "/home/travis/.rvm/gems/x.rb"


def test_phpunit_location_under_a_travis_checkout_is_repository_relative() -> None:
    d = diagnose(
        actions_job(
            "vendor/bin/phpunit",
            [
                "PHPUnit 7.5.1 by Sebastian Bergmann and contributors.",
                "",
                "F.                                                                  2 / 2 (100%)",
                "",
                "There was 1 failure:",
                "",
                "1) Inflector_helper_test::test_plural",
                "Failed asserting that two strings are equal.",
                "",
                "/home/travis/build/acme/shop/tests/helpers/inflector_helper_test.php:43",
                "",
                "FAILURES!",
                "Tests: 2, Assertions: 4, Failures: 1.",
            ],
        )
    )
    assert d.failures[0].location == "tests/helpers/inflector_helper_test.php:43"


def test_surefire_2_unprefixed_report_names_tests_messages_and_lines() -> None:
    d = diagnose(
        actions_job(
            "mvn test -B",
            [
                "-------------------------------------------------------",
                " T E S T S",
                "-------------------------------------------------------",
                "Running com.acme.PriceTest",
                "Tests run: 4, Failures: 1, Errors: 1, Skipped: 0, Time elapsed: 0.05 sec <<< FAILURE!",
                "roundsHalfUp(com.acme.PriceTest)  Time elapsed: 0.004 sec  <<< FAILURE!",
                "java.lang.AssertionError: expected:<3> but was:<2>",
                "\tat org.junit.Assert.fail(Assert.java:88)",
                "\tat com.acme.PriceTest.roundsHalfUp(PriceTest.java:21)",
                "",
                "parsesEmpty(com.acme.PriceTest)  Time elapsed: 0.001 sec  <<< ERROR!",
                "java.lang.NullPointerException",
                "\tat com.acme.Price.parse(Price.java:9)",
                "\tat com.acme.PriceTest.parsesEmpty(PriceTest.java:30)",
                "",
                "Results :",
                "",
                "Failed tests:   roundsHalfUp(com.acme.PriceTest): expected:<3> but was:<2>",
                "Tests in error: ",
                "  parsesEmpty(com.acme.PriceTest)",
                "",
                "Tests run: 4, Failures: 1, Errors: 1, Skipped: 0",
                "[INFO] BUILD FAILURE",
                "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:2.12.4:test (default-test) on project acme: There are test failures.",
            ],
        )
    )
    assert d.category == "test_failure"
    assert d.failing_tests == [
        "roundsHalfUp(com.acme.PriceTest)",
        "parsesEmpty(com.acme.PriceTest)",
    ]
    assert [(f.message, f.location) for f in d.failures] == [
        ("java.lang.AssertionError: expected:<3> but was:<2>", "PriceTest.java:21"),
        ("java.lang.NullPointerException", "PriceTest.java:30"),
    ]


def test_go_before_1_14_tab_indented_t_error_is_the_message() -> None:
    d = diagnose(
        actions_job(
            "go test ./...",
            [
                "ok  \texample.com/app/params\t0.025s",
                "--- FAIL: TestClientNotificationStorm (2.63s)",
                "\tclient_test.go:378: didn't get expected error",
                "FAIL",
                "FAIL\texample.com/app/rpc\t9.580s",
            ],
        )
    )
    assert d.failing_tests == ["TestClientNotificationStorm"]
    assert d.failures[0].message == "client_test.go:378: didn't get expected error"
    assert d.failures[0].location is not None
    assert d.failures[0].location.endswith("client_test.go:378")


SBT_ATTEMPT = [
    "[info] PriceSpec:",
    "[info] - rounds half up *** FAILED ***",
    "[info]   2 did not equal 3 (PriceSpec.scala:{line})",
    "[info] - parses empty input",
    "[info] Tests: succeeded 1, failed 1, canceled 0, ignored 0, pending 0",
    "[info] *** 1 TEST FAILED ***",
    "[error] Failed: Total 2, Failed 1, Errors 0, Passed 1",
    "[error] Failed tests:",
    "[error] \tcom.acme.PriceSpec",
    "[error] (core / Test / test) sbt.TestsFailedException: Tests unsuccessful",
]


def test_sbt_scalatest_names_the_failed_suite_with_its_message() -> None:
    d = diagnose(actions_job("sbt test", [line.replace("{line}", "21") for line in SBT_ATTEMPT]))
    assert d.category == "test_failure"
    assert d.failing_tests == ["com.acme.PriceSpec"]
    assert (d.failures[0].message, d.failures[0].location) == (
        "2 did not equal 3",
        "PriceSpec.scala:21",
    )


def test_sbt_retried_run_keeps_the_last_attempts_message() -> None:
    first = [line.replace("{line}", "21") for line in SBT_ATTEMPT]
    last = [line.replace("{line}", "34").replace("2 did not", "5 did not") for line in SBT_ATTEMPT]
    d = diagnose(actions_job("travis_retry sbt test", [*first, *last]))
    assert d.failing_tests == ["com.acme.PriceSpec"]
    assert (d.failures[0].message, d.failures[0].location) == (
        "5 did not equal 3",
        "PriceSpec.scala:34",
    )


def test_prove_names_failed_files_with_their_first_diagnostic() -> None:
    d = diagnose(
        actions_job(
            "prove -l t",
            [
                "t/api.t ...... ",
                "#   Failed test 'parses the header'",
                "#   at t/api.t line 12.",
                "#          got: 'a'",
                "#     expected: 'b'",
                "# Looks like you failed 1 test of 3.",
                "t/api.t ...... Dubious, test returned 1 (wstat 256, 0x100)",
                "Failed 1/3 subtests ",
                "t/db.t ....... Can't locate DBI.pm in @INC (you may need to install the DBI module) at t/db.t line 3.",
                "t/db.t ....... Dubious, test returned 2 (wstat 512, 0x200)",
                "No subtests run ",
                "t/util.t ..... ok",
                "",
                "Test Summary Report",
                "-------------------",
                "t/api.t  (Wstat: 256 Tests: 3 Failed: 1)",
                "  Failed test:  2",
                "  Non-zero exit status: 1",
                "t/db.t   (Wstat: 512 Tests: 0 Failed: 0)",
                "  Non-zero exit status: 2",
                "  Parse errors: No plan found in TAP output",
                "Files=3, Tests=7,  0 wallclock secs",
                "Result: FAIL",
            ],
        )
    )
    assert d.failing_tests == ["t/api.t", "t/db.t"]
    assert [(f.message, f.location) for f in d.failures] == [
        ("Failed test 'parses the header'", "t/api.t:12"),
        (
            "Can't locate DBI.pm in @INC (you may need to install the DBI module) at t/db.t line 3.",
            "t/db.t:3",
        ),
    ]


def test_prove_file_that_dies_on_a_connect_timeout_is_infrastructure() -> None:
    d = diagnose(
        actions_job(
            "make test",
            [
                "t/https.t ........ Connection error: Connect timeout at t/https.t line 17.",
                "# Looks like your test exited with 115 before it could output anything.",
                "t/https.t ........ Dubious, test returned 115 (wstat 29440, 0x7300)",
                "Test Summary Report",
                "-------------------",
                "t/https.t      (Wstat: 29440 Tests: 0 Failed: 0)",
                "  Non-zero exit status: 115",
                "Result: FAIL",
            ],
        )
    )
    assert d.failing_tests == ["t/https.t"]
    assert d.category == "infra_network"
