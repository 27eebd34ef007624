# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 6, collection A (whole Travis CI job logs of JVM/Scala/C# projects):
JVM exception messages that start on the line after a bare ``java.lang.AssertionError: ``
(AssertJ, Hamcrest), sbt's compile-task errors, and tldr-lint's findings.

Each snippet is written in the shape the tool prints and asserts what a maintainer would
name as the cause.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.extract_jvm import Gradle, Surefire
from tests.diagnose.joblogs import actions_job


def _feed(extractor: Surefire | Gradle, lines: list[str]) -> None:
    for number, line in enumerate(lines, 1):
        extractor.feed(line, number)


# Surefire 2.x (Maven < 3.3) prints the report unprefixed; AssertJ's message begins on the
# line after the exception's class name.
ASSERTJ_SUREFIRE = [
    "Running retrofit2.ResponseTest",
    "Tests run: 15, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.051 sec <<< FAILURE!",
    "nullErrorThrows(retrofit2.ResponseTest)  Time elapsed: 0.017 sec  <<< FAILURE!",
    "java.lang.AssertionError: ",
    "Expecting message:",
    ' <"body == null">',
    "but was:",
    " <null>",
    "\tat retrofit2.ResponseTest.nullErrorThrows(ResponseTest.java:139)",
    "\tat sun.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
    "",
    "Results :",
    "",
    "Failed tests:   nullErrorThrows(retrofit2.ResponseTest): (..)",
]


def test_surefire_message_after_a_bare_assertion_error_runs_to_the_first_frame() -> None:
    ex = Surefire()
    _feed(ex, ASSERTJ_SUREFIRE)
    (failure,) = ex.failures()
    assert failure.test == "nullErrorThrows(retrofit2.ResponseTest)"
    assert failure.message == (
        'java.lang.AssertionError: Expecting message: <"body == null"> but was: <null>'
    )
    assert failure.location == "ResponseTest.java:139"
    assert failure.line == 4  # the exception line, where the message starts


def test_surefire_message_with_text_on_its_first_line_stays_that_line() -> None:
    ex = Surefire()
    _feed(
        ex,
        [
            "adds(demo.CalcTest)  Time elapsed: 0.01 sec  <<< FAILURE!",
            "java.lang.AssertionError: expected:<4> but was:<5>",
            "\tat org.junit.Assert.fail(Assert.java:88)",
            "\tat demo.CalcTest.adds(CalcTest.java:11)",
        ],
    )
    (failure,) = ex.failures()
    assert failure.message == "java.lang.AssertionError: expected:<4> but was:<5>"
    assert failure.location == "CalcTest.java:11"


def test_surefire_bare_throwable_message_stops_at_the_stack_even_after_library_frames() -> None:
    ex = Surefire()
    _feed(
        ex,
        [
            "parses(demo.ParserTest)  Time elapsed: 0.01 sec  <<< ERROR!",
            "java.lang.IllegalStateException: ",
            "bad token",
            "\tat demo.Parser.next(Parser.java:40)",
            "\t... 23 more",
            "Caused by: java.io.EOFException: end",
        ],
    )
    (failure,) = ex.failures()
    assert failure.message == "java.lang.IllegalStateException: bad token"


def test_surefire_assertj_failure_through_the_engine_is_a_test_failure_with_its_message() -> None:
    d = diagnose(actions_job("mvn test -B", [*ASSERTJ_SUREFIRE, "[INFO] BUILD FAILURE"]))
    assert d.category == "test_failure"
    assert d.failing_tests == ["nullErrorThrows(retrofit2.ResponseTest)"]
    (failure,) = d.failures
    assert failure.message is not None and "but was: <null>" in failure.message


def test_gradle_full_exception_format_hamcrest_message_spans_its_lines() -> None:
    ex = Gradle()
    _feed(
        ex,
        [
            "demo.CalcTest > adds FAILED",
            "    java.lang.AssertionError: ",
            "    Expected: is <4>",
            "         but: was <5>",
            "        at org.hamcrest.MatcherAssert.assertThat(MatcherAssert.java:20)",
            "        at demo.CalcTest.adds(CalcTest.java:11)",
            "",
            "2 tests completed, 1 failed",
        ],
    )
    (failure,) = ex.failures()
    assert failure.message == "java.lang.AssertionError: Expected: is <4> but: was <5>"
    assert failure.location == "CalcTest.java:11"


def test_gradle_one_line_message_is_unchanged() -> None:
    ex = Gradle()
    _feed(
        ex,
        [
            "io.reactivex.FlowableRefCountTest > publishNoLeak FAILED",
            "    java.lang.AssertionError: 20,471,656 -> 116,032,736",
            "        at org.junit.Assert.fail(Assert.java:88)",
            "        at io.reactivex.FlowableRefCountTest.publishNoLeak(FlowableRefCountTest.java:761)",
        ],
    )
    (failure,) = ex.failures()
    assert failure.message == "java.lang.AssertionError: 20,471,656 -> 116,032,736"
    assert failure.location == "FlowableRefCountTest.java:761"


