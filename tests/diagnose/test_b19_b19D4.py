# ruff: noqa: E501  (real tool lines read better unwrapped)
"""The no-rule fallback (helper b19D4, batches 19-20: CI output pasted into GitHub issues).

With no rule, no test charged and no step command that names a tool (a paste has none),
the generic scorer's best lines may name the category in their own words: a test
framework's assertion, a tool speaking at the line's head, a compiler's verdict. The
near misses keep ``unknown`` where the words say only that something failed (a wrapper's
"test suite failed", an action's "The process '…/yarn' failed"), where the assertion is
C's abort, where the line is far down the ranking, and where the step's command decides.
"""

from __future__ import annotations

import io

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.fallback import vocabulary_category
from bot.diagnose.rules import load_rules
from bot.diagnose.scorer import TopLines
from tests.diagnose.joblogs import actions_job


def _paste(lines: list[str]) -> io.BytesIO:
    """Tool output pasted alone: no step framing, no command, no exit line."""
    return io.BytesIO("\n".join(lines).encode())


def _category(lines: list[str]) -> str | None:
    top = TopLines()
    for number, text in enumerate(lines, 1):
        top.offer(number, text)
    return vocabulary_category(load_rules(), top)


@pytest.mark.parametrize(
    ("lines", "category"),
    [
        # xUnit v2 under `dotnet test`, its runner's prefix kept (the paste starts below
        # the test's `[FAIL]` line, so no test is charged)
        (
            [
                "[xUnit.net 00:00:02.15]       Assert.Equal() Failure",
                "[xUnit.net 00:00:02.15]       Expected: 0",
                "[xUnit.net 00:00:02.15]       Actual:   1",
            ],
            "test_failure",
        ),
        # Node's assert module (node --test, mocha without its reporter's summary)
        (
            [
                "AssertionError [ERR_ASSERTION]: The expression evaluated to a falsy value:",
                "",
                "  assert.ok(report.includes('lines'))",
            ],
            "test_failure",
        ),
        # Python's bare AssertionError at a traceback's end
        (
            [
                "Traceback (most recent call last):",
                '  File "tests/check_roundtrip.py", line 12, in <module>',
                "    assert decoded == original",
                "AssertionError: b'x' != b'y'",
            ],
            "test_failure",
        ),
        # ExUnit's failure message, its test's lines cut from the paste
        (
            [
                "     Assertion with == failed",
                "     code:  assert parse(row) == [1]",
            ],
            "test_failure",
        ),
        # JUnit 4's assertEquals message under a runner no extractor knows
        (["  Failure: expected:<4> but was:<3>"], "test_failure"),
        # prospector's report of mypy's findings, and a lint action wrapping ESLint
        (
            [
                '    mypy: error / Incompatible return value type (got "int", expected "str") (col 9)'
            ],
            "type_check",
        ),
        ([" Error: ESLint error: Parsing error: Unexpected token ..."], "lint"),
        # Gradle's compile task and rustc's coded error
        (
            [
                "Caused by: org.gradle.api.internal.tasks.compile.CompilationFailedException: Compilation failed; see the compiler error output for details.",
            ],
            "build",
        ),
        # (BuildKit's elapsed-time prefix on a `cargo build` inside `docker build`)
        (["85.28 error[E0308]: mismatched types"], "build"),
    ],
)
def test_best_lines_name_the_category(lines: list[str], category: str) -> None:
    assert _category(lines) == category
    diagnosis = diagnose(_paste(lines))
    assert diagnosis.category == category and not diagnosis.failing_tests
    # prospector's mypy lines, lint-action's ESLint error and Gradle's compile exception have
    # had rules since (b19D2, b19D3): the fallback decides only where no rule knows the shape
    if diagnosis.rule is None:
        assert diagnosis.confidence <= 0.3  # a guess


