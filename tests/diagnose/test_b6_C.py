"""Shapes from batch 6 (C)'s design half: link checkers' reports (awesome_bot's issue
list after its white-listed links, markdown-link-check), minitest-reporters' ``Failure:``
header without a trailing colon, and minitest's assert_equal diff as a message."""

from __future__ import annotations

import io

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.extractors import Failure, extract_failures
from bot.diagnose.keylines import select_key_lines
from bot.diagnose.rules import RuleError, build_rule, load_rules


def _log(lines: list[str]) -> io.BytesIO:
    """A raw (Travis-style) log: no step framing, no time stamps."""
    return io.BytesIO(("\n".join(lines) + "\n").encode())


AWESOME_BOT = [
    "$ awesome_bot README.md --allow-dupe --white-list pyparsing,graphviz.org",
    "> Checking links in README.md",
    "Links to check: 3",
    "  1. https://warehouse.python.org/",
    "  2. http://www.graphviz.org/",
    "  3. http://www.clips.ua.ac.be/pattern",
    "Checking URLs: →✓→",
    "Checking white listed URLs: →",
    "> White listed:",
    "  1. http://www.graphviz.org/ Connection timed out - connect(2) for"
    ' "www.graphviz.org" port 80',
    "Issues :-(",
    "> Links ",
    "  1. 301 https://warehouse.python.org/ → https://pypi.io/",
    "  2. http://www.clips.ua.ac.be/pattern Net::ReadTimeout",
    'The command "awesome_bot README.md --allow-dupe --white-list pyparsing,graphviz.org"'
    " exited with 1.",
]


def test_awesome_bot_issues_are_a_link_check_not_the_network() -> None:
    got = diagnose(_log(AWESOME_BOT))
    assert got.category == "lint"
    assert got.rule == "link-check"
    # the first failing link, not the white-listed one listed before ``Issues :-(``
    assert got.summary is not None and "301 https://warehouse.python.org/" in got.summary
    texts = [k.text for k in got.key_lines]
    assert any("301 https://warehouse.python.org/ → https://pypi.io/" in t for t in texts)


def test_awesome_bot_white_listed_links_alone_do_not_fail_the_check() -> None:
    """Before ``Issues :-(`` the same shape is a white-listed link: no link-check match."""
    lines = [*AWESOME_BOT[:10], "No issues :-)", "make: *** [check] Error 2"]
    got = diagnose(_log(lines))
    assert got.rule != "link-check"


def test_awesome_bot_newer_format_with_line_numbers() -> None:
    lines = [
        "Issues :-(",
        "> Links ",
        "  1. [L021] 404 https://example.org/gone",
        "  2. [L140] 301 http://example.com/old → https://example.com/new",
        "Wrote results to ab-results-README.md.json",
    ]
    got = diagnose(_log(lines))
    assert got.category == "lint"
    assert got.summary == "  1. [L021] 404 https://example.org/gone"


def test_markdown_link_check_dead_links() -> None:
    lines = [
        "$ markdown-link-check README.md",
        "FILE: README.md",
        "  [✓] https://example.org/ok",
        "  [✖] https://example.org/gone → Status: 404",
        "  [✖] http://unreachable.invalid/ → Status: 0 Error: getaddrinfo ENOTFOUND"
        " unreachable.invalid",
        "  2 links checked.",
        "ERROR: 2 dead links found!",
    ]
    got = diagnose(_log(lines))
    assert got.category == "lint"
    assert got.rule == "link-check"


def test_a_numbered_url_list_without_a_report_header_is_not_a_link_check() -> None:
    """``after`` gates the shape: the same numbered lines elsewhere are not findings."""
    ruleset = load_rules()
    rule = ruleset.by_id("link-check")
    assert rule is not None and rule.after
    assert rule.matches("  1. 301 https://a.example/ → https://b.example/")
    got = diagnose(_log(["  1. 301 https://a.example/ → https://b.example/", "exit 1"]))
    assert got.rule != "link-check"


def test_after_is_validated_like_other_patterns() -> None:
    rule = build_rule(
        {"id": "x", "category": "lint", "patterns": ["^bad$"], "after": "^== report ==$"}
    )
    assert rule.after == ("^== report ==$",) and rule.opens("== report ==")
    with pytest.raises(RuleError, match="after"):
        build_rule({"id": "y", "category": "lint", "patterns": ["a"], "after": [3]})


def _one(lines: list[str]) -> Failure:
    failures = extract_failures(lines)
    assert len(failures) == 1, failures
    return failures[0]


def test_minitest_reporters_failure_header_has_no_trailing_colon() -> None:
    """minitest-reporters' DefaultReporter: ``Failure:`` / ``Class#name [path:line]`` /
    ``ExceptionClass: message``; shoulda-style names end in a space before the bracket."""
    got = _one(
        [
            "Finished tests in 72.704466s, 11.9387 tests/s, 21.3880 assertions/s.",
            "Failure:",
            "TestKramdown#test_: kramdown should use the chosen highlighter.  "
            "[/home/runner/build/jekyll/jekyll/test/test_kramdown.rb:106]",
            "Minitest::Assertion: Expected true to not be truthy.",
            "868 tests, 1555 assertions, 1 failures, 0 errors, 0 skips",
        ]
    )
    assert got.test == "TestKramdown#test_: kramdown should use the chosen highlighter."
    assert got.message == "Minitest::Assertion: Expected true to not be truthy."
    assert got.location == "test/test_kramdown.rb:106"


