"""Shapes from batch 12, helper b12D1 (whole Travis CI job logs): xUnit.net's v1 console
runner and the VSTest adapter's copy of xUnit.net's report, the last redraw of an over-long
``\\r`` progress line, and Bitcoin Core's test/lint suite (whose footer names a script, not
the problem).

Each snippet is written in the shape the tool prints and asserts what a maintainer would
name as the cause; the near-misses must not be read as that tool's.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.extractors import extract_failures
from bot.diagnose.progress import line_slice
from tests.diagnose.joblogs import actions_job, travis_job

_V1_BANNER = [
    "xUnit.net console test runner (64-bit .NET 4.0.30319.17020)",
    "Copyright (C) 2007-10 Microsoft Corporation.",
    "",
    "xunit.dll:     Version 1.9.1.1600",
    "Test assembly: /home/runner/build/acme/shop/src/Shop.Tests/bin/Release/Shop.Tests.dll",
    "",
]


def _progress(done: int, total: int) -> str:
    """xUnit.net v1's progress: one line redrawn with CR after each test (grey)."""
    return "".join(
        f"\x1b[90m\rTests complete: {i} of {total}\x1b[39;49m" for i in range(1, done + 1)
    )


def test_xunit_v1_failure_after_a_long_progress_line_is_found() -> None:
    # the failed test's name comes after ~50 KB of redraws on the same line
    header = _progress(1500, 1549) + "\r\x1b[91mShop.Tests.CartFixture.Should_total_prices [FAIL]"
    assert len(header) > 40_000
    lines = [
        *_V1_BANNER,
        header,
        "\x1b[39;49m   Xunit.Sdk.EqualException : Assert.Equal() Failure",
        "   Expected: 3",
        "   Actual:   2",
        "\x1b[90m   Stack Trace:",
        "\x1b[39;49m     at Shop.Tests.CartFixture.Should_total_prices () [0x00012] in "
        "/home/runner/build/acme/shop/src/Shop.Tests/CartFixture.cs:42 ",
        "",
        _progress(20, 1549) + "\r1549 total, 1 failed, 0 skipped, took 32.006 seconds",
        "rake aborted!",
        "XUnit Failed. See Build Log For Detail",
    ]
    d = diagnose(travis_job("./travis.sh", lines))
    assert d.category == "test_failure"
    assert d.rule == "xunit-failed"
    assert d.failing_tests == ["Shop.Tests.CartFixture.Should_total_prices"]
    failure = d.failures[0]
    assert failure.message is not None
    assert failure.message.startswith("Xunit.Sdk.EqualException : Assert.Equal() Failure")
    assert failure.location == "src/Shop.Tests/CartFixture.cs:42"
    assert d.key_lines[0].rule == "failure"


def test_xunit_v1_silent_run_names_the_test_at_the_start_of_the_line() -> None:
    lines = [
        *_V1_BANNER,
        "Nancy.Tests.Unit.Routing.RouteFixture.Should_route [FAIL]",
        "   Microsoft.CSharp.RuntimeBinder.RuntimeBinderException : Operator `!=' cannot be "
        "applied to operands of type `Nancy.Tests.Fakes.StructModel' and `null'",
        "   Stack Trace:",
        "      at Nancy.Routing.DefaultRouteInvoker.Invoke () [0x00000] in <filename unknown>:0 ",
        "",
        "Nancy.Tests.Unit.Routing.RouteFixture.Should_skip [SKIP]",
        "   not on Mono",
        "",
        "146 total, 1 failed, 1 skipped, took 4.120 seconds",
    ]
    failures = extract_failures(lines)
    assert [f.test for f in failures] == ["Nancy.Tests.Unit.Routing.RouteFixture.Should_route"]
    assert failures[0].message is not None
    assert failures[0].message.startswith("Microsoft.CSharp.RuntimeBinder.RuntimeBinderException")
    assert failures[0].location is None  # Mono did not know the file


def test_a_fail_mark_at_the_start_of_a_line_without_the_xunit_banner_is_not_a_test() -> None:
    # a shell script's own check report: not xUnit.net's, so no test is named
    lines = [
        "Checking ./scripts/deploy.sh [FAIL]",
        "   missing executable bit",
        "Checking ./scripts/build.sh [OK]",
    ]
    assert extract_failures(lines) == []
    d = diagnose(travis_job("./check.sh", lines))
    assert d.failing_tests == []
    assert d.rule != "xunit-failed"


def test_xunit_v1_summary_without_failures_is_not_a_failure() -> None:
    d = diagnose(
        travis_job(
            "./travis.sh", [*_V1_BANNER, "18 total, 0 failed, 0 skipped, took 0.631 seconds"]
        )
    )
    assert d.rule != "xunit-failed"


