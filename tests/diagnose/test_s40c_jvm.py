"""JVM test runners and Gradle tasks read by the failing test and by the tool's own cause (s40c).

Sources:
- Apache Ant's ``<junit>`` task, ``src/main/org/apache/tools/ant/taskdefs/optional/junit/`` in
  apache/ant: ``JUnitTask.actOnTestResult`` (``Test <class> FAILED``),
  ``SummaryJUnitResultFormatter`` (``Running <class>``, ``Tests run: 3, Failures: 1, Errors: 0,
  Skipped: 0, Time elapsed: 0.02 sec``), ``PlainJUnitResultFormatter`` (``Testsuite:``,
  ``Testcase: adds took 0.003 sec``, ``\\tFAILED``, the message, the trace) and
  ``BriefJUnitResultFormatter`` (``Testcase: adds(pkg.CalcTest):\\tFAILED``); Ant's logger
  prefixes each line with the task's name, ``    [junit] ``.
- Gradle's ``AbstractTestLogger.getEventPath`` (subprojects/testing-base in gradle/gradle): an
  atomic test whose parent descriptor is not its class is printed ``Class.name`` rather than
  ``Class > name`` (TestNG, and the Kotlin Gradle plugin's JS and Native test tasks, whose
  exceptions are unqualified: ``AssertionError at …``).
- Lint tasks under ``* What went wrong:``: the Android Gradle plugin's ``lint<Variant>``
  (``Lint found errors in the project; aborting build.``), Gradle's checkstyle plugin
  (``Checkstyle rule violations were found. See the report at: …``), detekt (``Analysis
  failed with N weighted issues.``), ktlint-gradle (``KtLint found code style violations.``).
"""

from __future__ import annotations

from bot.diagnose.engine import Diagnosis, diagnose
from tests.diagnose.joblogs import actions_job

TRY = [
    "",
    "* Try:",
    "> Run with --stacktrace option to get the stack trace.",
    "> Run with --info or --debug option to get more log output.",
    "",
    "BUILD FAILED in 12s",
]


def _what_went_wrong(task: str, causes: list[str]) -> list[str]:
    return [
        "",
        "FAILURE: Build failed with an exception.",
        "",
        "* What went wrong:",
        f"Execution failed for task '{task}'.",
        *causes,
        *TRY,
    ]


def _keys(d: Diagnosis) -> list[str]:
    return [k.text for k in d.key_lines]


ANT_PLAIN = [
    "Buildfile: /home/runner/calc/build.xml",
    "",
    "test:",
    "    [junit] Running com.example.CalcTest",
    "    [junit] Testsuite: com.example.CalcTest",
    "    [junit] Tests run: 3, Failures: 1, Errors: 1, Skipped: 0, Time elapsed: 0.02 sec",
    "    [junit] ",
    "    [junit] Testcase: failedLoginIsRejected took 0.001 sec",
    "    [junit] Testcase: adds took 0.003 sec",
    "    [junit] \tFAILED",
    "    [junit] expected:<4> but was:<5>",
    "    [junit] junit.framework.AssertionFailedError: expected:<4> but was:<5>",
    "    [junit] \tat com.example.CalcTest.adds(CalcTest.java:12)",
    "    [junit] ",
    "    [junit] Testcase: divides took 0.001 sec",
    "    [junit] \tCaused an ERROR",
    "    [junit] / by zero",
    "    [junit] java.lang.ArithmeticException: / by zero",
    "    [junit] \tat com.example.Calc.divide(Calc.java:8)",
    "    [junit] \tat com.example.CalcTest.divides(CalcTest.java:20)",
    "    [junit] ",
    "    [junit] Test com.example.CalcTest FAILED",
    "",
    "BUILD FAILED",
    "/home/runner/calc/build.xml:40: Test com.example.CalcTest failed",
    "",
    "Total time: 2 seconds",
]


def test_ant_plain_formatter_names_each_failed_case() -> None:
    d = diagnose(actions_job("ant test", ANT_PLAIN))
    assert d.category == "test_failure"
    assert d.failing_tests == ["adds(com.example.CalcTest)", "divides(com.example.CalcTest)"]
    got = {f.test: (f.message, f.location) for f in d.failures}
    assert got["adds(com.example.CalcTest)"] == ("expected:<4> but was:<5>", "CalcTest.java:12")
    # the test class's frame, below the code under test's
    assert got["divides(com.example.CalcTest)"] == ("/ by zero", "CalcTest.java:20")
    # near miss: a passing test case (its duration, no status below it) is not a failure
    assert "failedLoginIsRejected(com.example.CalcTest)" not in d.failing_tests


