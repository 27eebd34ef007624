# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 11, helper b11H3 (whole Travis CI job logs): Perl::Critic's
violation lines, editorconfig-tools' ``failed <property>`` lines, and xcodebuild's
``Failing tests:`` list naming Objective-C tests as ``-[Class method]``.

Each snippet is written in the shape the tool prints and asserts what a maintainer would
name as the cause.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from tests.diagnose.joblogs import travis_job


def _texts(diagnosis: object) -> list[str]:
    return [k.text for k in diagnosis.key_lines]  # type: ignore[attr-defined]


# ---- Perl::Critic --------------------------------------------------------------------


def test_perlcritic_violations_are_lint() -> None:
    """perlcritic (verbosity 3, one file) prints each violation with its line, column,
    explanation and severity, and exits 2; the Perl deprecation warning before it is noise."""
    lines = [
        "Having more than one /x regexp modifier is deprecated at /home/runner/perl5/lib/Perl/Critic/Policy/Foo.pm line 110.",
        "Use IO::Interactive::is_interactive() instead of -t at line 69, column 28.  See page 218 of PBP.  (Severity: 5)",
        "Use IO::Interactive::is_interactive() instead of -t at line 203, column 28.  See page 218 of PBP.  (Severity: 5)",
    ]
    diagnosis = diagnose(travis_job("make check", lines, 2))
    assert diagnosis.category == "lint"
    assert diagnosis.rule == "tool-agnostic-lint"
    assert any(
        t.startswith("Use IO::Interactive::is_interactive() instead of -t at line 69")
        for t in _texts(diagnosis)
    )


def test_perlcritic_with_file_names_is_lint() -> None:
    """Several files (verbosity 4): the file name leads each violation."""
    lines = [
        "lib/Foo.pm: Code before strictures are enabled at line 3, column 1.  See page 429 of PBP.  (Severity: 5)",
        "bin/run: Bareword file handle opened at line 12, column 5.  See pages 202,204 of PBP.  (Severity: 5)",
    ]
    diagnosis = diagnose(travis_job("./ci/check.sh", lines, 2))
    assert diagnosis.category == "lint"
    assert (
        "lib/Foo.pm: Code before strictures are enabled at line 3, column 1.  See page 429 of PBP.  (Severity: 5)"
        in _texts(diagnosis)
    )


def test_a_prose_line_with_a_line_and_column_is_not_perlcritic() -> None:
    """Without perlcritic's ``(Severity: N)`` tail a ``line, column`` message is not a
    lint violation (here a JSON parse error of a test, the suite's failure)."""
    lines = [
        "unexpected end of input at line 4, column 2.  Check the input.",
        "Tests: 3, Failures: 1",
    ]
    diagnosis = diagnose(travis_job("./run-tests", lines, 1))
    assert diagnosis.rule != "tool-agnostic-lint"


# ---- editorconfig-tools --------------------------------------------------------------


def test_editorconfig_tools_failed_properties_are_lint() -> None:
    """``editorconfig-tools check`` (run by an npm lint script) prints one line per file and
    failed property; npm's ELIFECYCLE block follows."""
    lines = [
        "> pkg@1.0.0 test /home/runner/build/o/pkg",
        "> npm run --silent lint",
        "",
        "README.md failed indent_char: found setting '  ', should be '    '",
        "index.js failed indent_char: found setting '  ', should be '    '",
        "rules/style.js failed insert_final_newline: found setting 'false', should be 'true'",
        "npm ERR! code ELIFECYCLE",
        "npm ERR! errno 1",
        "npm ERR! pkg@1.0.0 test: `npm run --silent lint`",
        "npm ERR! Exit status 1",
    ]
    diagnosis = diagnose(travis_job("npm test", lines, 1))
    assert diagnosis.category == "lint"
    assert diagnosis.rule == "tool-agnostic-lint"
    assert "README.md failed indent_char: found setting '  ', should be '    '" in _texts(diagnosis)
    assert diagnosis.failing_tests == []


# ---- xcodebuild: Objective-C tests in the Failing tests list -------------------------


def test_objc_tests_in_xcodebuilds_failing_tests_list() -> None:
    """For Objective-C test classes xcodebuild lists ``-[Class method]``; the test gets the
    corpus's ``Class.method()`` name, xcpretty's message and the summary's location."""
    lines = [
        "CacheTests",
        "    ✓ testEvicts (0.010 seconds)",
        "    ✗ testExpires, ((entry.expired) is true) failed",
        "",
        "",
        "  testExpires, ((entry.expired) is true) failed",
        "",
        "  /Users/runner/build/o/kit/Kit/Tests/CacheTests.m:88",
        "",
        "\t Executed 2 tests, with 1 failure (0 unexpected) in 0.02 (0.03) seconds",
        "Failing tests:",
        "\tKitTests:",
        "\t\t-[CacheTests testExpires]",
        "",
        "** TEST FAILED **",
    ]
    diagnosis = diagnose(travis_job("./build.sh test-ios", lines, 65))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["CacheTests.testExpires()"]
    assert diagnosis.failures[0].message == "((entry.expired) is true) failed"
    assert diagnosis.failures[0].location == "Kit/Tests/CacheTests.m:88"
