# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 15, helper b15D3 (whole Travis CI job logs): Travis macOS logs
published with CRLF line ends, where ``travis_time:start:<id>`` stands alone and the
``$ command`` is the next line (each command is still its own step); xcodebuild's
invocation error with Travis' stray ``nl`` glued to it; a later Travis command that failed
on an error of the same kind but another rule (its line joins the key lines); and
CoffeeScript's Cakefile test runner (``failed N and passed M tests``, the test's
description, then its error).

Each snippet is written in the shape the tool prints and asserts what a maintainer would
name as the cause; the near misses keep what must not change.
"""

from __future__ import annotations

import io

from bot.diagnose.engine import diagnose
from bot.diagnose.extractors import extract_failures
from bot.diagnose.logreader import LogReader, clean_line
from tests.diagnose.joblogs import TravisCommand, travis_timed_job


def travis_commands(commands: list[TravisCommand], split: bool = True) -> io.BytesIO:
    """A Travis job of several commands; ``split`` (the default here): the macOS CRLF form,
    where the timing marker ends its own line and the ``$ command`` follows on the next."""
    return travis_timed_job(commands, split=split)


_DESTINATION = [
    "",
    "xcodebuild: error: Unable to find a destination matching the provided destination specifier:",
    "",
    "\t\t{ platform:iOS Simulator, OS:12, name:iPhone 6 }",
    "nl",
    "nl\tThe requested device could not be found because no available devices matched the request.",
]
_DESTINATION_RETRIED = [
    *_DESTINATION,
    'nl\x1b[31;1mThe command "xcodebuild -scheme SwiftyJSON iOS build-for-testing test" failed. Retrying, 2 of 3.\x1b[0m',
    "nl",
    "nlxcodebuild: error: Unable to find a destination matching the provided destination specifier:",
    "",
    "\t\t{ platform:iOS Simulator, OS:12, name:iPhone 6 }",
    'nl\x1b[31;1mThe command "xcodebuild -scheme SwiftyJSON iOS build-for-testing test" failed 3 times.\x1b[0m',
]
_COMPILE = [
    "\x1b[33m▸\x1b[0m \x1b[39;1mCompiling\x1b[0m SwiftyJSON.swift",
    "nl\x1b[31m❌  \x1b[0m/Users/travis/build/acme/json/Source/JSON.swift:97:2: \x1b[31munknown attribute 'dynamicMemberLookup'\x1b[0m",
    "nl@dynamicMemberLookup",
    "",
    "** TEST BUILD FAILED **",
]
_IOS = 'travis_retry xcodebuild -scheme "SwiftyJSON iOS" build-for-testing test | xcpretty'
_MACOS = 'travis_retry xcodebuild -scheme "SwiftyJSON macOS" build-for-testing test | xcpretty'
_TVOS = 'travis_retry xcodebuild -scheme "SwiftyJSON tvOS" build-for-testing test | xcpretty'


# ---- Travis macOS framing with CRLF line ends ----------------------------------------------


def test_travis_lone_timing_marker_still_frames_each_command() -> None:
    reader = LogReader(watch=[])
    list(reader.lines(travis_commands([("set -o pipefail", [], 0), (_IOS, _DESTINATION, 70)])))
    travis = [s for s in reader.steps if s.kind == "travis"]
    assert [s.title for s in travis] == ["Run set -o pipefail", f"Run {_IOS}"]
    assert [s.exit_code for s in travis] == [0, 70]


def test_travis_one_line_marker_unchanged() -> None:
    reader = LogReader(watch=[])
    list(reader.lines(travis_commands([(_IOS, _DESTINATION, 70)], split=False)))
    assert [s.title for s in reader.steps if s.kind == "travis"] == [f"Run {_IOS}"]


def test_lone_marker_without_a_command_next_starts_no_step() -> None:
    """A timing marker followed by output (not ``$ …``) is not a command."""
    lines = [
        "travis_fold:start:worker_info",
        "travis_time:start:0a1b2c3d",
        "\x1b[0KNo Gemfile found, skipping bundle install",
        "travis_time:end:0a1b2c3d:start=1,finish=2,duration=1",
    ]
    reader = LogReader(watch=[])
    list(reader.lines(io.BytesIO("".join(f"{x}\r\n" for x in lines).encode())))
    assert [s for s in reader.steps if s.kind == "travis"] == []


# ---- xcodebuild: the invocation error with Travis' stray ``nl`` ------------------------------


def test_xcodebuild_destination_error_after_retries_with_nl_prefix() -> None:
    d = diagnose(travis_commands([(_IOS, _DESTINATION_RETRIED, 70)]))
    assert (d.category, d.rule) == ("build", "xcodebuild-invocation-error")
    assert "Unable to find a destination" in d.key_lines[0].text


def test_nl_before_other_lower_case_words_is_not_an_xcodebuild_error() -> None:
    d = diagnose(
        travis_commands(
            [
                (
                    _IOS,
                    [
                        "echo nlxcodebuild: error: Unable to find a destination matching the provided destination specifier:"
                    ],
                    70,
                )
            ]
        )
    )
    assert d.rule != "xcodebuild-invocation-error"


# ---- a later Travis command failing on another error of the same kind ------------------------


def test_later_command_with_another_build_error_joins_the_key_lines() -> None:
    d = diagnose(
        travis_commands(
            [(_IOS, _DESTINATION_RETRIED, 70), (_MACOS, _COMPILE, 65), (_TVOS, _COMPILE, 65)]
        )
    )
    assert (d.category, d.rule) == ("build", "xcodebuild-invocation-error")
    texts = [k.text for k in d.key_lines]
    assert "Unable to find a destination" in texts[0]
    assert sum("dynamicMemberLookup" in t for t in texts) == 1  # once, not per scheme
    assert d.key_lines[-1].rule == "xcode-build-error"


def test_later_command_with_the_same_rule_adds_nothing() -> None:
    d = diagnose(travis_commands([(_MACOS, _COMPILE, 65), (_TVOS, _COMPILE, 65)]))
    assert d.rule == "xcode-build-error"
    assert [k.step for k in d.key_lines] == [d.key_lines[0].step] * len(d.key_lines)


def test_later_command_of_another_category_adds_nothing() -> None:
    """A later test run that fails after the build failed is a consequence: not shown."""
    tests = [
        "AssertionError: expected 1 to equal 2",
        "    at Context.<anonymous> (test/a.spec.js:3:9)",
    ]
    d = diagnose(
        travis_commands(
            [
                (_MACOS, _COMPILE, 65),
                ("npm test", ["npm ERR! Test failed.  See above for more details.", *tests], 1),
            ]
        )
    )
    assert d.category == "build"
    assert not any("expected 1 to equal 2" in k.text for k in d.key_lines)


# ---- CoffeeScript's Cakefile test runner --------------------------------------------------

_CAKE_FAILED = [
    "\x1b[0;31mfailed 2 and passed 1288 tests in 8.20 seconds\x1b[0m\x1b[0m ",
    "",
    "\x1b[0;31m  numeric literal separators\x1b[0m ",
    "\x1b[0;31m  AssertionError [ERR_ASSERTION]: Missing expected exception.",
    "    at doesNotCompile (/home/runner/build/acme/coffee/test/numeric_literal_separators.coffee:1:1)",
    "    at global.test (/home/runner/build/acme/coffee/Cakefile:556:21)",
    "\x1b[0m ",
    "  function() {",
    "    return doesNotCompile('1_');",
    "  }",
    "",
    "\x1b[0;31m  async iteration\x1b[0m ",
    "\x1b[0;31m  TypeError: Cannot read property 'next' of undefined",
    "    at Object.<anonymous> (/home/runner/build/acme/coffee/test/async.coffee:1:1)",
    "\x1b[0m ",
]
_CAKE_NOT_COMPILING = [
    "\x1b[0;31mfailed 1 and passed 1236 tests in 8.83 seconds\x1b[0m\x1b[0m ",
    "",
    "\x1b[0;31m  test/numbers_bigint.coffee:8:25: error: unexpected identifier",
    "  eq 'bigint', typeof 42\x1b[1;31mn\x1b[0m",
    "\x1b[1;31m                        ^\x1b[0m\x1b[0m ",
]


def test_cake_names_each_failing_test_by_its_description() -> None:
    d = diagnose(travis_commands([("node --harmony ./bin/cake test", _CAKE_FAILED, 1)]))
    assert d.category == "test_failure"
    assert d.failing_tests == ["numeric literal separators", "async iteration"]
    assert d.failures[0].message == "AssertionError [ERR_ASSERTION]: Missing expected exception."
    assert d.failures[1].message == "TypeError: Cannot read property 'next' of undefined"
    assert d.failures[0].location is None  # compiled frames (``:1:1``) name no line


def test_cake_test_file_that_does_not_compile_names_no_test() -> None:
    d = diagnose(travis_commands([("node ./bin/cake test", _CAKE_NOT_COMPILING, 1)]))
    assert d.failing_tests == []
    assert (d.category, d.rule) == ("build", "coffee-compile-error")


def test_cake_shapes_without_the_summary_name_no_test() -> None:
    """The description-then-error shape alone (no ``failed N and passed M``) is not cake's."""
    lines = [
        "",
        "  numeric literal separators",
        "  AssertionError [ERR_ASSERTION]: Missing expected exception.",
    ]
    assert extract_failures(lines) == []


def test_cake_passing_summary_names_no_test() -> None:
    lines = ["passed 1288 tests in 8.18 seconds", "", "  some text", "  Error: not a failure"]
    assert extract_failures(lines) == []


def test_cake_only_reads_as_many_failures_as_announced() -> None:
    lines = [_CAKE_FAILED[0].replace("failed 2", "failed 1"), *_CAKE_FAILED[1:]]
    assert [f.test for f in extract_failures([clean_line(x) for x in lines])] == [
        "numeric literal separators"
    ]
