"""Flutter and Dart failures in CI (s40g): ``flutter test``'s exception block, platform
builds (``flutter build apk/ios/web``), pub's network errors and the analyzer's findings.

Each sample is built from the tool's own source:

- flutter/flutter ``packages/flutter_test/lib/src/binding.dart`` (``_reportException``: the
  ``══╡ EXCEPTION CAUGHT BY FLUTTER TEST FRAMEWORK ╞═══`` block, ``The following TestFailure
  was thrown running a test:``, ``The test description was:``, and the test's own error
  ``Test failed. See exception logs above.``), ``stack_manipulation.dart``
  (``This was caught by the test expectation on the following line:`` / ``  file:///… line
  N``) and ``_goldens_io.dart`` (``Golden "x.png": Pixel test failed, 2.50%, 1234px diff
  detected.``);
- dart-lang/test ``pkgs/test_core/lib/src/runner/reporter/expanded.dart`` and ``github.dart``
  (the block before the ``[E]`` line; inside ``::group::❌ … (failed)`` with GitHub's);
- flutter_tools ``android/gradle.dart`` (``Gradle task assembleRelease failed with exit code
  1``), ``ios/mac.dart`` / ``commands/build_ios.dart`` (``Error (Xcode): …``, ``Encountered
  error while building for device.``), ``build_system/build_system.dart`` (``Target
  kernel_snapshot_program failed: Exception``), ``web/compile.dart`` (``Error: Failed to
  compile application for the Web.``) and ``commands/analyze_once.dart`` (``info • message •
  path:L:C • code``); the Dart front end's ``path:L:C: Error: message``;
- dart-lang/pub ``lib/src/source/hosted.dart`` (``Got socket error trying to find package x
  at https://pub.dev.``); dart-lang/sdk ``pkg/dartdev/lib/src/commands/analyze.dart``
  (``  error - path:L:C - message - code``).
"""

from __future__ import annotations

from bot.diagnose.engine import Diagnosis, diagnose
from bot.diagnose.extractors import extract_failures
from tests.diagnose.joblogs import actions_job

RULE = "═" * 100
SUITE = "/home/runner/work/app/app/test/widget_test.dart"
NAME = "Counter increments the counter"

WIDGET_BLOCK = [
    "══╡ EXCEPTION CAUGHT BY FLUTTER TEST FRAMEWORK ╞" + "═" * 52,
    "The following TestFailure was thrown running a test:",
    "Expected: exactly one matching candidate",
    '  Actual: _TextWidgetFinder:<Found 0 widgets with text "1": []>',
    "   Which: means none were found but one was expected",
    "",
    "When the exception was thrown, this was the stack:",
    "#4      main.<anonymous closure> (file:///home/runner/work/app/app/test/widget_test.dart:30:5)",
    "<asynchronous suspension>",
    "(elided one frame from package:stack_trace)",
    "",
    "This was caught by the test expectation on the following line:",
    "  file:///home/runner/work/app/app/test/widget_test.dart line 31",
    "The test description was:",
    "  increments the counter",
    RULE,
]
WIDGET_MESSAGE = (
    "Expected: exactly one matching candidate "
    'Actual: _TextWidgetFinder:<Found 0 widgets with text "1": []>'
)

EXPANDED = [
    "00:01 +0: loading /home/runner/work/app/app/test/widget_test.dart",
    f"00:03 +0: {SUITE}: {NAME}",
    *WIDGET_BLOCK,
    f"00:03 +0 -1: {SUITE}: {NAME} [E]",
    "  Test failed. See exception logs above.",
    "  The test description was: increments the counter",
    "",
    f"To run this test again: dart test {SUITE} -p vm --plain-name '{NAME}'",
    "00:04 +1 -1: Some tests failed.",
]


def _run(command: str, lines: list[str]) -> Diagnosis:
    return diagnose(actions_job(command, lines).getvalue())


def _texts(result: Diagnosis) -> list[str]:
    return [k.text.strip() for k in result.key_lines]


