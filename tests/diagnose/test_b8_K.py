# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 8, collection K (whole Travis CI job logs of Haskell, Elixir, Swift,
Clojure, HTML and CSS projects): test reports of ExUnit (``mix test``), tasty (``cabal
test``/``stack test``) and XCTest through xcodebuild and xcpretty, which named no failing
test before, a test whose process crashed, and tasty's lines for tests that passed.

Each snippet is written in the shape the tool prints and asserts what a maintainer would
name: the category, the failing tests with their own message and location, the key line.
"""

from __future__ import annotations

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.extractors import extract_failures
from bot.diagnose.scorer import error_score
from tests.diagnose.joblogs import travis_job

# ---- ExUnit -----------------------------------------------------------------------------------

EXUNIT = [
    "Compiling 12 files (.ex)",
    "Generated shop app",
    "...........",
    "",
    "  1) test totals include tax (Shop.CartTest)",
    "     test/shop/cart_test.exs:21",
    "     Assertion with == failed",
    "     code:  assert Cart.total(cart) == 110",
    "     left:  100",
    "     right: 110",
    "     stacktrace:",
    "       test/shop/cart_test.exs:24: (test)",
    "",
    "....",
    "",
    "  2) test describe checkout rejects an empty cart (Shop.CheckoutTest)",
    "     test/shop/checkout_test.exs:8",
    "     ** (KeyError) key :items not found in: %{}",
    "     stacktrace:",
    "       lib/shop/checkout.ex:14: Shop.Checkout.run/1",
    "       test/shop/checkout_test.exs:9: (test)",
    "",
    "  3) doctest Shop.Price.round/1 (1) (Shop.PriceTest)",
    "     test/shop/price_test.exs:3",
    "     Doctest failed",
    "     doctest:",
    "       iex> Shop.Price.round(1.005)",
    "       1.01",
    "     code:  Shop.Price.round(1.005) === 1.01",
    "     left:  1.0",
    "     stacktrace:",
    "       lib/shop/price.ex:7: Shop.Price (module)",
    "",
    "",
    "Finished in 0.4 seconds",
    "2 doctests, 15 tests, 3 failures",
    "",
    "Randomized with seed 4242",
]


def test_exunit_failures_are_named_with_message_and_location() -> None:
    diagnosis = diagnose(travis_job("mix test", EXUNIT))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == [
        "test totals include tax (Shop.CartTest)",
        "test describe checkout rejects an empty cart (Shop.CheckoutTest)",
        "doctest Shop.Price.round/1 (1) (Shop.PriceTest)",
    ]
    by_test = {f.test: f for f in diagnosis.failures}
    first = by_test["test totals include tax (Shop.CartTest)"]
    assert (first.message, first.location) == (
        "Assertion with == failed",
        "test/shop/cart_test.exs:21",
    )
    second = by_test["test describe checkout rejects an empty cart (Shop.CheckoutTest)"]
    assert second.message == "** (KeyError) key :items not found in: %{}"
    assert second.location == "test/shop/checkout_test.exs:8"
    assert by_test["doctest Shop.Price.round/1 (1) (Shop.PriceTest)"].message == "Doctest failed"
    assert "Assertion with == failed" in diagnosis.key_lines[0].text


def test_exunit_summary_alone_is_a_test_failure() -> None:
    """Without the blocks (a log cut short), the summary still says tests failed."""
    diagnosis = diagnose(
        travis_job("mix test", ["Finished in 2.1 seconds", "1 property, 40 tests, 2 failures"])
    )
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule == "exunit-failed"


def test_exunit_passing_summary_is_not_a_failure() -> None:
    lines = [
        "Finished in 2.1 seconds",
        "17 doctests, 659 tests, 0 failures",
        "bin/ci: deploy step failed",
    ]
    assert diagnose(travis_job("mix test && bin/ci", lines)).rule != "exunit-failed"


# ---- tasty ------------------------------------------------------------------------------------

TASTY = [
    "Test suite spec: RUNNING...",
    "Tests",
    "  Parser",
    "    numbers:                          OK (0.01s)",
    "    strings should parse without error:  OK",
    "    golden",
    "      tables:                         FAIL (0.06s)",
    "        ",
    "        ----------------------------------------------------------",
    "        --- tables.expected",
    "        +++ tables.actual",
    "        -  3 </table>",
    "        +  3 </table",
    "        ----------------------------------------------------------",
    "      lists:                          OK (0.02s)",
    "  Printer",
    "    round trip:                       FAIL",
    "      *** Failed! Falsified (after 3 tests):",
    '      "a\\nb"',
    "      Use --quickcheck-replay=123 to reproduce.",
    "    empty input:                      FAIL",
    "  Errors",
    "    reports the line of a parse error: OK",
    "",
    "3 out of 7 tests failed (0.31s)",
    "Test suite spec: FAIL",
]


def test_tasty_failing_leaves_are_named_with_their_message() -> None:
    diagnosis = diagnose(travis_job("cabal test", TASTY))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["tables", "round trip", "empty input"]
    by_test = {f.test: f for f in diagnosis.failures}
    assert by_test["tables"].message == "--- tables.expected"  # the diff's rule is skipped
    assert by_test["round trip"].message == "*** Failed! Falsified (after 3 tests):"
    assert by_test["empty input"].message is None  # the next leaf is not its message
    texts = [k.text for k in diagnosis.key_lines]
    assert any("tables:" in t and "FAIL (0.06s)" in t for t in texts)


def test_tasty_run_summary_is_a_test_failure() -> None:
    diagnosis = diagnose(travis_job("stack test", ["1 out of 2042 tests failed (40.62s)"]))
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule == "tasty-failed"


@pytest.mark.parametrize(
    "line",
    [
        "      '1110.purs' should compile and run without error:                    OK (0.17s)",
        "    informative error messages:                                      OK",
    ],
)
def test_tasty_passing_leaf_is_never_an_error_line(line: str) -> None:
    assert error_score(line) == 0


def test_tasty_failing_leaf_still_scores() -> None:
    assert error_score("    reports a parse error:              FAIL (0.02s)") > 1


# ---- XCTest through xcodebuild and xcpretty ---------------------------------------------------

XCODE_CRASH = [
    "All tests",
    "Test Suite Network Tests.xctest started",
    "SessionTestCase",
    "    ✓ testDefaultHeaders (0.004 seconds)",
    "    ✗ testSynchronousRequest, Test crashed",
    "Selected tests",
    "Test Suite Network Tests.xctest started",
    "SessionTestCase",
    "    ✓ testTimeout (0.120 seconds)",
    "",
    "\t Executed 212 tests, with 1 failure (0 unexpected) in 8.113 (8.640) seconds",
    "",
    "Failing tests:",
    "\tNetwork Tests:",
    "\t\tSessionTestCase.testSynchronousRequest()",
    "",
    "** TEST FAILED **",
]


def test_xctest_crash_is_a_crash_of_the_named_test() -> None:
    diagnosis = diagnose(
        travis_job("xcodebuild -scheme Network test | xcpretty", XCODE_CRASH, code=65)
    )
    assert diagnosis.category == "segfault"
    assert diagnosis.failing_tests == ["SessionTestCase.testSynchronousRequest()"]
    assert diagnosis.failures[0].message == "Test crashed"
    assert "testSynchronousRequest, Test crashed" in diagnosis.key_lines[0].text


def test_xctest_assertion_is_a_test_failure() -> None:
    lines = [
        "ParserTests",
        '    ✗ testEmptyInput, XCTAssertEqual failed: ("0") is not equal to ("1")',
        "    ✓ testNumbers (0.001 seconds)",
        "\t Executed 40 tests, with 1 failure (0 unexpected) in 0.210 (0.230) seconds",
        "Failing tests:",
        "\tParser Tests:",
        "\t\tParserTests.testEmptyInput()",
        "** TEST FAILED **",
    ]
    diagnosis = diagnose(travis_job("xcodebuild test | xcpretty", lines, code=65))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["ParserTests.testEmptyInput()"]
    assert diagnosis.failures[0].message == 'XCTAssertEqual failed: ("0") is not equal to ("1")'


def test_xcpretty_without_the_list_names_the_methods() -> None:
    failures = extract_failures(["    ✗ testEmptyInput, XCTAssertTrue failed"])
    assert [(f.test, f.message) for f in failures] == [("testEmptyInput", "XCTAssertTrue failed")]


def test_xcodebuild_restart_after_a_crash_is_a_crash() -> None:
    lines = [
        "Restarting after unexpected exit or crash in SessionTestCase/testSynchronousRequest(); summary will include totals from previous launches.",
        "** TEST FAILED **",
    ]
    assert diagnose(travis_job("xcodebuild test", lines, code=65)).category == "segfault"


def test_raw_xcodebuild_assertion_names_test_message_and_location() -> None:
    """Without xcpretty, macOS xcodebuild prints XCTest's own lines: the assertion with the
    test file's line, then the result, then Xcode's ``Failing tests:`` list."""
    lines = [
        "Test Suite 'ParserTests' started at 2019-07-23 14:20:37.113",
        "Test Case '-[ParserKitTests.ParserTests testEmptyInput]' started.",
        '/Users/travis/build/acme/parserkit/Tests/ParserKitTests/ParserTests.swift:42: error: -[ParserKitTests.ParserTests testEmptyInput] : XCTAssertEqual failed: ("0") is not equal to ("1")',
        "Test Case '-[ParserKitTests.ParserTests testEmptyInput]' failed (0.003 seconds).",
        "Test Case '-[ParserKitTests.ParserTests testNumbers]' started.",
        "Test Case '-[ParserKitTests.ParserTests testNumbers]' passed (0.001 seconds).",
        "\t Executed 2 tests, with 1 failure (0 unexpected) in 0.004 (0.006) seconds",
        "Failing tests:",
        "\tParserKitTests:",
        "\t\tParserTests.testEmptyInput()",
        "** TEST FAILED **",
    ]
    diagnosis = diagnose(travis_job("xcodebuild test -scheme ParserKit", lines, code=65))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["ParserTests.testEmptyInput()"]
    failure = diagnosis.failures[0]
    assert failure.message == 'XCTAssertEqual failed: ("0") is not equal to ("1")'
    assert failure.location == "Tests/ParserKitTests/ParserTests.swift:42"
    assert "XCTAssertEqual failed" in diagnosis.key_lines[0].text
