# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 15, helper b15D1 (whole Travis CI job logs): luvit's tap, which prints
a test's error between its ``# Starting Test:`` and ``not ok`` lines, and a Travis job
whose later command fails only because ``./script`` is not in the directory an earlier
failed command left (the earlier failure is the cause, not a missing program).

Each snippet is written in the shape the tool prints; the near misses keep what must not
change: a passing test, a test's own output before its error, a gap in what was fed, a
``./script`` that is missing with no earlier failure, a program missing from PATH.
"""

from __future__ import annotations

import io

from bot.diagnose.engine import diagnose
from bot.diagnose.extract_luvit import LuvitTap
from bot.diagnose.extractors import extract_failures
from tests.diagnose.joblogs import TravisCommand, travis_timed_job


def travis_commands(commands: list[TravisCommand]) -> io.BytesIO:
    """A Travis CI job of several timed script commands (see :func:`travis_timed_job`)."""
    return travis_timed_job(commands)


# ---- luvit's tap: the error comes before ``not ok`` -------------------------------------

_LUVIT_RUN = [
    "./luvi . -- tests/run.lua",
    "1..3",
    "",
    "# Starting Test: \x1b[1;36;44mdns - resolve4\x1b[0m",
    "  \x1b[1;30m{ \x1b[0m\x1b[0;37maddress\x1b[0m\x1b[1;30m = \x1b[0m\x1b[1;32m'\x1b[0;32m104.27.191.77\x1b[1;32m'\x1b[0m \x1b[1;30m}\x1b[0m",
    "ok 1 \x1b[1;33;42mdns - resolve4\x1b[0m",
    "",
    "# Starting Test: \x1b[1;36;44mdns - resolveTxtTCP\x1b[0m",
    "  \x1b[1;30m{ \x1b[0m\x1b[0;37mtype\x1b[0m\x1b[1;30m = \x1b[0m\x1b[1;33m16\x1b[0m \x1b[1;30m}\x1b[0m",
    "  \x1b[1;31m/home/runner/build/luvit/luvit/tests/libs/tap.lua:85: Missing 1 expected call",
    "  stack traceback:",
    "  \t[C]: in function 'error'",
    "  \t/home/runner/build/luvit/luvit/tests/libs/tap.lua:85: in function </home/runner/build/luvit/luvit/tests/libs/tap.lua:66>",
    "  \t[C]: in function 'xpcall'",
    "  \t/home/runner/build/luvit/luvit/tests/libs/tap.lua:66: in function 'run'",
    "  \t/home/runner/build/luvit/luvit/tests/run.lua:42: in main chunk\x1b[0m",
    "not ok 2 \x1b[1;33;41mdns - resolveTxtTCP\x1b[0m",
    "",
    "# Starting Test: \x1b[1;36;44mfs - readFile\x1b[0m",
    "  \x1b[1;31m/home/runner/build/luvit/luvit/tests/test-fs.lua:31: Expected 'hello' but got nil",
    "  stack traceback:",
    "  \t[C]: in function 'assert'",
    "  \t/home/runner/build/luvit/luvit/tests/test-fs.lua:31: in function 'fn'",
    "  \t/home/runner/build/luvit/luvit/tests/libs/tap.lua:66: in function 'run'\x1b[0m",
    "not ok 3 \x1b[1;33;41mfs - readFile\x1b[0m",
    "#2 failed tests",
    "make: *** [test] Error 255",
]


def test_luvit_tap_names_each_failed_test_with_the_error_above_its_result() -> None:
    """The message is the line just above ``stack traceback:``, not the test's own
    printed table; the location is a test file's (``test-fs.lua``), never ``tap.lua``."""
    diagnosis = diagnose(travis_commands([("make", _LUVIT_RUN, 2)]))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["dns - resolveTxtTCP", "fs - readFile"]
    dns, fs = diagnosis.failures
    assert dns.message is not None and dns.message.endswith("tap.lua:85: Missing 1 expected call")
    assert dns.location is None
    assert fs.message is not None and fs.message.endswith(
        "test-fs.lua:31: Expected 'hello' but got nil"
    )
    assert fs.location == "tests/test-fs.lua:31"
    assert any("Missing 1 expected call" in k.text for k in diagnosis.key_lines)