def test_flutter_block_is_the_failed_widget_tests_message_and_line() -> None:
    [failure] = extract_failures(EXPANDED)
    assert (failure.test, failure.message, failure.location) == (
        "Counter increments the counter",  # the full name, as --plain-name takes it
        WIDGET_MESSAGE,
        "test/widget_test.dart:31",  # the expectation's line, not the frame's
    )
    result = _run("flutter test", EXPANDED)
    assert result.category == "test_failure"
    assert _texts(result)[0] == WIDGET_MESSAGE
    assert "Test failed. See exception logs above." not in _texts(result)[:1]


def test_golden_mismatch_is_the_message() -> None:
    lines = [
        "══╡ EXCEPTION CAUGHT BY FLUTTER TEST FRAMEWORK ╞" + "═" * 52,
        "The following assertion was thrown while running async test code:",
        'Golden "goldens/home.png": Pixel test failed, 2.50%, 1234px diff detected.',
        "Failure feedback can be found at /home/runner/work/app/app/test/failures",
        "",
        "When the exception was thrown, this was the stack:",
        "#0      LocalFileComparator.compare (package:flutter_test/src/_goldens_io.dart:103:5)",
        "<asynchronous suspension>",
        "#1      main.<anonymous closure> (file:///home/runner/work/app/app/test/home_test.dart:21:5)",
        "The test description was:",
        "  home screen golden",
        RULE,
        "00:05 +3 -1: test/home_test.dart: home screen golden [E]",
        "  Test failed. See exception logs above.",
        "  The test description was: home screen golden",
        "00:06 +3 -1: Some tests failed.",
    ]
    [failure] = extract_failures(lines)
    assert (failure.test, failure.message, failure.location) == (
        "home screen golden",
        'Golden "goldens/home.png": Pixel test failed, 2.50%, 1234px diff detected.',
        "test/home_test.dart:21",  # the test file's frame when no expectation line is given
    )


def test_github_reporter_prints_the_block_inside_the_tests_group() -> None:
    lines = [
        f"::group::❌ {SUITE}: {NAME} (failed)",
        *WIDGET_BLOCK,
        "Test failed. See exception logs above.",
        "The test description was: increments the counter",
        "",
        "::endgroup::",
        "::group::✅ Passing tests",
        "✅ /home/runner/work/app/app/test/widget_test.dart: Counter starts at zero",
        "::endgroup::",
        "::error::1 test passed, 1 failed.",
    ]
    [failure] = extract_failures(lines)
    assert (failure.test, failure.message, failure.location) == (
        "Counter increments the counter",
        WIDGET_MESSAGE,
        "test/widget_test.dart:31",
    )


def test_near_misses_name_no_failure() -> None:
    passing = [
        "00:01 +0: loading /home/runner/work/app/app/test/widget_test.dart",
        "00:02 +11 ~1: test/widget_test.dart: skipped on CI",
        "00:03 +12 ~1: All tests passed!",
        "✅ test/widget_test.dart: Counter starts at zero",
    ]
    assert extract_failures(passing) == []
    # a block whose description is another test's is not this test's message
    other = [*WIDGET_BLOCK, "00:03 +0 -1: test/x_test.dart: another test [E]", "  boom"]
    [failure] = extract_failures(other)
    assert (failure.test, failure.message) == ("another test", "boom")


def test_dart_compile_error_in_flutter_build_apk_is_build() -> None:
    result = _run(
        "flutter build apk --release",
        [
            "Running Gradle task 'assembleRelease'...",
            "lib/main.dart:12:5: Error: The method 'foo' isn't defined for the class '_HomeState'.",
            " - '_HomeState' is from 'package:app/main.dart' ('lib/main.dart').",
            "    foo();",
            "    ^^^",
            "Target kernel_snapshot_program failed: Exception",
            "",
            "FAILURE: Build failed with an exception.",
            "",
            "* What went wrong:",
            "Execution failed for task ':app:compileFlutterBuildRelease'.",
            "> Process 'command '/opt/flutter/bin/flutter'' finished with non-zero exit value 1",
            "",
            "BUILD FAILED in 1m 3s",
            "Running Gradle task 'assembleRelease'...                           64.2s",
            "Gradle task assembleRelease failed with exit code 1",
        ],
    )
    assert (result.category, result.rule) == ("build", "dart-compile-error")
    assert "isn't defined for the class '_HomeState'" in _texts(result)[0]


