# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from whole Travis CI job logs (batch 6, collection D): tape's TAP output, Xcode
builds through xcpretty, rake without a Rakefile or task, Travis' macOS ``nl`` line
prefix, sbt's compiler errors and tldr-lint.

Each snippet is written in the shape the tool prints and asserts what a maintainer would
name as the cause.
"""

from __future__ import annotations

import io

from bot.diagnose.engine import diagnose
from bot.diagnose.extract_js import NodeTest
from bot.diagnose.extractors import extract_failures


def _travis(lines: list[str], command: str = "npm test", code: int = 1) -> io.BytesIO:
    """A Travis CI job log: no step framing, the command's output, Travis' exit line."""
    out = [
        "travis_fold:start:worker_info\x1b[0K\x1b[33;1mWorker information\x1b[0m",
        "hostname: 6f0c2a3e-travis-job",
        "travis_fold:end:worker_info\x1b[0K",
        f"travis_time:start:0a1b2c3d\x1b[0K$ {command}",
        *lines,
        f'travis_time:end:0a1b2c3d\x1b[0K\x1b[31;1mThe command "{command}" exited with {code}.\x1b[0m',
        "",
        "Done. Your build exited with 1.",
    ]
    return io.BytesIO("".join(f"{line}\r\n" for line in out).encode())


def _rules(d: object) -> set[str]:
    return {k.rule for k in d.key_lines}  # type: ignore[attr-defined]


TAPE = [
    "TAP version 13",
    "# base: does not reference react",
    "ok 1 there is no react plugin",
    "ok 2 there are no react/ rules",
    "# passes a good component",
    "ok 3 no warnings",
    "not ok 4 no errors",
    "  ---",
    "    operator: notOk",
    "    expected: false",
    "    actual:   1",
    "    at: Test.<anonymous> (/home/runner/build/acme/lint-config/test/test-order.js:57:7)",
    "    stack: |-",
    "      Error: no errors",
    "          at Test.assert [as _assert] (/home/runner/build/acme/lint-config/node_modules/tape/lib/test.js:225:54)",
    "          at Test.<anonymous> (/home/runner/build/acme/lint-config/test/test-order.js:57:7)",
    "  ...",
    "not ok 5 no messages in results",
    "  ---",
    "    operator: deepEqual",
    "    at: Test.<anonymous> (/home/runner/build/acme/lint-config/test/test-order.js:58:7)",
    "  ...",
    "# order: when random method is first",
    "ok 6 fails",
    "not ok 7 fails due to sort",
    "  ---",
    "    operator: equal",
    "    expected: |-",
    "      'react/sort-comp'",
    "    actual: |-",
    "      'no-multiple-empty-lines'",
    "    at: Test.<anonymous> (/home/runner/build/acme/lint-config/test/test-order.js:75:7)",
    "  ...",
    "",
    "1..7",
    "# tests 7",
    "# pass  4",
    "# fail  3",
]


def test_tape_names_the_failing_test_by_its_comment_and_the_assertion_is_the_message() -> None:
    d = diagnose(_travis(TAPE))
    assert d.category == "test_failure"
    assert d.failing_tests == ["passes a good component", "order: when random method is first"]
    first, second = d.failures
    assert (first.message, first.location) == ("no errors", "test/test-order.js:57")
    assert (second.message, second.location) == ("fails due to sort", "test/test-order.js:75")
    assert d.key_lines[0].text == "not ok 4 no errors"


def test_tape_comments_count_only_when_every_line_since_them_was_read() -> None:
    # lines 2-3 were not fed (a reader that skipped them may have hidden a later comment)
    lines = ["TAP version 13", "# first test", "not ok 1 broke"]
    failures = {f.test for f in extract_failures(lines)}
    assert failures == {"first test"}
    tap = NodeTest()
    tap.feed("TAP version 13", 1)
    tap.feed("# first test", 2)
    tap.feed("not ok 7 broke", 40)  # a gap: the comment may not be this point's test
    assert tap.tests() == ["broke"]


def test_bats_diagnostics_after_not_ok_are_not_tape_test_names() -> None:
    lines = [
        "TAP version 13",
        "1..2",
        "not ok 1 addition using bc",
        "# (in test file test/math.bats, line 4)",
        '#   `[ "$result" -eq 5 ]\' failed',
        "not ok 2 subtraction",
        "# (in test file test/math.bats, line 9)",
    ]
    assert [f.test for f in extract_failures(lines)] == ["addition using bc", "subtraction"]


def test_node_tap_subtests_keep_their_own_shape_after_a_comment() -> None:
    lines = [
        "TAP version 14",
        "# Subtest: bump",
        "    not ok 1 - two-part versions get a patch",
        "      ---",
        "      at:",
        "        fileName: test/version.js",
        "        lineNumber: 10",
        "      ...",
        "    1..1",
        "not ok 1 - bump # time=12.5ms",
    ]
    assert [f.test for f in extract_failures(lines)] == ["bump"]


XCPRETTY = [
    "▸ Building SwiftyJSON/SwiftyJSON iOS [Debug]",
    "▸ Check Dependencies",
    "▸ Compiling SwiftyJSON.swift",
    "❌  /Users/travis/build/SwiftyJSON/SwiftyJSON/Source/SwiftyJSON.swift:97:2: unknown attribute 'dynamicMemberLookup'",
    "@dynamicMemberLookup",
    " ^",
    "",
    "** TEST BUILD FAILED **",
    "",
    "The following build commands failed:",
    "\tCompileSwift normal x86_64 /Users/travis/build/SwiftyJSON/SwiftyJSON/Source/SwiftyJSON.swift",
    "(2 failures)",
    "Testing failed:",
    "\tUnknown attribute 'dynamicMemberLookup'",
    "** TEST FAILED **",
]


def test_xcpretty_compile_error_is_a_build_failure_named_by_its_diagnostic() -> None:
    d = diagnose(_travis(XCPRETTY, command="xcodebuild build-for-testing test | xcpretty", code=65))
    assert d.category == "build"
    assert "xcode-build-error" in _rules(d)
    assert d.key_lines[0].text.endswith(
        "SwiftyJSON.swift:97:2: unknown attribute 'dynamicMemberLookup'"
    )
    assert d.failing_tests == []


def test_travis_macos_nl_prefix_is_dropped_before_indented_output() -> None:
    mocha = [
        "nl",
        "  79 passing (15s)",
        "  1 failing",
        "nl",
        "nl\x1b[0m  1) window namespace tests issue #25801 - default column when opening a file:",
        "nl",
        "nl      \x1b[31mAssertionError: wanted viewColumn:1 but got viewColumn:2\x1b[0m",
        "      + expected - actual",
        "nl      -false",
        "      +true",
        "      at Object.<anonymous> (extensions/api-tests/src/window.test.ts:137:10)",
        "nl",
    ]
    d = diagnose(_travis(mocha, command="./scripts/test-integration.sh"))
    assert d.failing_tests == [
        "window namespace tests issue #25801 - default column when opening a file"
    ]
    (failure,) = d.failures
    assert failure.message is not None and failure.message.startswith(
        "AssertionError: wanted viewColumn:1"
    )
    assert failure.location == "extensions/api-tests/src/window.test.ts:137"


def test_a_line_that_starts_with_the_word_nl_keeps_it() -> None:
    d = diagnose(_travis(["nlohmann/json.hpp:12:3: error: expected ';'"], command="make"))
    assert any(k.text.startswith("nlohmann/json.hpp:12:3") for k in d.key_lines)


def test_rake_without_a_rakefile_is_a_build_failure() -> None:
    lines = [
        "rake aborted!",
        "No Rakefile found (looking for: rakefile, Rakefile, rakefile.rb, Rakefile.rb)",
        "/home/runner/.rvm/gems/ruby-2.4.1/bin/ruby_executable_hooks:15:in `eval'",
        "(See full trace by running task with --trace)",
    ]
    d = diagnose(_travis(lines, command="rake"))
    assert d.category == "build"
    # the reason is the summary; rake's verdict above it is a key line too (d25A), in log order
    assert d.summary is not None and d.summary.startswith("No Rakefile found (looking for:")
    assert [k.text for k in d.key_lines[:2]] == lines[:2]


def test_rake_without_the_task_is_a_build_failure() -> None:
    lines = [
        "rake aborted!",
        "Don't know how to build task 'travis' (See the list of available tasks with `rake --tasks`)",
        "(See full trace by running task with --trace)",
    ]
    d = diagnose(_travis(lines, command="bundle exec rake travis"))
    assert d.category == "build"
    assert "rake-task-missing" in _rules(d)


def test_sbt_compile_error_is_a_build_failure_named_by_the_first_diagnostic() -> None:
    lines = [
        "[info] Compiling 172 Scala sources to /home/runner/build/akka/akka/akka-stream/target/classes ...",
        "[error] /home/runner/build/akka/akka/akka-stream/src/main/scala/akka/stream/impl/Compliance.scala:133:47: The unicode arrow `⇒` is deprecated, use `=>` instead.",
        "[error]       case s ⇒ s.cancel(cause)",
        "[error]              ^",
        "[error] one error found",
        "[error] (akka-stream / Compile / compileIncremental) Compilation failed",
        "[error] Total time: 119 s, completed Jul 23, 2019 12:06:28 PM",
    ]
    d = diagnose(_travis(lines, command='sbt ";update ;test:compile"'))
    assert d.category == "build"
    assert "The unicode arrow `⇒` is deprecated" in d.key_lines[0].text


def test_sbt_warnings_are_not_compile_errors() -> None:
    lines = [
        "[warn] /home/runner/build/o/r/src/main/scala/A.scala:3:5: match may not be exhaustive.",
        "[info] - parses *** FAILED ***",
        "[error] Failed: Total 3, Failed 1, Errors 0, Passed 2",
    ]
    d = diagnose(_travis(lines, command="sbt test"))
    assert "sbt-compile-error" not in _rules(d)


def test_tldr_lint_page_error_is_lint() -> None:
    lines = [
        "> tldr@1.0.0 test /home/runner/build/tldr-pages/tldr",
        "> bash -c 'markdownlint pages*/**/*.md && tldr-lint ./pages'",
        "",
        "pages/common/mat2.md:3: TLDR004 Command descriptions should end in a period",
        "npm ERR! Test failed.  See above for more details.",
    ]
    d = diagnose(_travis(lines))
    assert d.category == "lint"
    assert (
        d.key_lines[0].text
        == "pages/common/mat2.md:3: TLDR004 Command descriptions should end in a period"
    )
