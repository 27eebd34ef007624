# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Stop 38, helper r2: failed-test formats read from the frameworks' own sources.

PHPUnit ``--testdox`` and ``--teamcity``, test-unit, minitest-reporters' Progress and Spec
reporters, HUnit's text controller and Nim's unittest / unittest2. Each sample is built from
the format strings of the file named in its test; each format has a near miss that must not
be read as a failure.
"""

from __future__ import annotations

from bot.diagnose.extractors import extract_failures


def _by_test(text: str) -> dict[str, dict[str, object]]:
    return {f.test: f.as_dict() for f in extract_failures(text)}


# ---- PHPUnit --testdox -------------------------------------------------------------------


def test_phpunit_testdox_tree_names_the_prettified_test() -> None:
    # phpunit 10.5 src/TextUI/Output/TestDox/ResultPrinter.php: printTestResultHeader
    # (`` ✘ `` + prettifiedMethodName), prefixLines (``   │ `` + line), the class heading from
    # NamePrettifier::prettifyTestClassName (``Calculator (Tests\Calculator)``)
    text = """\
PHPUnit 10.5.2 by Sebastian Bergmann and contributors.

Runtime:       PHP 8.3.0

Calculator (Tests\\Calculator)
 ✔ Adds two numbers
 ✘ Subtracts two numbers
   ┐
   ├ Failed asserting that 3 is identical to 4.
   │
   │ /home/runner/work/app/app/tests/CalculatorTest.php:19
   ┴
 ✘ Divides with data set "by zero"
   ┐
   ├ DivisionByZeroError: Division by zero
   │
   │ /home/runner/work/app/app/src/Calculator.php:30
   │ /home/runner/work/app/app/tests/CalculatorTest.php:27
   ┴

FAILURES!
Tests: 3, Assertions: 2, Failures: 1, Errors: 1.
"""
    found = _by_test(text)
    assert list(found) == ["Subtracts two numbers", 'Divides with data set "by zero"']
    sub = found["Subtracts two numbers"]
    assert sub["message"] == "Failed asserting that 3 is identical to 4."
    assert sub["location"] == "tests/CalculatorTest.php:19"
    div = found['Divides with data set "by zero"']
    assert div["message"] == "DivisionByZeroError: Division by zero"
    assert div["location"] == "tests/CalculatorTest.php:27"  # the test file's frame


def test_phpunit_9_testdox_with_runtime_and_plain_prefix() -> None:
    # phpunit 9.6 src/Util/TestDox/CliTestDoxPrinter.php: writeTestResult (`` ✘ name [1.20 ms]``
    # with --verbose) and PREFIX_SIMPLE (every line ``   │``)
    text = """\
PHPUnit 9.6.13 by Sebastian Bergmann and contributors.

Cart (App\\Tests\\Cart)
 ✔ Starts empty [2.10 ms]
 ✘ Totals prices [1.20 ms]
   │
   │ Failed asserting that 9.99 matches expected 10.0.
   │
   │ /home/runner/work/shop/shop/tests/CartTest.php:22
   │

FAILURES!
"""
    found = _by_test(text)
    assert list(found) == ["Totals prices"]
    assert found["Totals prices"]["location"] == "tests/CartTest.php:22"


def test_cross_mark_without_phpunit_is_not_testdox() -> None:
    # another tool's `` ✘ `` line, no PHPUnit header or class heading before it
    assert _by_test("Checking links\n ✘ https://example.com/broken\n") == {}


# ---- PHPUnit --teamcity ------------------------------------------------------------------


def test_phpunit_teamcity_names_class_and_method() -> None:
    # phpunit 10.5 src/Logging/TeamCity/TeamCityLogger.php: testPrepared (locationHint
    # ``php_qn://file::\Class::name``), testFailed (message, details), escape()
    text = """\