def test_xcode_error_in_flutter_build_ios_is_build() -> None:
    result = _run(
        "flutter build ios --release --no-codesign",
        [
            "Running Xcode build...",
            "Xcode build done.                                           60.1s",
            "Failed to build iOS app",
            "Swift Compiler Error (Xcode): Cannot find 'FooPlugin' in scope",
            "/Users/runner/work/app/app/ios/Runner/AppDelegate.swift:16:16",
            "",
            "Encountered error while building for device.",
        ],
    )
    assert (result.category, result.rule) == ("build", "flutter-build-failed")
    assert "Cannot find 'FooPlugin' in scope" in _texts(result)[0]


def test_pub_socket_error_is_network() -> None:
    result = _run(
        "flutter pub get",
        [
            "Resolving dependencies...",
            "Got socket error trying to find package http at https://pub.dev.",
            "Failed to update packages.",
        ],
    )
    assert (result.category, result.rule) == ("infra_network", "pub-network-error")
    # pub's own version solving stays a dependency error
    solving = _run(
        "dart pub get",
        [
            "Resolving dependencies...",
            "The current Dart SDK version is 3.1.0.",
            "",
            "Because app requires SDK version >=3.2.0 <4.0.0, version solving failed.",
        ],
    )
    assert solving.category == "dependency_install"


def test_fatal_infos_are_lint_and_dart_analyze_errors_type_check() -> None:
    info = (
        "   info - lib/main.dart:12:12 - Use 'const' with the constructor to improve "
        "performance. Try adding the 'const' keyword to the constructor invocation. - "
        "prefer_const_constructors"
    )
    result = _run(
        "dart analyze --fatal-infos", ["Analyzing app...", "", info, "", "1 issue found."]
    )
    assert (result.category, result.rule) == ("lint", "dart-analyzer-lint")
    flutter = "   info • Don't invoke 'print' in production code • lib/api.dart:22:5 • avoid_print"
    result = _run(
        "flutter analyze", ["Analyzing app...", "", flutter, "", "1 issue found. (ran in 3.1s)"]
    )
    assert (result.category, result.rule) == ("lint", "dart-analyzer-lint")
    error = (
        "  error - lib/cart.dart:10:20 - The argument type 'String' can't be assigned to the "
        "parameter type 'int'. - argument_type_not_assignable"
    )
    result = _run("dart analyze", ["Analyzing app...", "", error, info, "", "2 issues found."])
    assert (result.category, result.rule) == ("type_check", "dart-analyze-error")


def test_clean_format_and_analyze_lines_name_no_cause() -> None:
    # a passing `dart format` and analyzer before a failing test: the test is the cause
    lines = [
        "Formatted 12 files (0 changed) in 0.21 seconds.",
        "No issues found! (ran in 2.1s)",
        "00:01 +0 -1: test/calc_test.dart: adds [E]",
        "  Expected: <3>",
        "    Actual: <4>",
        "00:01 +0 -1: Some tests failed.",
    ]
    result = _run("dart test", lines)
    assert result.category == "test_failure"
    assert result.rule is None


def test_a_block_whose_closing_rule_was_not_read_still_ends_at_the_next_test() -> None:
    # the reader yields a window of lines after a trigger: a long stack may hide the rule
    cut = [line for line in EXPANDED if line != RULE]
    [failure] = extract_failures(cut)
    assert (failure.test, failure.message) == (NAME, WIDGET_MESSAGE)