@pytest.mark.parametrize(
    "lines",
    [
        # a wrapper's words of a suite that may never have started
        [
            "Test execution failed with message: \"The process '/usr/local/bin/npx' failed with exit code 1\"",
            "Error: ❌ The test suite failed. Please, check the console output for more details.",
        ],
        ["Error: The process '/usr/local/bin/yarn' failed with exit code 1"],
        ["error Command failed with exit code 1."],
        # a tool at the line's head that names no category
        ['jq: error (at deploy/services.json:1): string ("9090") and number (1) cannot be added'],
        # the shell echoed the command that mentions an assertion
        ["+ python -c 'raise AssertionError'"],
        # a CI server's own framing
        ["[08:47:36]E:	 [Step 2/2] Step Run SBT (Simple Build Tool (Scala)) failed"],
    ],
)
def test_words_that_name_no_category_stay_unknown(lines: list[str]) -> None:
    assert _category(lines) is None
    assert diagnose(_paste(lines)).category == "unknown"


def test_c_assert_is_an_abort_not_a_test_assertion() -> None:
    """glibc's assert() message is the program aborting: not a failed test's words."""
    assert _category(["app: src/app.c:12: main: Assertion `argc == 2' failed."]) is None


def test_an_assertion_below_three_stronger_lines_says_nothing() -> None:
    """Only the scorer's best three lines are read: a quoted assertion far down does not
    decide the category."""
    lines = [
        # (r3C: a host that did not resolve now names the network; a 403 names nothing)
        "fatal: unable to access 'https://example.com/x.git/': The requested URL returned error: 403",
        "fatal: could not read Username for 'https://example.com': No such device",
        "Error: ENOENT: no such file or directory, open '/app/config.json' failed",
        "note: AssertionError",
    ]
    assert _category(lines) is None


def test_the_step_command_decides_before_the_words() -> None:
    """A step whose command names its tool is that tool's failure (a deploy check that
    asserts is still `npm ci`'s install step here): the fallback comes after it."""
    diagnosis = diagnose(
        actions_job("npm ci", ["AssertionError [ERR_ASSERTION]: lockfile out of date"])
    )
    assert diagnosis.category == "dependency_install"


# ---- sbt: JUnit tests named one by one (junit-interface), a nested sbt's levels -------

_SBT_JUNIT = [
    "[info] Test run started",
    "[info] Test com.acme.FooTest.testBar started",
    "[error] Test com.acme.FooTest.testBar failed: java.lang.AssertionError: expected:<1> but was:<2>, took 0.01 sec",
    "[info] Test run finished: 1 failed, 0 ignored, 3 total, 0.05s",
    "[error] Failed: Total 3, Failed 1, Errors 0, Passed 2",
    "[error] Failed tests:",
    "[error] \tcom.acme.FooTest",
    "[error] (Test / test) sbt.TestsFailedException: Tests unsuccessful",
]


def test_sbt_junit_interface_names_the_test_not_its_class() -> None:
    diagnosis = diagnose(actions_job("sbt test", _SBT_JUNIT))
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule == "sbt-tests-failed"
    assert diagnosis.failing_tests == ["com.acme.FooTest.testBar"]
    failure = diagnosis.failures[0]
    assert failure.message == "java.lang.AssertionError: expected:<1> but was:<2>"


def test_a_nested_sbt_run_under_the_outer_level() -> None:
    """A paste of an sbt build run inside another: every line under `[info] `."""
    lines = [
        "[info] [error] Test TestA.testThree failed: expected:<4> but was:<3>, took 0.003 sec",
        "[info] [error] Failed: Total 1, Failed 1, Errors 0, Passed 0",
        "[info] [error] Failed tests:",
        "[info] [error] \tTestA",
        "[info] [error] (test:test) sbt.TestsFailedException: Tests unsuccessful",
    ]
    diagnosis = diagnose(_paste(lines))
    assert diagnosis.category == "test_failure"
    assert diagnosis.rule == "sbt-tests-failed"
    assert diagnosis.failing_tests == ["TestA.testThree"]


def test_sbt_suites_without_junit_lines_are_still_the_suites() -> None:
    lines = [
        "[info] - parses a row *** FAILED ***",
        "[info]   1 did not equal 2 (RowSpec.scala:12)",
        "[error] Failed tests:",
        "[error] \tcom.acme.RowSpec",
        # an info line that only mentions a test, not junit-interface's failure line
        "[info] Test com.acme.Other.testX started",
    ]
    diagnosis = diagnose(actions_job("sbt test", lines))
    assert diagnosis.failing_tests == ["com.acme.RowSpec"]