def test_a_passing_luvit_test_and_its_output_are_not_failures() -> None:
    lines = [
        "# Starting Test: colors - string escapes",
        "  'line1\\nline2'",
        "ok 1 colors - string escapes",
    ]
    assert extract_failures(lines) == []


def test_a_failed_luvit_test_without_a_traceback_has_no_guessed_message() -> None:
    """Near miss: what a test prints before it fails is its own output; without the
    traceback line the error is not known, so no message is guessed."""
    extractor = LuvitTap()
    for number, line in enumerate(
        [
            "# Starting Test: http - request",
            "  got connection error",
            "not ok 4 http - request",
        ],
        1,
    ):
        extractor.feed(line, number)
    [failure] = extractor.failures()
    assert failure.test == "http - request"
    assert failure.message is None


def test_a_luvit_error_line_not_fed_just_before_the_traceback_is_not_taken() -> None:
    """Near miss: the reader skipped lines (a long test's output past its follow window);
    the last line fed is not the error's, so no message."""
    extractor = LuvitTap()
    extractor.feed("# Starting Test: fs - big", 10)
    extractor.feed("  {big table}", 11)
    extractor.feed("  stack traceback:", 95)
    extractor.feed("not ok 5 fs - big", 101)
    [failure] = extractor.failures()
    assert failure.message is None


def test_a_not_ok_line_of_another_test_is_not_the_announced_one() -> None:
    """Near miss: a ``not ok`` that does not name the announced test (another TAP
    producer's) is left to the TAP readers."""
    extractor = LuvitTap()
    extractor.feed("# Starting Test: a", 1)
    extractor.feed("not ok 1 - b", 2)
    assert extractor.failures() == []


# ---- Travis: ``./script`` missing after an earlier failed command -----------------------

_PERLCRITIC_NO_FILE = [
    "No such file or directory: 'mysqltuner.pl'",
    "Usage:",
    "      perlcritic [-12345 | --brutal | --cruel | --harsh | --stern | --gentle]",
]
_OWN_SCRIPT_127 = [
    "/home/runner/.travis/job_stages: line 98: ./mysqltuner.pl: No such file or directory",
]


def test_a_missing_own_script_after_an_earlier_failure_is_its_consequence() -> None:
    """A before_script ``cd`` left the working directory elsewhere: the linter finds no
    file (exit 1, nothing a rule knows) and the next command's ``./script`` is not found
    (exit 127). The first failed command is the cause, not a program missing from PATH."""
    diagnosis = diagnose(
        travis_commands(
            [
                ("cd employees_db", [], 0),
                ("perlcritic mysqltuner.pl", _PERLCRITIC_NO_FILE, 1),
                ("./mysqltuner.pl --verbose", _OWN_SCRIPT_127, 127),
            ]
        )
    )
    assert diagnosis.category != "dependency_install"
    assert diagnosis.rule is None
    assert diagnosis.key_lines[0].text == "No such file or directory: 'mysqltuner.pl'"


def test_a_missing_own_script_that_failed_alone_is_still_a_missing_command() -> None:
    """Near miss: no earlier command failed, so the missing ``./script`` is the cause."""
    diagnosis = diagnose(
        travis_commands(
            [
                ("perlcritic mysqltuner.pl", [], 0),
                ("./mysqltuner.pl --verbose", _OWN_SCRIPT_127, 127),
            ]
        )
    )
    assert diagnosis.category == "dependency_install"
    assert diagnosis.rule == "command-not-found"


def test_a_program_missing_from_path_after_an_earlier_failure_stays_the_cause() -> None:
    """Near miss: ``swift: command not found`` names a program not installed, not a file
    of the checkout; it is not explained by the earlier command's failure."""
    diagnosis = diagnose(
        travis_commands(
            [
                ("perlcritic lib", _PERLCRITIC_NO_FILE, 1),
                ("swift build", ["bash: swift: command not found"], 127),
            ]
        )
    )
    assert diagnosis.category == "dependency_install"
    assert diagnosis.rule == "command-not-found"
