# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Failing tests in cut pastes, framework by framework (helper b21S4: JVM, Ruby/PHP, C/C++,
.NET, Swift/Elixir/Haskell, Perl, R, Dart).

A paste from an issue keeps a few dozen lines: the failure block without the run's header,
or only the closing summary list. Each shape below is the one the framework's source or
documentation prints (the URL in a comment); the (b) form is the failure lines alone, the
(c) form the summary alone. The near misses are lines of the same look that no test failed
in: a passing result, a progress line, another tool's list.
"""

from __future__ import annotations

import io

from bot.diagnose.engine import diagnose
from bot.diagnose.extractors import extract_failures, extract_tests


def _engine_tests(text: str) -> list[str]:
    """The failing tests the whole engine names for a paste (paste margins included)."""
    return list(diagnose(io.BytesIO(text.encode())).failing_tests)


# ---- Maven Surefire / Failsafe ------------------------------------------------------------
# https://github.com/apache/maven-surefire (DefaultReporterFactory, TestSetStats)


def test_surefire3_parameterized_report_alone() -> None:
    text = (
        "[ERROR] com.example.CalcTest.adds(int)[2] -- Time elapsed: 0.01 s <<< FAILURE!\n"
        "org.opentest4j.AssertionFailedError: expected: <4> but was: <5>\n"
        "\tat com.example.CalcTest.adds(CalcTest.java:12)\n"
    )
    [failure] = extract_failures(text)
    assert failure.test == "com.example.CalcTest.adds(int)[2]"
    assert failure.message == "org.opentest4j.AssertionFailedError: expected: <4> but was: <5>"
    assert failure.location == "CalcTest.java:12"


def test_surefire_junit4_parameterized_report_and_summary() -> None:
    report = "adds[1](com.example.CalcTest)  Time elapsed: 0.01 sec  <<< FAILURE!\njava.lang.AssertionError: expected:<4> but was:<5>\n"
    assert extract_tests(report) == ["adds[1](com.example.CalcTest)"]
    assert extract_tests("[ERROR] " + report) == ["adds[1](com.example.CalcTest)"]
    summary = "[ERROR] Failures:\n[ERROR]   CalcTest.adds[1]:12 expected:<4> but was:<5>\n"
    [failure] = extract_failures(summary)
    assert (failure.test, failure.location) == ("CalcTest.adds[1]", "CalcTest.java:12")


def test_surefire_results_entries_without_their_heading() -> None:
    text = (
        "[ERROR]   CalcTest.adds:12 expected: <4> but was: <5>\n"
        "[ERROR]   CalcTest.divides » Arithmetic / by zero\n"
        "[INFO]\n"
        "[ERROR] Tests run: 4, Failures: 1, Errors: 1, Skipped: 0\n"
    )
    assert extract_tests(text) == ["CalcTest.adds", "CalcTest.divides"]


def test_maven_compiler_detail_lines_are_not_results_entries() -> None:
    text = (
        "[ERROR] /src/main/java/com/Foo.java:[12,5] cannot find symbol\n"
        "[ERROR]   symbol:   class Bar\n"
        "[ERROR]   location: class com.Foo\n"
        "[ERROR]   Rule 0: org.apache.maven.enforcer.rules.RequireJavaVersion failed\n"
    )
    assert extract_tests(text) == []


def test_surefire2_results_section_cut_above_it() -> None:
    text = (
        "Results :\n\n"
        "Failed tests:\n"
        "  CalcTest.adds:12 expected:<4> but was:<5>\n"
        "Tests in error:\n"
        "  CalcTest.divides:30 » Arithmetic / by zero\n\n"
        "Tests run: 2, Failures: 1, Errors: 1, Skipped: 0\n"
    )
    assert extract_tests(text) == ["CalcTest.adds", "CalcTest.divides"]


def test_surefire_before_2_18_lists_the_old_names() -> None:
    # the first entry shares the heading's line (Surefire 2.12-2.17)
    text = (
        "Failed tests:   adds(com.example.CalcTest): expected:<4> but was:<5>\n"
        "  subtracts(com.example.CalcTest): expected:<1> but was:<2>\n\n"
        "Tests in error: \n"
        "  divides(com.example.CalcTest): / by zero\n"
    )
    failures = extract_failures(text)
    assert [f.test for f in failures] == [
        "adds(com.example.CalcTest)",
        "subtracts(com.example.CalcTest)",
        "divides(com.example.CalcTest)",
    ]
    assert failures[0].message == "expected:<4> but was:<5>"


def test_a_plain_failed_tests_list_of_another_script_is_not_surefire() -> None:
    assert extract_tests("Failed tests:\n  foo.bar was slow\n  Baz.qux:12 timed out\n") == []


# ---- sbt / ScalaTest ------------------------------------------------------------------------
# https://www.scalatest.org/user_guide/using_the_runner (StandardOutReporter)


def test_scalatest_failure_without_sbt_list_names_the_test() -> None:
    text = "[info] CalcSpec:\n[info] - should add *** FAILED ***\n[info]   4 did not equal 5 (CalcSpec.scala:10)\n"
    [failure] = extract_failures(text)
    assert (failure.test, failure.message, failure.location) == (
        "should add",
        "4 did not equal 5",
        "CalcSpec.scala:10",
    )
    # scalatest-maven-plugin and Mill print it without sbt's level
    assert extract_tests(
        "- should add *** FAILED ***\n  4 did not equal 5 (CalcSpec.scala:10)\n"
    ) == ["should add"]


def test_scalatest_sbt_list_still_names_the_suite() -> None:
    text = (
        "[info] - should add *** FAILED ***\n[info]   4 did not equal 5 (CalcSpec.scala:10)\n"
        "[error] Failed tests:\n[error] \tcom.example.CalcSpec\n"
    )
    assert extract_tests(text) == ["com.example.CalcSpec"]


# ---- RSpec / Cucumber / Pest ----------------------------------------------------------------
# https://rspec.info/features/3-12/rspec-core/ (Failures: section, Failed examples: list)


def test_rspec_failure_cut_above_the_failed_examples_list() -> None:
    text = "  1) Cart totals prices\n     Failure/Error: expect(cart.total).to eq(5)\n\n       expected: 5\n            got: 4\n"
    assert extract_tests(text) == ["Cart totals prices"]
    assert _engine_tests(text) == ["Cart totals prices"]


def test_a_numbered_line_without_failure_error_is_not_rspec() -> None:
    assert extract_tests("  1) Install the package\n     then run it\n") == []


# https://github.com/cucumber/cucumber-ruby (Failing Scenarios: list)
def test_cucumber_list_entries_without_their_heading() -> None:
    text = "cucumber features/login.feature:10 # Scenario: Log in\ncucumber -p ci features/login.feature:20 # Scenario: Log out\n"
    assert extract_tests(text) == ["features/login.feature:10", "features/login.feature:20"]


def test_a_feature_path_in_a_comment_is_not_a_failing_scenario() -> None:
    assert extract_tests("features/login.feature:10 # Scenario: Log in\n") == []


# https://github.com/nunomaduro/collision (Pest's printer)
def test_pest_progress_tree_alone_and_jest_does_not_read_its_header() -> None:
    tree = "   FAIL  Tests\\Unit\\CalcTest\n  ✓ it subtracts\n  ⨯ it adds                                   0.01s\n"
    assert extract_tests(tree) == ["Tests\\Unit\\CalcTest > it adds"]
    whole = tree + (
        "  ──────────────────────────────────\n"
        "   FAILED  Tests\\Unit\\CalcTest > it adds\n"
        "  Failed asserting that 5 is identical to 4.\n\n"
        "  at tests/Unit/CalcTest.php:5\n"
    )
    [failure] = extract_failures(whole)
    assert failure.test == "Tests\\Unit\\CalcTest > it adds"
    assert failure.message == "Failed asserting that 5 is identical to 4."
    assert failure.location == "tests/Unit/CalcTest.php:5"
    assert _engine_tests(whole) == ["Tests\\Unit\\CalcTest > it adds"]


def test_pest_passing_file_names_nothing() -> None:
    assert extract_tests("   PASS  Tests\\Unit\\CalcTest\n  ✓ it adds\n") == []


# ---- ctest ------------------------------------------------------------------------------------
# https://cmake.org/cmake/help/latest/manual/ctest.1.html


def test_ctest_result_line_without_the_failed_list() -> None:
    text = "1/3 Test #1: calc_test ........................***Failed    0.01 sec\n3/3 Test #3: io_test ..........................***Exception: SegFault  0.02 sec\n"
    assert extract_tests(text) == ["calc_test", "io_test"]


def test_ctest_skipped_and_passed_results_are_not_failures() -> None:
    text = "2/3 Test #2: gpu_test .........................***Skipped   0.00 sec\n3/3 Test #3: other_test .......................   Passed    0.01 sec\n"
    assert extract_tests(text) == []


# ---- dotnet test (VSTest console logger) ------------------------------------------------------
# https://github.com/microsoft/vstest (ConsoleLogger: "Failed {0} [{1}]", "Error Message:")


def test_dotnet_failed_line_at_the_start_of_a_paste() -> None:
    text = "  Failed Calc.Tests.CalcTests.Adds [12 ms]\n  Error Message:\n   Assert.Equal() Failure: Values differ\n"
    assert _engine_tests(text) == ["Calc.Tests.CalcTests.Adds"]
    theory = "  Failed Calc.Tests.CalcTests.Adds(a: 2, b: 2) [< 1 ms]\n  Error Message:\n   x\n"
    assert extract_tests(theory) == ["Calc.Tests.CalcTests.Adds(a: 2, b: 2)"]


def test_dotnet_old_result_lines_only_above_error_message() -> None:
    old = "Failed   Calc.Tests.CalcTests.Adds\nError Message:\n Assert.Equal() Failure\n"
    assert extract_tests(old) == ["Calc.Tests.CalcTests.Adds"]
    core30 = "  X Calc.Tests.CalcTests.Adds [12ms]\n  Error Message:\n   Expected: 4\n"
    assert extract_tests(core30) == ["Calc.Tests.CalcTests.Adds"]
    assert extract_tests("Failed   restore\nBuild FAILED.\n") == []


# ---- XCTest on Linux, Swift Testing -----------------------------------------------------------
# https://github.com/swiftlang/swift-corelibs-xctest (PrintObserver.swift)
# https://github.com/swiftlang/swift-testing (Event.HumanReadableOutputRecorder)


def test_xctest_linux_assertion_and_result() -> None:
    text = (
        "/home/runner/work/x/x/Tests/CalcTests/CalcTests.swift:8: error: CalcTests.testAdds : "
        'XCTAssertEqual failed: ("5") is not equal to ("4")\n'
        "Test Case 'CalcTests.testAdds' failed (0.002 seconds).\n"
    )
    [failure] = extract_failures(text)
    assert failure.test == "CalcTests.testAdds()"
    assert failure.location == "Tests/CalcTests/CalcTests.swift:8"
    assert extract_tests("Test Case 'CalcTests.testSubs' failed (0.001 seconds).\n") == [
        "CalcTests.testSubs()"
    ]
    assert extract_tests("Test Case 'CalcTests.testSubs' passed (0.001 seconds).\n") == []


def test_swift_testing_issue_and_result() -> None:
    text = (
        "✘ Test addsNumbers() recorded an issue at CalcTests.swift:8:5: Expectation failed: (add(2, 2) → 5) == 4\n"
        "✘ Test addsNumbers() failed after 0.001 seconds with 1 issue.\n"
        '✘ Test "subtracts numbers" failed after 0.001 seconds with 1 issue.\n'
        "✘ Test run with 3 tests failed after 0.002 seconds with 2 issues.\n"
    )
    failures = extract_failures(text)
    assert [f.test for f in failures] == ["addsNumbers()", "subtracts numbers"]
    assert failures[0].location == "CalcTests.swift:8"
    assert failures[0].message == "Expectation failed: (add(2, 2) → 5) == 4"


# ---- dart test / flutter test -----------------------------------------------------------------
# https://github.com/dart-lang/test (reporter/expanded.dart, reporter/github.dart)


def test_dart_progress_line_with_error_marker() -> None:
    text = (
        "00:01 +1: test/calc_test.dart: subtracts\n"
        "00:01 +1 -1: test/calc_test.dart: adds [E]\n"
        "  Expected: <4>\n    Actual: <5>\n\n"
        "  package:matcher                expect\n"
        "  test/calc_test.dart 8:5        main.<fn>\n\n"
        "00:01 +1 -1: Some tests failed.\n"
    )
    [failure] = extract_failures(text)
    assert (failure.test, failure.message, failure.location) == (
        "adds",
        "Expected: <4> Actual: <5>",  # the matcher's two lines (r3T)
        "test/calc_test.dart:8",
    )
    flutter = "00:02 +3 -1: /home/runner/work/x/x/test/widget_test.dart: Counter increments smoke test [E]\n  Test failed. See exception logs above.\n"
    assert extract_tests(flutter) == ["Counter increments smoke test"]


def test_dart_github_reporter_group_title() -> None:
    text = "❌ test/calc_test.dart: adds (failed)\nExpected: <4>\n  Actual: <5>\n"
    assert extract_tests(text) == ["adds"]
    assert extract_tests("::group::❌ test/calc_test.dart: adds (failed)\n") == ["adds"]


def test_dart_near_misses() -> None:
    text = (
        "00:01 +1: test/calc_test.dart: adds\n"
        "00:01 +1 -1: Some tests failed.\n"
        "00:00 +0 -1: loading test/calc_test.dart [E]\n"
        "✅ test/calc_test.dart: subtracts\n"
    )
    assert extract_tests(text) == []


# ---- hspec ---------------------------------------------------------------------------------
# https://github.com/hspec/hspec (Test/Hspec/Core/Formatters/V2.hs)


def test_hspec_failure_entry_below_its_location() -> None:
    text = (
        "Failures:\n\n"
        "  test/CalcSpec.hs:10:5: \n"
        "  1) Calc.add, adds two numbers\n"
        "       expected: 4\n"
        "        but got: 5\n\n"
        '  To rerun use: --match "/Calc/add/adds two numbers/"\n'
    )
    [failure] = extract_failures(text)
    assert failure.test == "Calc.add, adds two numbers"
    assert (failure.message, failure.location) == ("expected: 4 but got: 5", "test/CalcSpec.hs:10")
    assert extract_tests("Calc\n  add\n    adds two numbers FAILED [1]\n") == ["adds two numbers"]


def test_numbered_lines_without_a_haskell_location_are_not_hspec() -> None:
    assert extract_tests("Failures:\n\n  1) Fetch the archive\n     retrying\n") == []


# ---- prove / Test::Harness ----------------------------------------------------------------------
# https://metacpan.org/pod/TAP::Parser::Aggregator ; Test::More's _ok diagnostics


def test_prove_summary_entry_with_exit_status_and_no_heading() -> None:
    text = "t/01-calc.t (Wstat: 256 (exited 1) Tests: 3 Failed: 1)\n  Failed test:  2\n"
    assert extract_tests(text) == ["t/01-calc.t"]


def test_test_more_diagnostics_alone_name_their_file() -> None:
    text = "#   Failed test 'adds numbers'\n#   at t/01-calc.t line 8.\n#          got: '5'\n#     expected: '4'\n"
    [failure] = extract_failures(text)
    assert (failure.test, failure.message, failure.location) == (
        "t/01-calc.t",
        "Failed test 'adds numbers'",
        "t/01-calc.t:8",
    )
    assert extract_tests("#   Failed test at t/x.t line 9.\n") == ["t/x.t"]
    assert (
        extract_tests("#   Failed test 'adds numbers'\n# Looks like you failed 1 test of 3.\n")
        == []
    )


# ---- NUnit console / NUnitLite -----------------------------------------------------------------
# https://github.com/nunit/nunit-console (ResultReporter.cs: "{0}) {1} : {2}")


def test_nunit_console_entries() -> None:
    text = (
        "Errors, Failures and Warnings\n\n"
        "1) Failed : Calc.Tests.CalcTests.Adds\n"
        "  Expected: 4\n  But was:  5\n\n"
        "   at Calc.Tests.CalcTests.Adds() in /home/runner/work/x/x/tests/CalcTests.cs:line 12\n\n"
        "2) TearDown Error : Calc.Tests.CalcTests.Divides\n"
        "System.DivideByZeroException : Attempted to divide by zero.\n"
    )
    failures = extract_failures(text)
    assert [f.test for f in failures] == [
        "Calc.Tests.CalcTests.Adds",
        "Calc.Tests.CalcTests.Divides",
    ]
    assert (failures[0].message, failures[0].location) == (
        "Expected: 4 But was: 5",
        "tests/CalcTests.cs:12",
    )
    # the entry alone, as a paste cut above the section heading keeps it
    assert extract_tests("1) Failed : Calc.Tests.CalcTests.Adds\n  Expected: 4\n") == [
        "Calc.Tests.CalcTests.Adds"
    ]


def test_nunit_warnings_and_ignored_entries_are_not_failures() -> None:
    text = "1) Warning : Calc.Tests.CalcTests.Slow\n  took long\n2) Ignored : Calc.Tests.CalcTests.Later\n  not yet\n"
    assert extract_tests(text) == []


def test_surefire_test_named_in_words_after_its_class() -> None:
    # a Spock feature under the JUnit Platform provider (Surefire 3)
    text = (
        "[ERROR] com.example.CalcSpec.adds two numbers -- Time elapsed: 0.02 s <<< FAILURE!\n"
        "org.spockframework.runtime.SpockComparisonFailure: Condition not satisfied:\n"
    )
    assert extract_tests(text) == ["com.example.CalcSpec.adds two numbers"]
    passed = "[INFO] com.example.CalcSpec.adds two numbers -- Time elapsed: 0.02 s\n"
    assert extract_tests(passed) == []


def test_surefire_3_milestones_report_without_the_dashes() -> None:
    # https://github.com/ajohnstonTE/surefire-jira-examples (3.0.0-M4 output)
    text = (
        "[ERROR] Tests run: 2, Failures: 2, Errors: 0, Skipped: 0, Time elapsed: 0.016 s <<< FAILURE! - in JUnit5Test\n"
        "[ERROR] JUnit5Test.failWithNonEmptyParameters  Time elapsed: 0.008 s  <<< FAILURE!\n"
        "org.opentest4j.AssertionFailedError: not empty\n"
        "        at JUnit5Test.failWithNonEmptyParameters(JUnit5Test.java:19)\n"
    )
    [failure] = extract_failures(text)
    assert (failure.test, failure.location) == (
        "JUnit5Test.failWithNonEmptyParameters",
        "JUnit5Test.java:19",
    )
    # 2.22 under the JUnit Platform: the method alone, its class on the ``- in`` line
    bare = (
        "[ERROR] Tests run: 1, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.01 s <<< FAILURE! - in com.x.CalcTest\n"
        "[ERROR] adds  Time elapsed: 0 s  <<< FAILURE!\n"
    )
    assert extract_tests(bare) == ["com.x.CalcTest.adds"]


# ---- JUnit Platform console launcher ---------------------------------------------------------
# https://github.com/junit-team/junit5 (MutableTestExecutionSummary.printFailuresTo)


def test_junit_platform_console_failures_summary() -> None:
    text = (
        "Failures (1):\n"
        "  JUnit Jupiter:CalcTest:adds()\n"
        "    MethodSource [className = 'com.example.CalcTest', methodName = 'adds', methodParameterTypes = '']\n"
        "    => org.opentest4j.AssertionFailedError: expected: <4> but was: <5>\n"
        "       org.junit.jupiter.api.AssertionFailureBuilder.build(AssertionFailureBuilder.java:151)\n"
        "       com.example.CalcTest.adds(CalcTest.java:12)\n"
    )
    [failure] = extract_failures(text)
    assert failure.test == "com.example.CalcTest.adds"
    assert failure.message == "org.opentest4j.AssertionFailedError: expected: <4> but was: <5>"
    assert failure.location == "CalcTest.java:12"


def test_junit_platform_verbose_tree_source_is_not_a_failure() -> None:
    text = "│   source: MethodSource [className = 'com.example.CalcTest', methodName = 'adds', methodParameterTypes = '']\n"
    assert extract_tests(text) == []
