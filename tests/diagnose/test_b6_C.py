"""Shapes from batch 6 (C)'s design half: minitest-reporters' ``Failure:`` header
without a trailing colon, and minitest's assert_equal diff as a message."""

from __future__ import annotations

from bot.diagnose.extractors import Failure, extract_failures
from bot.diagnose.keylines import select_key_lines


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