def test_minitest_diff_message_keeps_the_diff_and_shows_the_header() -> None:
    lines = [
        "Failure:",
        "SetTest#test_members [/home/runner/work/p/p/test/set_test.rb:36]:",
        "--- expected",
        "+++ actual",
        "@@ -1 +1 @@",
        "-#<Set: {1, 2}>",
        "+#<Set: {1, 2, 3}>",
        "rails test test/set_test.rb:30",
        "",
        "1 runs, 1 assertions, 1 failures, 0 errors, 0 skips",
    ]
    got = _one(lines)
    assert got.message == "--- expected +++ actual @@ -1 +1 @@ -#<Set: {1, 2}> +#<Set: {1, 2, 3}>"
    assert got.location == "test/set_test.rb:36"
    assert got.line == 2  # the header: the key line names the test and where it failed
    keys = select_key_lines(None, [], None, [got])
    assert keys[0].text.startswith("SetTest#test_members [")


def test_minitest_message_that_is_not_a_diff_takes_one_line() -> None:
    got = _one(
        [
            "Failure:",
            "SetTest#test_ok [test/set_test.rb:5]:",
            "Expected false to be truthy.",
            "-not part of the message",
        ]
    )
    assert got.message == "Expected false to be truthy."
    assert got.line == 3


def test_sbt_scalac_errors_are_a_build_failure() -> None:
    """sbt 1.x: scalac's ``[error] path:L:C: message`` and the task's summary."""
    got = diagnose(
        _log(
            [
                "[info] Compiling 172 Scala sources to /home/runner/work/p/p/core/target/classes",
                "[error] /home/runner/work/p/p/core/src/main/scala/a/B.scala:133:47: not found:"
                " value frob",
                "[error]       frob(x)",
                "[error]       ^",
                "[error] one error found",
                "[error] (core / Compile / compileIncremental) Compilation failed",
                "[error] Total time: 119 s, completed Jul 23, 2019 12:06:28 PM",
            ]
        )
    )
    assert got.category == "build"
    assert got.rule == "sbt-compile-error"
    assert got.summary is not None and "B.scala:133:47: not found: value frob" in got.summary


def test_sbt_013_compile_summary_and_error_without_column() -> None:
    ruleset = load_rules()
    rule = ruleset.by_id("sbt-compile-error")
    assert rule is not None
    assert rule.matches("[error] /w/src/main/scala/A.scala:12: type mismatch;")
    assert rule.matches("[error] (core/compile:compileIncremental) Compilation failed")
    assert not rule.matches("[warn] /w/src/main/scala/A.scala:12:3: deprecated")


def test_tldr_lint_findings_are_lint() -> None:
    got = diagnose(
        _log(
            [
                "$ npm test",
                "> bash -c 'markdownlint pages*/**/*.md && tldr-lint ./pages'",
                "pages/common/tar.md:3: TLDR004 Command descriptions should end in a period",
                "npm ERR! Test failed.  See above for more details.",
            ]
        )
    )
    assert got.category == "lint"
    assert got.summary == (
        "pages/common/tar.md:3: TLDR004 Command descriptions should end in a period"
    )


def test_ballerina_fail_entry_with_its_message_and_test_file_frame() -> None:
    got = _one(
        [
            "Running tests",
            "\turahara/example:0.1.0",
            "",
            "\t[fail] testParse1:",
            "\t    Assertion Failed!: expected '3 2 6' but found '3 2 1' ",
            "\t    \tat ballerina.test:createBallerinaError(assert.bal:41)",
            "\t    \tballerina.test:assertEquals(assert.bal:82)",
            "\t    \turahara.example.test.parser_tests:testParse1(test/parser_tests.bal:8)",
            "",
            "\t[pass] testParse2",
            "\t1 passing",
            "\t1 failing",
        ]
    )
    assert got.test == "testParse1"
    assert got.message == "Assertion Failed!: expected '3 2 6' but found '3 2 1'"
    assert got.location == "test/parser_tests.bal:8"


def test_ballerina_swan_lake_error_record_frame() -> None:
    got = _one(
        [
            "\t\t[fail] testGreeting:",
            "",
            '\t\t    error {ballerina/test:0}TestError ("Assertion Failed!',
            "\t\t\t\tcallableName: createBallerinaError moduleName: ballerina.test.0"
            " fileName: assert.bal lineNumber: 41",
            "\t\t\t\tcallableName: testGreeting moduleName: hello.tests.0"
            " fileName: tests/main_test.bal lineNumber: 12",
            "\t\t0 passing",
        ]
    )
    assert got.test == "testGreeting"
    assert got.message is not None and got.message.startswith("error {ballerina/test:0}TestError")
    assert got.location == "tests/main_test.bal:12"