##teamcity[testCount count='2' flowId='4242']
##teamcity[testSuiteStarted name='Tests\\CalculatorTest' locationHint='php_qn:///home/runner/work/app/app/tests/CalculatorTest.php::\\Tests\\CalculatorTest' flowId='4242']
##teamcity[testStarted name='testAdds' locationHint='php_qn:///home/runner/work/app/app/tests/CalculatorTest.php::\\Tests\\CalculatorTest::testAdds' flowId='4242']
##teamcity[testFinished name='testAdds' duration='1' flowId='4242']
##teamcity[testStarted name='testSlug with data set #1' locationHint='php_qn:///home/runner/work/app/app/tests/CalculatorTest.php::\\Tests\\CalculatorTest::testSlug with data set #1' flowId='4242']
##teamcity[testFailed name='testSlug with data set #1' message='Failed asserting that two strings are identical.|n--- Expected|n+++ Actual' details=' /home/runner/work/app/app/tests/CalculatorTest.php:31|n ' duration='1' type='comparisonFailure' actual='|'a-b|'' expected='|'a_b|'' flowId='4242']
##teamcity[testFinished name='testSlug with data set #1' duration='1' flowId='4242']
"""
    found = _by_test(text)
    test = "Tests\\CalculatorTest::testSlug with data set #1"
    assert list(found) == [test]
    assert found[test]["message"] == "Failed asserting that two strings are identical."
    assert found[test]["location"] == "tests/CalculatorTest.php:31"


def test_teamcity_message_of_another_tool_is_not_phpunit() -> None:
    # jest-teamcity and others print the same service message without a php_qn hint
    text = "##teamcity[testStarted name='adds' flowId='1']\n##teamcity[testFailed name='adds' message='expected 4' flowId='1']\n"
    assert _by_test(text) == {}


# ---- test-unit ---------------------------------------------------------------------------


def test_test_unit_faults_between_rules() -> None:
    # test-unit lib/test/unit/ui/console/testrunner.rb: output_fault_in_detail (``Failure: `` +
    # test_name, the backtrace, output_code_snippet, ``<expected> expected but was``), an
    # Error's ``: message`` (output_fault_message); TestCase#name is ``local_name(Class)``
    text = """\
Loaded suite test/test_calc
Started
F
===============================================================================
Failure: test_adds(CalcTest)
/home/runner/work/calc/calc/test/test_calc.rb:8:in `test_adds'
      5: class CalcTest < Test::Unit::TestCase
      7:   def test_adds
  =>  8:     assert_equal(4, Calc.new.add(1, 2))
      9:   end
<4> expected but was
<3>
===============================================================================
E
===============================================================================
Error: test_boom(CalcTest): RuntimeError: boom
/home/runner/work/calc/calc/lib/calc.rb:20:in `boom'
/home/runner/work/calc/calc/test/test_calc.rb:12:in `test_boom'
===============================================================================
Finished in 0.005 seconds.
-------------------------------------------------------------------------------
2 tests, 1 assertions, 1 failures, 1 errors, 0 pendings, 0 omissions, 0 notifications
0% passed
"""
    found = _by_test(text)
    assert list(found) == ["test_adds(CalcTest)", "test_boom(CalcTest)"]
    assert found["test_adds(CalcTest)"]["message"] == "<4> expected but was <3>"
    assert found["test_adds(CalcTest)"]["location"] == "test/test_calc.rb:8"
    assert found["test_boom(CalcTest)"]["message"] == "RuntimeError: boom"
    assert found["test_boom(CalcTest)"]["location"] == "test/test_calc.rb:12"


def test_test_unit_long_display_header_alone() -> None:
    # test-unit lib/test/unit/failure.rb long_display: ``Failure:\n<name> [file:line]:\n<message>``
    text = """\
  1) Failure:
test_adds(CalcTest) [test/calc_test.rb:8]:
<4> expected but was
<3>.

1 tests, 1 assertions, 1 failures, 0 errors
"""
    found = _by_test(text)
    assert list(found) == ["test_adds(CalcTest)"]
    assert found["test_adds(CalcTest)"]["location"] == "test/calc_test.rb:8"


def test_minitest_header_is_not_test_unit() -> None:
    # minitest's own ``Class#test [file:line]:`` stays the minitest extractor's name
    text = "  1) Failure:\nCalcTest#test_adds [test/calc_test.rb:8]:\nExpected: 4\n  Actual: 3\n"
    assert list(_by_test(text)) == ["CalcTest#test_adds"]


# ---- minitest-reporters ------------------------------------------------------------------


def test_minitest_reporters_progress_old_and_new() -> None:
    # minitest-reporters lib/minitest/reporters/progress_reporter.rb: print_colored_status
    # (pad_mark, 5 wide), print_test_with_time (`` Class#name (0.01s)``; before 1.4.3 the
    # inspected array, then ``name#Class``), base_reporter.rb print_info (INFO_PADDING 8)
    text = """\
Started with run options --seed 1234

 FAIL["test_adds", #<Minitest::Reporters::Suite:0x000055d5c0a1 @name="CalcTest">, 0.0123]
 test_adds#CalcTest (0.01s)
        Expected: 4
          Actual: 3
        test/calc_test.rb:8:in `test_adds'

