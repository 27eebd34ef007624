# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Round 4, helper r4K: key lines without a rule.

Statements about error output in general: an exit status in a CI system's framing that
says how the command died (timeout(1)'s 124, a shell's 128+signal) is a finding; Jenkins'
``script returned exit code N`` is framing however it is prefixed; CMake's ``CMake Error at
…:`` heads a message printed under it as R's ``Error in f() :`` does; and the scorer keeps
one place per line however often a line is offered. Checked with every shipped rule off.
"""

from __future__ import annotations

import io

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.keylines import GENERIC_MIN_SCORE
from bot.diagnose.rules import load_rules
from bot.diagnose.scorer import STRONG_SCORE, TopLines, error_score
from tests.diagnose.joblogs import actions_job, travis_one_command

NO_RULES = [{"id": rule.id, "enabled": False} for rule in load_rules().rules]


def _keys(log: object) -> list[str]:
    return [k.text.strip() for k in diagnose(log, rules=NO_RULES).key_lines]  # type: ignore[arg-type]


def _paste(lines: list[str]) -> io.BytesIO:
    return io.BytesIO(("\n".join(lines) + "\n").encode())


# ---- an exit status that says how the command died -----------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        'The command "houston ci" exited with 139.',
        'The command "$TIMEOUT 35m ci/build.sh" exited with 124.',
        'The command "npm test" exited with 137.',
        'The command "./bench" exited with 134.',
        "script returned exit code 137",
        "ERROR: script returned exit code 139",
    ],
)
def test_a_framing_exit_status_of_a_kill_or_a_time_limit_is_a_finding(line: str) -> None:
    assert GENERIC_MIN_SCORE <= error_score(line) < STRONG_SCORE


@pytest.mark.parametrize(
    "line",
    [
        'The command "npm test" exited with 1.',
        'The command "make" exited with 2.',
        # a cancellation's signals (SIGINT, SIGTERM) say nothing about the command
        'The command "npm test" exited with 130.',
        'The command "npm test" exited with 143.',
        'The command "x" exited with 1390.',
        "script returned exit code 1",
        "ERROR: script returned exit code 2",
        "Finished: FAILURE",
        "Finished: UNSTABLE",
        # GitHub's exit line ends the step: its tail shows it when nothing else says anything
        "##[error]Process completed with exit code 137.",
    ],
)
def test_a_framing_exit_status_that_says_only_that_it_failed(line: str) -> None:
    assert error_score(line) < GENERIC_MIN_SCORE


def test_segfault_and_the_exit_status_that_confirms_it() -> None:
    """Travis' framing line beside the shell's report: both say the command crashed."""
    lines = [
        "THIS COMMAND IS NOT FULLY COMPLETE",
        'Testing "/home/runner/build/manexim/news" project for "https://github.com/manexim/news"',
        "/home/runner/.travis/functions: line 109:  6249 Segmentation fault      (core dumped) houston ci",
    ]
    keys = _keys(travis_one_command("houston ci", lines, 139))
    assert any("Segmentation fault" in k for k in keys)
    assert any("exited with 139" in k for k in keys)


def test_a_time_limit_said_only_by_the_exit_status() -> None:
    """GNU timeout kills a build that printed a compile line with ``error`` in its source
    excerpt: the framing line's 124 is the cause."""
    lines = [
        "tf-random > [2 of 4] Compiling System.Random.TF.Init",
        'tf-random > 94 |   | bitSize n > 64 = error "mkTFGen: case where size of Int > 64 not implemented"',
        "tf-random > [3 of 4] Compiling System.Random.TF",
    ]
    keys = _keys(travis_one_command("$TIMEOUT 35m ci/build.sh", lines, 124))
    assert any("exited with 124" in k for k in keys)