def test_xunit_report_under_dotnet_test_with_the_adapter_prefix() -> None:
    lines = [
        "[xUnit.net 00:00:00.00] xUnit.net VSTest Adapter v2.4.3+1b45f5407b (64-bit .NET 6.0.1)",
        "[xUnit.net 00:00:00.41]   Starting:    Shop.Tests",
        "[xUnit.net 00:00:00.93]     Shop.Tests.CartTests.Totals_prices [FAIL]",
        "[xUnit.net 00:00:00.93]       Assert.Equal() Failure",
        "[xUnit.net 00:00:00.93]       Expected: 3",
        "[xUnit.net 00:00:00.93]       Actual:   2",
        "[xUnit.net 00:00:00.93]       Stack Trace:",
        "[xUnit.net 00:00:00.93]         /home/runner/work/shop/shop/tests/Shop.Tests/"
        "CartTests.cs(21,0): at Shop.Tests.CartTests.Totals_prices()",
        "[xUnit.net 00:00:01.02]   Finished:    Shop.Tests",
    ]
    d = diagnose(actions_job("dotnet test --no-build", lines))
    assert d.category == "test_failure"
    assert d.rule == "xunit-failed"
    assert d.failing_tests == ["Shop.Tests.CartTests.Totals_prices"]
    assert d.failures[0].message == "Assert.Equal() Failure Expected: 3 Actual: 2"
    assert d.failures[0].location == "tests/Shop.Tests/CartTests.cs:21"


def test_line_slice_keeps_the_last_redraw_of_an_over_long_progress_line() -> None:
    line = b"Downloading 1%\r" + b"Downloading 2%\r" * 5000 + b"error: checksum mismatch\r\r\n"
    data = b"before\n" + line + b"after\n"
    start = data.index(b"Downloading")
    end = data.index(b"\nafter")
    assert line_slice(data, start, end, 4096) == b"error: checksum mismatch"


def test_line_slice_keeps_short_lines_and_the_head_of_long_lines_without_cr() -> None:
    data = b"short line\r\n" + b"x" * 10_000 + b"\n"
    assert line_slice(data, 0, 11, 4096) == b"short line\r"
    long_start = 12
    assert line_slice(data, long_start, len(data) - 1, 4096) == b"x" * 4096


_INCLUDE_GUARD = [
    "Args used        : 175",
    "Args undocumented: 0",
    "* Checking consistency between dispatch tables and vRPCConvertParams",
    "src/test/test_framework/util.h seems to be missing the expected include guard:",
    "  #ifndef BITCOIN_TEST_TEST_FRAMEWORK_UTIL_H",
    "  #define BITCOIN_TEST_TEST_FRAMEWORK_UTIL_H",
    "  ...",
    "  #endif // BITCOIN_TEST_TEST_FRAMEWORK_UTIL_H",
    "",
    "^---- failure generated from test/lint/lint-include-guards.sh",
    "src/netbase.cpp:608: thru  ==> through",
    "^ Warning: codespell identified likely spelling errors.",
]


def test_bitcoin_lint_names_the_scripts_own_finding_not_only_the_footer() -> None:
    d = diagnose(travis_job("set -o errexit; source .travis/lint_06_script.sh", _INCLUDE_GUARD))
    assert d.category == "lint"
    assert d.rule == "bitcoin-lint-script"
    texts = [k.text for k in d.key_lines]
    assert "src/test/test_framework/util.h seems to be missing the expected include guard:" in texts
    assert texts.index(
        "src/test/test_framework/util.h seems to be missing the expected include guard:"
    ) < texts.index("^---- failure generated from test/lint/lint-include-guards.sh")
    assert d.failing_tests == []


def test_bitcoin_lint_parallel_runner_footer_and_other_scripts_findings() -> None:
    lines = [
        "Duplicate include(s) in src/net.h:",
        "#include <sync.h>",
        "",
        'A new circular dependency in the form of "wallet/fees -> wallet/wallet -> wallet/fees" '
        "appears to have been introduced.",
        "",
        "^---- failure generated",
        "Seq Host Starttime JobRuntime Send Receive Exitval Signal Command",
    ]
    d = diagnose(travis_job("test/lint/lint-all.sh", lines))
    assert d.category == "lint"
    assert d.rule == "bitcoin-lint-script"
    texts = [k.text for k in d.key_lines]
    assert "Duplicate include(s) in src/net.h:" in texts
    assert any(t.startswith("A new circular dependency in the form of") for t in texts)


def test_bitcoin_lint_rust_runner_footer() -> None:
    lines = [
        "^^^",
        "The locale dependent function fprintf(...) appears to be used:",
        'src/bitcoin-cli.cpp:                fprintf(stderr, "RPC password> ");',
        "^---- ⚠️ Failure generated from lint check 'locale' (Check that no locale "
        "dependent functions are used)!",
    ]
    d = diagnose(actions_job("./ci/lint/06_script.sh", lines))
    assert d.category == "lint"
    assert d.rule == "bitcoin-lint-script"
    assert any(
        k.text == "The locale dependent function fprintf(...) appears to be used:"
        for k in d.key_lines
    )


def test_a_lint_like_sentence_without_the_lint_runners_footer_is_not_bitcoins() -> None:
    # the same sentence printed by some other script: no lint-all footer, no match
    lines = [
        "src/x.h seems to be missing the expected include guard:",
        "  #ifndef X_H",
        "Error: checks failed",
    ]
    d = diagnose(travis_job("./check.sh", lines))
    assert d.rule != "bitcoin-lint-script"
