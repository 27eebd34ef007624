"""Gradle's failing tests in its own test logging, the Android plugin's connected tests and
the gradle-test-logger-plugin's themes; the id is Gradle's ``Class > test`` path.

Each sample is built from the format strings of the tool's own source (named per test).
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.extractors import extract_failures


def _by_test(text: str) -> dict[str, dict[str, object]]:
    return {f.test: f.as_dict() for f in extract_failures(text)}


def test_gradle_paths_with_display_names_parameters_and_nesting() -> None:
    # gradle AbstractTestLogger.logEvent: ``println()``, the descriptors' display names
    # joined by `` > `` and the event; ShortExceptionFormatter's ``<class> at <file>:<line>``
    # (``Caused by:`` below), FullExceptionFormatter's message then frames
    text = """\
> Task :lib:test

Calculator tests > 1 + 1 = 2 FAILED
    org.opentest4j.AssertionFailedError at CalculatorTests.java:20

CalculatorTests > add(int, int, int) > [2] first=1, second=2, expectedResult=4 FAILED
    org.opentest4j.AssertionFailedError: expected: <4> but was: <3>
        at app//org.junit.jupiter.api.AssertionUtils.fail(AssertionUtils.java:55)
        at app//com.example.CalculatorTests.add(CalculatorTests.java:31)

com.example.StackTest > WhenNew > AfterPushing > returnsElementWhenPopped() FAILED
    java.lang.IllegalStateException at StackTest.kt:44
        Caused by: java.lang.NullPointerException at Stack.kt:10

com.example.KotlinTest > adds two numbers() FAILED
    org.opentest4j.AssertionFailedError at KotlinTest.kt:9

com.example.KotlinTest > adds two numbers() STANDARD_OUT
    computing

6 tests completed, 4 failed, 1 skipped

> Task :lib:test FAILED
"""
    found = _by_test(text)
    assert list(found) == [
        "Calculator tests > 1 + 1 = 2",
        "CalculatorTests > add(int, int, int) > [2] first=1, second=2, expectedResult=4",
        "com.example.StackTest > WhenNew > AfterPushing > returnsElementWhenPopped()",
        "com.example.KotlinTest > adds two numbers()",
    ]
    assert found["Calculator tests > 1 + 1 = 2"]["location"] == "CalculatorTests.java:20"


def test_display_name_path_needs_its_exception() -> None:
    assert _by_test("Step one > step two FAILED\nBUILD FAILED\n") == {}


def test_gradle_paths_below_default_granularity_and_testng() -> None:
    # AbstractTestLogger.getEventPath: ``displayGranularity 0`` keeps Gradle's own root and
    # executor; TestNG's atomic tests are ``className + "." + name`` under Gradle's suites
    text = """\
Gradle Test Run :test > Gradle Test Executor 4 > com.example.CalcTest > adds FAILED
    java.lang.AssertionError: expected:<3> but was:<2>
        at org.junit.Assert.fail(Assert.java:89)
        at com.example.CalcTest.adds(CalcTest.java:14)

Gradle suite > Gradle test > com.example.NgTest.divides FAILED
    java.lang.ArithmeticException at NgTest.java:22

setup.py FAILED
"""
    found = _by_test(text)
    assert list(found) == ["com.example.CalcTest > adds", "com.example.NgTest.divides"]
    assert found["com.example.CalcTest > adds"]["location"] == "CalcTest.java:14"


def test_android_connected_test_lines() -> None:
    # Android Gradle plugin CustomTestRunListener.testFailed: ``\n%1$s > %2$s[%3$s]
    # \033[31mFAILED \033[0m`` (a space before the reset) and getModifiedTrace's two
    # tab-indented lines; testRunFailed's ``Tests on %1$s failed: %2$s``
    text = (
        "> Task :app:connectedDebugAndroidTest\n"
        "Starting 2 tests on Pixel_3a_API_30(AVD) - 11\n\n"
        "com.example.app.ExampleInstrumentedTest > useAppContext[Pixel_3a_API_30(AVD) - 11]"
        " \033[31mFAILED \033[0m\n"
        "\torg.junit.ComparisonFailure: expected:<com.example.app[]> but was:<com.example"
        ".app[.debug]>\n"
        "\tat org.junit.Assert.assertEquals(Assert.java:115)\n"
        "Tests on Pixel_3a_API_30(AVD) - 11 failed: There was 1 failure(s).\n"
    )
    result = diagnose(text.encode())
    assert result.failing_tests == [
        "com.example.app.ExampleInstrumentedTest > useAppContext[Pixel_3a_API_30(AVD) - 11]"
    ]
    assert result.failures[0].message == (
        "org.junit.ComparisonFailure: expected:<com.example.app[]> but was:<com.example.app"
        "[.debug]>"
    )


# radarsh/gradle-test-logger-plugin theme/StandardTheme.groovy and PlainTheme.groovy (a
# suite's display name, ``Test <name> FAILED`` two in per level, the duration when slow),
# AbstractTheme.exceptionText (a blank line, the exception indented two per level, the
# test class's frames four further), MochaTheme.groovy (``✘ <name>``, suites two further
# in, the exception six per level), the parallel themes' ``<trail> <name>`` lines
TEST_LOGGER = """\
> Task :lib:test