def test_jenkins_error_prefix_does_not_outrank_the_scripts_own_error() -> None:
    """Jenkins prints ``ERROR: script returned exit code 1`` after the script's output:
    the ``ERROR:`` is the step's level, not an error in the line's own shape."""
    assert error_score("ERROR: script returned exit code 1") < GENERIC_MIN_SCORE
    keys = _keys(
        _paste(
            [
                "[Pipeline] sh",
                "+ ./gradlew check",
                "could not connect to the license server at lic.example.org",
                "[Pipeline] }",
                "ERROR: script returned exit code 1",
                "Finished: FAILURE",
            ]
        )
    )
    assert any("license server" in k for k in keys)


def test_jenkins_exit_line_alone_is_the_key_line() -> None:
    keys = _keys(
        _paste(
            [
                "[2020-10-29T06:18:46.555Z] + tap-xunit@2.4.1",
                "[2020-10-29T06:18:46.555Z] added 21 packages from 21 contributors in 1.802s",
                "script returned exit code 1",
            ]
        )
    )
    assert keys == ["script returned exit code 1"]


# ---- CMake's wrapped message -----------------------------------------------------------------


def test_cmake_error_head_and_its_message_line() -> None:
    lines = [
        "-- The CXX compiler identification is GNU 11.4.0",
        "CMake Error at CMakeLists.txt:12 (message):",
        "  libfoo 2.0 is required, found 1.4",
        "",
        "",
        "-- Configuring incomplete, errors occurred!",
    ]
    keys = _keys(actions_job("cmake -B build", lines))
    assert "libfoo 2.0 is required, found 1.4" in keys


def test_cmake_message_outranks_its_head() -> None:
    top = TopLines()
    top.offer(1, "CMake Error in CMakeLists.txt:")
    top.offer(2, '  Target "app" requires the language dialect "CXX23" , but CMake does not')
    assert top.best(1)[0][0] == 2


@pytest.mark.parametrize(
    "line",
    [
        "CMake Warning at CMakeLists.txt:3 (message):",
        "CMake Error: The source directory does not exist.",  # the message is on the line
        "CMake Deprecation Warning at CMakeLists.txt:1 (cmake_minimum_required):",
    ],
)
def test_lines_that_head_no_wrapped_cmake_error(line: str) -> None:
    top = TopLines()
    top.offer(1, line)
    top.offer(2, "  Compatibility with CMake < 3.5 will be removed")
    assert top.score(2, "  Compatibility with CMake < 3.5 will be removed") <= 1


# ---- one place per line ----------------------------------------------------------------------


def test_a_line_offered_twice_takes_one_place() -> None:
    """The chosen step's tail is offered again at its end: a line already kept must not
    push a weaker, different line out of the best few."""
    top = TopLines(size=3)
    top.offer(1, "error: first")
    top.offer(2, "fatal: second")
    top.offer(3, "could not find libfoo")
    top.offer(2, "fatal: second")
    top.offer(1, "error: first")
    assert sorted(n for n, _ in top.best(3)) == [1, 2, 3]


def test_a_line_pushed_out_frees_its_place() -> None:
    top = TopLines(size=1)
    top.offer(1, "could not find libfoo")
    top.offer(2, "fatal: second")
    top.offer(1, "could not find libfoo")
    assert [n for n, _ in top.best(1)] == [2]
    top.offer(3, "fatal: error: third fails")
    assert [n for n, _ in top.best(1)] == [3]


# ---- a formatter's finding ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "would reformat /home/runner/work/pyDOE3/pyDOE3/pyDOE3/doe_gsd.py",
        "2 files would be reformatted, 11 files would be left unchanged.",
        "Diff in /home/runner/build/gnzlbg/ctest/src/lib.rs at line 721:",
        "[warn] Code style issues found in the above file(s). Forgot to run Prettier?",
        "Code style issues found in 2 files. Run Prettier with --write to fix.",
        "src/a.cc:10:5: warning: code should be clang-formatted [-Wclang-format-violations]",
    ],
)
def test_a_formatters_finding_is_a_finding(line: str) -> None:
    assert error_score(line) >= GENERIC_MIN_SCORE