def test_ant_brief_formatter_line_names_the_test() -> None:
    lines = [
        "    [junit] Testsuite: com.example.CalcTest",
        "    [junit] Tests run: 2, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.01 sec",
        "    [junit] ",
        "    [junit] Testcase: adds(com.example.CalcTest):\tFAILED",
        "    [junit] expected:<4> but was:<5>",
        "    [junit] junit.framework.AssertionFailedError: expected:<4> but was:<5>",
        "    [junit] \tat com.example.CalcTest.adds(CalcTest.java:12)",
        "    [junit] ",
        "    [junit] Test com.example.CalcTest FAILED",
        "",
        "BUILD FAILED",
    ]
    d = diagnose(actions_job("ant test", lines))
    assert d.category == "test_failure"
    assert d.failing_tests == ["adds(com.example.CalcTest)"]
    assert (d.failures[0].message, d.failures[0].location) == (
        "expected:<4> but was:<5>",
        "CalcTest.java:12",
    )


def test_ant_without_a_formatter_names_the_failed_class() -> None:
    """Only printsummary: the build's category is the tests, and the class is named."""
    lines = [
        "test:",
        "    [junit] Running com.example.CalcTest",
        "    [junit] Tests run: 3, Failures: 0, Errors: 1, Skipped: 0, Time elapsed: 0.02 sec",
        "    [junit] Test com.example.CalcTest FAILED (crashed)",
        "",
        "BUILD FAILED",
        "/home/runner/calc/build.xml:40: Some tests failed; see the reports",
    ]
    d = diagnose(actions_job("ant test", lines))
    assert d.category == "test_failure"
    assert d.failing_tests == ["com.example.CalcTest"]


def test_ant_passing_tests_then_a_failed_jar_task_is_not_a_test_failure() -> None:
    """Near miss: every test passed (``Failures: 0, Errors: 0``); the build failed later."""
    lines = [
        "    [junit] Running com.example.CalcTest",
        "    [junit] Tests run: 3, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 0.02 sec",
        "    [junit] Testcase: failedLoginIsRejected took 0.001 sec",
        "",
        "jar:",
        "",
        "BUILD FAILED",
        "/home/runner/calc/build.xml:60: Directory does not exist: dist/lib",
    ]
    d = diagnose(actions_job("ant dist", lines))
    assert d.category != "test_failure"
    assert d.failing_tests == []


def _kotlin_test_task(task: str, lines: list[str]) -> list[str]:
    return [
        f"> Task {task}",
        "",
        *lines,
        "",
        "2 tests completed, 1 failed",
        "",
        f"> Task {task} FAILED",
        *_what_went_wrong(
            task,
            ["> There were failing tests. See the report at: file:///x/build/reports/index.html"],
        ),
    ]


def test_kotlin_js_test_named_by_class_dot_name() -> None:
    lines = [
        "com.example.CalcTest.adds[js, node] FAILED",
        "    AssertionError at /home/runner/a/build/js/packages/a-test/kotlin/a-test.js:123",
        "",
        "com.example.CalcTest.failedLoginIsRejected[js, node] PASSED",
    ]
    d = diagnose(actions_job("./gradlew jsNodeTest", _kotlin_test_task(":jsNodeTest", lines)))
    assert d.category == "test_failure"
    assert d.failing_tests == ["com.example.CalcTest.adds[js, node]"]
    assert d.failures[0].message is not None
    assert d.failures[0].message.startswith("AssertionError at ")


def test_kotlin_native_test_named_by_class_dot_name() -> None:
    lines = [
        "com.example.CalcTest.adds[iosX64] FAILED",
        "    kotlin.AssertionError at null:-1",
    ]
    d = diagnose(actions_job("./gradlew iosX64Test", _kotlin_test_task(":iosX64Test", lines)))
    assert d.failing_tests == ["com.example.CalcTest.adds[iosX64]"]
    assert d.failures[0].message == "kotlin.AssertionError at null:-1"


def test_dotted_failed_line_without_an_exception_is_not_a_test() -> None:
    """Near miss: a task's or a tool's own ``x.y FAILED`` with no exception below."""
    lines = ["> Task :app:publish", "", "com.example.release FAILED", "", "Publishing aborted"]
    d = diagnose(actions_job("./gradlew publish", lines))
    assert "com.example.release" not in d.failing_tests