# ---- ExUnit: a paste that starts below the failed test's header ------------------------


def test_exunit_block_without_its_header_is_named_by_path_and_line() -> None:
    lines = [
        "Error:      test/basic_test.exs:62",
        "     Assertion with == failed",
        "     code:  assert [1, 2] == result.rows",
        "     left:  [1, 2]",
        "     right: [1]",
        "     stacktrace:",
        "       test/basic_test.exs:95: (test)",
    ]
    diagnosis = diagnose(_paste(lines))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["test/basic_test.exs:62"]
    assert diagnosis.failures[0].message == "Assertion with == failed"


def test_exunit_bare_path_lines_without_its_error_name_no_test() -> None:
    """A path:line alone (a list of files, a stack frame) is not a failed test's block."""
    lines = [
        "     test/basic_test.exs:62",
        "     code:  assert true",
        "  1) test adds (MathTest)",
        "     test/math_test.exs:4",
        "     ** (RuntimeError) boom",
    ]
    diagnosis = diagnose(actions_job("mix test", lines))
    assert diagnosis.failing_tests == ["test adds (MathTest)"]
    assert diagnosis.failures[0].message == "** (RuntimeError) boom"


# ---- xUnit.net under dotnet test: a paste that begins inside the adapter's prefix ------


@pytest.mark.parametrize("head", ["net 00:01:14.37] ", "t 00:01:14.37] ", "Unit.net 00:01:14.37] "])
def test_xunit_header_whose_prefix_the_paste_cut(head: str) -> None:
    lines = [
        f'{head}    Acme.Tests.ParserTests.Parses(configuration: "Release") [FAIL]',
        "[xUnit.net 00:01:14.37]       Assert.Matches() Failure: Pattern not found in value",
        "[xUnit.net 00:01:14.37]       Stack Trace:",
    ]
    diagnosis = diagnose(_paste(lines))
    assert diagnosis.failing_tests == ['Acme.Tests.ParserTests.Parses(configuration: "Release")']
    assert diagnosis.failures[0].message.startswith("Assert.Matches() Failure")


def test_another_prefix_before_fail_is_not_the_adapter() -> None:
    """A word other than a tail of `[xUnit.net` before a time stamp is not the adapter's."""
    lines = ["foo 00:01:14.37]     check.sh [FAIL]"]
    assert diagnose(_paste(lines)).failing_tests == []


# ---- the Erlang VM cannot start Elixir (an Elixir built for another OTP) ---------------


@pytest.mark.parametrize(
    "line",
    [
        '{"init terminating in do_boot",{undef,[{elixir,start_cli,[],[]},{init,start_em,1,[]},{init,do_boot,3,[]}]}}',
        "Runtime terminating during boot ({undef,[{elixir,start_cli,[],[]},{init,start_it,1,[]},{init,start_em,1,[]},{init,do_boot,3,[]}]})",
    ],
)
def test_elixir_cli_undef_at_boot_is_the_toolchain(line: str) -> None:
    lines = [
        "init terminating in do_boot ()",
        line,
        "",
        "Crash dump is being written to: erl_crash.dump...done",
    ]
    diagnosis = diagnose(actions_job("mix deps.get", lines))
    assert diagnosis.category == "dependency_install"
    assert diagnosis.rule == "elixir-otp-mismatch"


def test_a_project_module_undef_at_boot_is_not_the_toolchain() -> None:
    """The project's own release failing to boot (its module undefined) is not Elixir's."""
    lines = [
        '{"init terminating in do_boot",{undef,[{myapp_cli,main,[[]],[]},{init,start_em,1,[]}]}}'
    ]
    assert (
        diagnose(actions_job("_build/prod/rel/myapp/bin/myapp eval 'Myapp.main()'", lines)).rule
        != "elixir-otp-mismatch"
    )