@pytest.mark.parametrize(
    "line",
    [
        "All done! ✨ 🍰 ✨ 14 files would be left unchanged.",
        "Checking formatting...",
        "All matched files use Prettier code style!",
        "Diff in progress",
        "git diff in src",
        "[warn] src/a.js",  # a file name alone: the summary line says what it is
    ],
)
def test_formatter_lines_that_are_no_finding(line: str) -> None:
    assert error_score(line) < GENERIC_MIN_SCORE


def test_black_check_paste_names_the_files() -> None:
    keys = _keys(
        _paste(
            [
                "black --check .",
                "would reformat /home/runner/work/p/p/pkg/types.py",
                "Oh no! 💥 💔 💥",
                "1 file would be reformatted, 94 files would be left unchanged.",
                "Makefile:2: recipe for target 'test' failed",
                "make: *** [test] Error 1",
            ]
        )
    )
    assert "would reformat /home/runner/work/p/p/pkg/types.py" in keys


# ---- a tool saying only that it stops ----------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "ERROR:: Aborting deploy",
        "error: aborting due to previous error",
        "error: aborting due to 2 previous errors; 1 warning emitted",
        "fatal: Aborting.",
        "Aborting",
    ],
)
def test_an_abort_notice_is_a_verdict_below_an_error(line: str) -> None:
    assert GENERIC_MIN_SCORE <= error_score(line) < STRONG_SCORE


@pytest.mark.parametrize(
    "line",
    [
        # the reason is on the line
        "error: Aborting commit due to empty commit message.",
        "fatal: aborting: could not write index",
        "Aborted (core dumped)",
    ],
)
def test_an_abort_that_says_why_is_no_bare_notice(line: str) -> None:
    assert error_score(line) >= GENERIC_MIN_SCORE


def test_the_reason_before_an_abort_notice_is_a_key_line() -> None:
    keys = _keys(
        _paste(
            [
                "Virtualenv location: /home/runner/.local/share/virtualenvs/-x-v5uFv0",
                "Your Pipfile.lock (ab547e) is out of date. Expected: (9d352e).",
                "Usage: pipenv install [OPTIONS] [PACKAGES]...",
                "",
                "ERROR:: Aborting deploy",
            ]
        )
    )
    assert any("is out of date" in k for k in keys)


# ---- an exception named inside a line; a status field that only says FAILURE ----------------


@pytest.mark.parametrize(
    "line",
    [
        'Exception: java.lang.OutOfMemoryError thrown from the UncaughtExceptionHandler in thread "main"',
        "Unhandled exception. System.IO.IOException thrown while reading the cache",
    ],
)
def test_an_exception_named_inside_a_line_is_an_error_line(line: str) -> None:
    assert error_score(line) >= GENERIC_MIN_SCORE


def test_an_exception_name_alone_counts_as_an_error_word() -> None:
    assert error_score("Caught System.IO.IOException while reading the cache") == 3


@pytest.mark.parametrize(
    "line",
    [
        "[INFO] Running com.foo.BarExceptionTest",
        "WARN  Retrying after java.net.SocketTimeoutException: Read timed out",
        "import java.io.IOException;",
    ],
)
def test_exception_names_that_are_no_error_line(line: str) -> None:
    assert error_score(line) < GENERIC_MIN_SCORE


@pytest.mark.parametrize(
    "line", ["runbld>>> WRAPPED PROCESS: FAILURE (1)", "Build result: FAILED", "STATUS: FAILURE"]
)
def test_a_status_field_that_only_says_failed_is_a_summary(line: str) -> None:
    assert 0 < error_score(line) < GENERIC_MIN_SCORE


def test_the_exception_outranks_a_wrappers_status_field() -> None:
    keys = _keys(
        _paste(
            [
                'Exception: java.lang.OutOfMemoryError thrown from the UncaughtExceptionHandler in thread "main"',
                "runbld>>> <<<<<<<<<<<< SCRIPT EXECUTION END <<<<<<<<<<<<",
                "runbld>>> DURATION: 1798455ms",
                "runbld>>> WRAPPED PROCESS: FAILURE (1)",
            ]
        )
    )
    assert any("java.lang.OutOfMemoryError" in k for k in keys)