ERROR["test_boom", #<Minitest::Reporters::Suite:0x000055d5c0a1 @name="CalcTest">, 0.0200]
 test_boom#CalcTest (0.02s)
Minitest::UnexpectedError:         RuntimeError: boom
            test/calc_test.rb:12:in `test_boom'

 FAIL CalcTest#test_subs (0.03s)
        Expected: 1
          Actual: 2
        /home/runner/work/app/app/test/calc_test.rb:16:in `test_subs'

 PASS CalcTest#test_ok (0.03s)

3 tests, 3 assertions, 2 failures, 1 errors, 0 skips
"""
    found = _by_test(text)
    assert list(found) == ["CalcTest#test_adds", "CalcTest#test_boom", "CalcTest#test_subs"]
    assert found["CalcTest#test_adds"]["message"] == "Expected: 4 Actual: 3"
    assert found["CalcTest#test_adds"]["location"] == "test/calc_test.rb:8"
    assert found["CalcTest#test_boom"]["message"] == "RuntimeError: boom"
    assert found["CalcTest#test_subs"]["location"] == "test/calc_test.rb:16"


def test_minitest_reporters_spec() -> None:
    # minitest-reporters lib/minitest/reporters/spec_reporter.rb: before_suite (the suite's
    # name), record_print_status (pad_test: 2 + 63 columns, then the mark and the time)
    text = """\
Started with run options --seed 4321

CalcTest
  test_adds                                                       FAIL (0.00s)
        Expected: 4
          Actual: 3
        test/calc_test.rb:8:in `test_adds'

  test_mul                                                        PASS (0.00s)

Finished in 0.00123s
2 tests, 2 assertions, 1 failures, 0 errors, 0 skips
"""
    found = _by_test(text)
    assert list(found) == ["CalcTest#test_adds"]
    assert found["CalcTest#test_adds"]["location"] == "test/calc_test.rb:8"


def test_spec_line_without_minitest_run() -> None:
    assert _by_test("Report\n  disk usage                  FAIL (0.00s)\n") == {}


# ---- HUnit -------------------------------------------------------------------------------


def test_hunit_failure_path_location_and_message() -> None:
    # HUnit src/Test/HUnit/Text.hs: runTestText's reportProblem (``### Failure in: `` + showPath,
    # formatLocation, the message), putTextToHandle's ``\r`` erasing of the progress line
    text = (
        "Cases: 3  Tried: 0  Errors: 0  Failures: 0\r                                        \r"
        "### Failure in: 0:arith:1\n"
        "test/Main.hs:12\n"
        "expected: 4\n"
        " but got: 3\n"
        "### Error in: 2:io\n"
        "user error (boom)\n"
        "Cases: 3  Tried: 3  Errors: 1  Failures: 1\n"
    )
    found = _by_test(text)
    assert list(found) == ["0:arith:1", "2:io"]
    assert found["0:arith:1"]["message"] == "expected: 4 but got: 3"
    assert found["0:arith:1"]["location"] == "test/Main.hs:12"
    assert found["2:io"]["message"] == "user error (boom)"


def test_hunit_counts_alone_name_nothing() -> None:
    assert _by_test("Cases: 3  Tried: 3  Errors: 0  Failures: 1\n### Failures\n") == {}


# ---- Nim unittest ------------------------------------------------------------------------


def test_nim_unittest_failed_with_its_checkpoint() -> None:
    # Nim lib/pure/unittest.nim: suiteStarted (``[Suite] ``), failureOccurred (checkpoints
    # prefixed by four spaces in a suite), testEnded (``  [FAILED] name``)
    text = """\
[Suite] calc
  [OK] adds
    /home/runner/work/app/app/tests/test_calc.nim(12, 10): Check failed: sub(3, 1) == 1
    sub(3, 1) was 2
  [FAILED] subtracts
"""
    found = _by_test(text)
    assert list(found) == ["subtracts"]
    assert found["subtracts"]["message"] == "Check failed: sub(3, 1) == 1"
    assert found["subtracts"]["location"] == "tests/test_calc.nim:12"


def test_nim_unittest2_padded_status() -> None:
    # status-im nim-unittest2 unittest2.nim: printFailureInfo, printTestResultStatus
    # (``  [FAILED ] (0.00s) name``)
    text = """\
=========
  /home/runner/work/app/app/tests/test_calc "calc::subtracts"
---------
    /home/runner/work/app/app/tests/test_calc.nim(12, 10): Check failed: sub(3, 1) == 1
  [FAILED ] (0.00s) subtracts
"""
    assert list(_by_test(text)) == ["subtracts"]


def test_cypress_failed_line_is_not_nim() -> None:
    assert _by_test("[FAILED] Cypress verification timed out.\n[FAILED] \n") == {}


def test_error_line_of_another_tool_is_not_test_unit() -> None:
    # an annotation whose words end in a parenthesised capitalised word: not a test method
    assert _by_test("Error: Unable to resolve action(Checkout)\n") == {}


# ---- Maven Surefire's Results list -------------------------------------------------------


def test_surefire_summary_frame_of_a_base_class_and_jvm_method_names() -> None:
    # maven-surefire surefire-providers/common-java5/.../SmartStackTraceParser.java getString():
    # the test class's simple name, ``>`` and the frame's class when the first frame is not the
    # test class's, the frame's JVM method name (``lambda$adds$0``, Spock's
    # ``$spock_feature_0_1``), ``:line``; DefaultReporterFactory prints each under ``[ERROR] ``
    text = """\
[INFO] Results:
[INFO]
[ERROR] Failures:
[ERROR]   MySqlIT>AbstractDbIT.inserts:45 expected: <1> but was: <2>
[ERROR]   CalcTest.lambda$adds$0:9 expected: <true> but was: <false>
[ERROR]   CalcTest.adds:22->assertSum:30 expected: <1> but was: <2>
[INFO]
[ERROR] Tests run: 3, Failures: 3, Errors: 0, Skipped: 0
"""
    found = _by_test(text)
    assert list(found) == [
        "MySqlIT>AbstractDbIT.inserts",
        "CalcTest.lambda$adds$0",
        "CalcTest.adds",
    ]
    assert found["MySqlIT>AbstractDbIT.inserts"]["location"] == "AbstractDbIT.java:45"
    assert found["MySqlIT>AbstractDbIT.inserts"]["message"] == "expected: <1> but was: <2>"


def test_surefire_results_line_that_is_not_an_entry() -> None:
    # a Results line of another shape (the run counts) names no test
    text = "[ERROR] Failures:\n[ERROR]   Run 1: see above\n[INFO]\n"
    assert _by_test(text) == {}


# ---- mocha's json reporter ---------------------------------------------------------------


def test_mocha_json_failures_by_full_title() -> None:
    # mocha lib/reporters/json.js: JSON.stringify({stats, tests, pending, failures, passes},
    # null, 2); clean(test) gives title, fullTitle, file, duration, currentRetry, err (its own
    # properties: stack, message, …). The ``tests`` array lists passing tests too: not read.
    text = """\
{
  "stats": {
    "suites": 2,
    "tests": 2,
    "passes": 1,
    "failures": 1
  },
  "tests": [
    {
      "title": "adds",
      "fullTitle": "Calc nested suite adds",
      "file": "/home/runner/work/app/app/test/calc.test.js",
      "duration": 0,
      "currentRetry": 0,
      "err": {}
    },
    {
      "title": "subtracts",
      "fullTitle": "Calc nested suite subtracts",
      "err": {}
    }
  ],
  "pending": [],
  "failures": [
    {
      "title": "subtracts",
      "fullTitle": "Calc nested suite subtracts",
      "file": "/home/runner/work/app/app/test/calc.test.js",
      "duration": 1,
      "currentRetry": 0,
      "err": {
        "stack": "AssertionError [ERR_ASSERTION]: 2 == 1\\n    at Context.<anonymous> (test/calc.test.js:9:14)\\n    at process.processImmediate (node:internal/timers:476:21)",
        "message": "2 == 1",
        "generatedMessage": true,
        "code": "ERR_ASSERTION",
        "actual": "2",
        "expected": "1",
        "operator": "=="
      }
    }
  ],
  "passes": [
    {
      "title": "adds",
      "fullTitle": "Calc nested suite adds",
      "err": {}
    }
  ]
}
"""
    found = _by_test(text)
    assert list(found) == ["Calc nested suite subtracts"]
    assert (
        found["Calc nested suite subtracts"]["message"] == "AssertionError [ERR_ASSERTION]: 2 == 1"
    )
    assert found["Calc nested suite subtracts"]["location"] == "test/calc.test.js:9"


def test_json_with_full_titles_but_no_failures_array() -> None:
    text = (
        '{\n  "tests": [\n    {\n      "fullTitle": "Calc adds",\n      "err": {}\n    }\n  ]\n}\n'
    )
    assert _by_test(text) == {}