def test_android_lint_task_is_lint_and_its_finding_is_key() -> None:
    lines = [
        "> Task :app:lintDebug FAILED",
        "Lint found 2 errors, 3 warnings. First failure:",
        "/home/runner/a/app/src/main/res/layout/main.xml:12: Error: Hardcoded string"
        ' "Hi", should use @string resource [HardcodedText]',
        *_what_went_wrong(
            ":app:lintDebug", ["> Lint found errors in the project; aborting build."]
        ),
    ]
    d = diagnose(actions_job("./gradlew build", lines))
    assert (d.category, d.rule) == ("lint", "gradle-lint-task")
    assert "> Lint found errors in the project; aborting build." in _keys(d) or any(
        "Hardcoded string" in k for k in _keys(d)
    )


def test_checkstyle_and_detekt_tasks_are_lint() -> None:
    checkstyle = _what_went_wrong(
        ":checkstyleMain",
        [
            "> Checkstyle rule violations were found. See the report at:"
            " file:///x/build/reports/checkstyle/main.html",
        ],
    )
    assert diagnose(actions_job("./gradlew build", checkstyle)).category == "lint"
    detekt = _what_went_wrong(":app:detekt", ["> Analysis failed with 3 weighted issues."])
    d = diagnose(actions_job("./gradlew check", detekt))
    assert d.category == "lint"
    assert "> Analysis failed with 3 weighted issues." in _keys(d)


def test_a_lint_named_packaging_task_stays_the_build() -> None:
    """Near miss: ``prepareLintJarForPublish`` packages lint checks; it runs no linter."""
    lines = _what_went_wrong(
        ":lib:prepareLintJarForPublish",
        ["> Found more than one jar in the 'lintPublish' configuration."],
    )
    d = diagnose(actions_job("./gradlew build", lines))
    assert d.category == "build"


def test_a_class_that_failed_itself_is_named_by_its_path() -> None:
    """TestEventLogger.afterSuite logs a suite's own failure (``@BeforeAll``, a Spring
    context) as its path alone, ``pkg.Class FAILED``, the exception below it."""
    lines = [
        "com.example.AppTest FAILED",
        "    java.lang.IllegalStateException: Failed to load ApplicationContext",
        "        at app//org.springframework.test.context.cache.DefaultCacheAwareContextLoader"
        "Delegate.loadContext(DefaultCacheAwareContextLoaderDelegate.java:98)",
        "        at app//com.example.AppTest.setUp(AppTest.java:20)",
        "",
        "com.example.CalcTest > failedLoginIsRejected() PASSED",
        "com.example.CalcTest > adds() SKIPPED",
    ]
    d = diagnose(actions_job("./gradlew test", _kotlin_test_task(":test", lines)))
    assert d.failing_tests == ["com.example.AppTest"]
    got = d.failures[0]
    assert got.message == "java.lang.IllegalStateException: Failed to load ApplicationContext"
    assert got.location == "AppTest.java:20"


def test_full_format_keeps_reading_past_an_indented_blank_line() -> None:
    """FullExceptionFormatter indents every line of the exception's text (TextUtil.indent),
    a blank line of Spock's condition diagram too: the test's frame below it is the location."""
    lines = [
        "com.example.CalcSpec > adds two numbers FAILED",
        "    Condition not satisfied:",
        "    ",
        "    1 + 1 == 3",
        "          |",
        "          false",
        "        at com.example.CalcSpec.adds two numbers(CalcSpec.groovy:12)",
    ]
    d = diagnose(actions_job("./gradlew test", _kotlin_test_task(":test", lines)))
    assert d.failing_tests == ["com.example.CalcSpec > adds two numbers"]
    assert (d.failures[0].message, d.failures[0].location) == (
        "Condition not satisfied:",
        "CalcSpec.groovy:12",
    )


def test_display_name_path_with_a_trailing_space() -> None:
    lines = [
        "Calculator tests > adds one and one() FAILED ",
        "    org.opentest4j.AssertionFailedError at CalcTest.java:9",
    ]
    d = diagnose(actions_job("./gradlew test", _kotlin_test_task(":test", lines)))
    assert d.failing_tests == ["Calculator tests > adds one and one()"]


def test_spotbugs_maven_goal_is_lint() -> None:
    lines = [
        "[INFO] BUILD FAILURE",
        "[ERROR] Failed to execute goal com.github.spotbugs:spotbugs-maven-plugin:4.7.3.0:check"
        " (default) on project app: failed with 2 bugs and 0 errors -> [Help 1]",
    ]
    assert diagnose(actions_job("mvn -B verify", lines)).category == "lint"