SBT_COMPILE = [
    "[info] Compiling 12 Scala sources to /home/runner/build/o/r/core/target/scala-2.13/classes ...",
    "[warn] /home/runner/build/o/r/core/src/main/scala/a/Old.scala:3:7: method foo in object Old is deprecated",
    "[error] /home/runner/build/o/r/core/src/main/scala/a/Flow.scala:133:47: The unicode arrow `⇒` is deprecated, use `=>` instead.",
    "[error]       case s ⇒ s.cancel()",
    "[error]              ^",
    "[error] one error found",
    "[error] (core / Compile / compileIncremental) Compilation failed",
    "[error] Total time: 119 s, completed Jul 23, 2019 12:06:28 PM",
]


def test_sbt_compile_error_is_a_build_failure_named_by_the_file_line() -> None:
    d = diagnose(actions_job("sbt test:compile", SBT_COMPILE))
    assert d.category == "build"
    assert d.rule == "sbt-compile-error"
    assert "Flow.scala:133:47: The unicode arrow" in d.key_lines[0].text
    assert not any(k.text.startswith("[warn]") for k in d.key_lines)


def test_sbt_013_compile_error_without_a_column() -> None:
    d = diagnose(
        actions_job(
            "sbt compile",
            [
                "[error] /home/runner/build/o/r/src/main/scala/a/B.scala:12: not found: value x",
                "[error]   x + 1",
                "[error]   ^",
                "[error] one error found",
                "[error] (compile:compileIncremental) Compilation failed",
            ],
        )
    )
    assert d.category == "build"
    assert d.key_lines[0].text.endswith("B.scala:12: not found: value x")


def test_sbt_warnings_alone_fire_no_compile_rule() -> None:
    d = diagnose(
        actions_job(
            "sbt compile",
            [
                "[warn] /home/runner/build/o/r/src/main/scala/a/B.scala:12:3: match may not be exhaustive.",
                "[warn] one warning found",
                "[success] Total time: 20 s",
            ],
        )
    )
    assert d.rule != "sbt-compile-error"


def test_sbt_failed_tests_outrank_the_compile_rule() -> None:
    d = diagnose(
        actions_job(
            "sbt test",
            [
                "[info] ConcurrencyEndToEndTest:",
                "[info] - Requests exceeding limit should increase dropped_request count *** FAILED ***",
                "[info]   10.0 was not greater than 10 (ConcurrencyEndToEndTest.scala:73)",
                "[error] Failed: Total 16, Failed 1, Errors 0, Passed 15",
                "[error] Failed tests:",
                "[error] \tcom.twitter.finagle.exp.ConcurrencyEndToEndTest",
                "[error] (finagle-exp / Test / test) sbt.TestsFailedException: Tests unsuccessful",
            ],
        )
    )
    assert d.category == "test_failure"
    assert d.failing_tests == ["com.twitter.finagle.exp.ConcurrencyEndToEndTest"]


def test_tldr_lint_finding_is_lint() -> None:
    d = diagnose(
        actions_job(
            "npm test",
            [
                "> tldr-pages@ test /home/runner/build/tldr-pages/tldr",
                "> bash scripts/test.sh",
                "",
                "pages/common/mat2.md:3: TLDR004 Command descriptions should end in a period",
                "npm ERR! Test failed.  See above for more details.",
            ],
        )
    )
    assert d.category == "lint"
    assert d.key_lines[0].text.startswith("pages/common/mat2.md:3: TLDR004")


DOTNET_PUBLISH = [
    "Microsoft (R) Build Engine version 15.9.20+g88f5fadfbe for .NET Core",
    "  System.Management.Automation -> /home/runner/build/o/r/src/SMA/bin/Release/netcoreapp2.1/SMA.dll",
    "W: An error occurred during the signature verification. The repository is not updated and the previous index files will be used.",
    "/home/runner/build/o/r/src/Render/EmphasisInlineRenderer.cs(19,104): error CS0618: 'EmphasisInline.IsDouble' is obsolete: 'Use `DelimiterCount == 2` instead' [/home/runner/build/o/r/src/Render/Render.csproj]",
    "Execution of { dotnet $Arguments } by build.psm1: line 368 failed with exit code 1",
]


def test_csharp_compiler_error_is_a_dotnet_build_failure() -> None:
    d = diagnose(actions_job("pwsh -File tools/travis.ps1", DOTNET_PUBLISH))
    assert d.category == "build"
    assert d.rule == "dotnet-build-error"
    assert any("error CS0618: 'EmphasisInline.IsDouble' is obsolete" in k.text for k in d.key_lines)


def test_msbuild_summary_indented_errors_and_fileless_csc_errors() -> None:
    for line in (
        "    C:\\a\\proj\\src\\App.cs(3,9): error CS1002: ; expected [C:\\a\\proj\\src\\App.csproj]",
        "CSC : error CS2001: Source file '/home/runner/work/p/p/Gen.cs' could not be found. [/home/runner/work/p/p/App.csproj]",
        "/home/runner/work/p/p/Lib.fs(12,5): error FS0039: The value or constructor 'x' is not defined. [/home/runner/work/p/p/Lib.fsproj]",
    ):
        d = diagnose(actions_job("dotnet build", ["Build FAILED.", "", line]))
        assert (d.category, d.rule) == ("build", "dotnet-build-error"), line


def test_csharp_warning_is_not_a_dotnet_build_error() -> None:
    d = diagnose(
        actions_job(
            "dotnet build",
            [
                "/home/runner/work/p/p/App.cs(3,9): warning CS0168: The variable 'e' is declared but never used [/home/runner/work/p/p/App.csproj]",
                "Build succeeded.",
            ],
            code=0,
        )
    )
    assert d.rule != "dotnet-build-error"