com.example.CalcTest

  Test adds() FAILED

  org.opentest4j.AssertionFailedError: expected: <3> but was: <2>
      at com.example.CalcTest.adds(CalcTest.java:12)

  Test subtracts() PASSED (1.2s)

  WhenEmpty

    Test pops() FAILED

    java.util.EmptyStackException
        at com.example.CalcTest$WhenEmpty.pops(CalcTest.java:30)

FAILURE: Executed 3 tests in 2.1s (2 failed)

> Task :app:test

  com.example.MochaTest
    ✔ passes
    ✘ fails badly (1.3s)

      java.lang.IllegalStateException: boom
          at com.example.MochaTest.fails badly(MochaTest.kt:8)

  1 passing (2s)
  1 failing

> Task :core:test
com.example.ParTest adds two() FAILED

  java.lang.AssertionError: nope
      at com.example.ParTest.adds two(ParTest.kt:5)
com.example.ParTest other() PASSED
  com.example.MParTest ✘ divides()

    java.lang.ArithmeticException: / by zero
        at com.example.MParTest.divides(MParTest.java:9)
"""


def test_gradle_test_logger_themes() -> None:
    found = _by_test(TEST_LOGGER)
    assert list(found) == [
        "com.example.CalcTest > adds()",
        "com.example.CalcTest > WhenEmpty > pops()",
        "com.example.MochaTest > fails badly",
        "com.example.ParTest > adds two()",
        "com.example.MParTest > divides()",
    ]
    adds = found["com.example.CalcTest > adds()"]
    assert adds["message"] == "org.opentest4j.AssertionFailedError: expected: <3> but was: <2>"
    assert adds["location"] == "CalcTest.java:12"
    assert found["com.example.MochaTest > fails badly"]["location"] == "MochaTest.kt:8"


def test_gradle_test_logger_standard_theme_in_colour() -> None:
    # StandardTheme's markup as ANSI: erase-ahead, bold, red
    text = (
        "> Task :lib:test\n\n\033[0K\033[1mcom.example.CalcTest\033[m\n\n"
        "\033[0K\033[1m  Test \033[22madds()\033[31m FAILED\033[m\n\033[31m\n"
        "  org.opentest4j.AssertionFailedError: expected: <3> but was: <2>\n"
        "      at com.example.CalcTest.adds(CalcTest.java:12)\n\033[m\n"
        "\033[0K\033[1;31mFAILURE: \033[39mExecuted 1 tests in 1s (1 failed)\033[m\n"
    )
    result = diagnose(text.encode())
    assert result.failing_tests == ["com.example.CalcTest > adds()"]


def test_mocha_symbols_outside_a_gradle_task_are_not_gradle_tests() -> None:
    assert _by_test("  com.example.Thing\n    ✘ fails\n") == {}


def test_hundreds_of_themed_failures_all_found_through_the_reader() -> None:
    lines = ["> Task :lib:test", ""]
    for cls in range(60):
        lines += [f"com.example.Suite{cls}Test", ""]
        for case in range(5):
            lines += [
                f"  Test case{case}() FAILED",
                "",
                f"  java.lang.AssertionError: case {cls}.{case}",
                f"      at com.example.Suite{cls}Test.case{case}(Suite{cls}Test.java:{case + 10})",
                "",
            ]
        lines += [f"  Test ok{n}() PASSED" for n in range(80)]
    text = "\n".join(f"noise {i}" for i in range(3000)) + "\n" + "\n".join(lines) + "\n"
    result = diagnose(text.encode())
    assert len(result.failing_tests) == 300
    assert result.failing_tests[-1] == "com.example.Suite59Test > case4()"
