# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 17, helper b17D1 (whole Travis CI job logs): a command wrapped in
GNU ``timeout`` through a variable (``$TIMEOUT 35m ci/build.sh``) that Travis reports as
``exited with 124``, and gulp/grunt asked for a task the project does not define
(``task-runner-task-missing``).

Each snippet is written in the shape the tool prints and asserts what a maintainer would
name as the cause; the near misses keep a stronger cause, and lines or commands that only
look like these.
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from bot.diagnose.rules import load_rules
from tests.diagnose.joblogs import travis_one_command

# ---- a build killed by `timeout` (exit 124) ---------------------------------------------

_STACK_STILL_BUILDING = [
    "+ stack --no-terminal --jobs=2 build --only-snapshot --test --fast",
    "tf-random                        > [2 of 4] Compiling System.Random.TF.Init",
    "tf-random                        > src\\System\\Random\\TF\\Init.hs:94:5: warning: [-Wdeprecations]",
    "tf-random                        >     In the use of `bitSize' (imported from Data.Bits):",
    "tf-random                        > [3 of 4] Compiling System.Random.TF",
]


def test_timeout_variable_exit_124_is_a_timeout() -> None:
    """``TIMEOUT=timeout`` (``gtimeout`` on macOS), then ``$TIMEOUT 35m ci/build.sh``: the
    compile was still going when the wrapper killed it; the warning above is no cause."""
    diagnosis = diagnose(travis_one_command("$TIMEOUT 35m ci/build.sh", _STACK_STILL_BUILDING, 124))
    assert diagnosis.category == "timeout"
    assert diagnosis.rule == "exit-124"
    texts = [k.text for k in diagnosis.key_lines]
    assert 'The command "$TIMEOUT 35m ci/build.sh" exited with 124.' in texts


def test_plain_timeout_exit_124_on_travis() -> None:
    diagnosis = diagnose(
        travis_one_command("timeout 20m make check", ["CC foo.o", "CC bar.o"], 124)
    )
    assert diagnosis.category == "timeout"
    assert any("exited with 124." in k.text for k in diagnosis.key_lines)


def test_timeout_wrapper_commands() -> None:
    rules = load_rules()
    for command in (
        "$TIMEOUT 35m ci/build.sh",
        "${TIMEOUT} 35m ci/build.sh",
        "gtimeout 10m ci/build.sh",
        "cd src; $GTIMEOUT 5m ci/build.sh",
    ):
        # (the last tool named wins: `timeout 5m pytest` is read as the test run)
        assert rules.command_category(command) == "timeout", command
    # near misses: a variable that only ends in TIMEOUT is set or echoed, not run
    for command in ("echo $TIMEOUT", "$TIMEOUT_SECS=30 ci/build.sh", "export TIMEOUT=timeout"):
        assert rules.command_category(command) != "timeout", command


def test_timeout_wrapped_compile_error_stays_build() -> None:
    """The child failed on its own before the limit: timeout passes its status (2) through,
    and the compiler's error is the cause."""
    lines = [
        "src/Main.hs:12:5: error:",
        "    Variable not in scope: foo :: Int",
    ]
    diagnosis = diagnose(travis_one_command("$TIMEOUT 35m ci/build.sh", lines, 2))
    assert diagnosis.category == "build"


def test_exit_124_pattern_needs_the_exit_line() -> None:
    rules = load_rules()
    assert "exit-124" in [
        r.id for r in rules.match('The command "timeout 5m make" exited with 124.')
    ]
    assert "exit-124" not in [r.id for r in rules.match('The command "make" exited with 1.')]
    assert "exit-124" not in [r.id for r in rules.match("Ran 124 tests, exited with 0")]


# ---- gulp / grunt: no such task -----------------------------------------------------------

_GULP4_NO_DEFAULT = [
    "",
    "> @ test /home/runner/build/acme/site",
    "> gulp",
    "",
    "[02:22:53] Using gulpfile ~/build/acme/site/gulpfile.js",
    "[02:22:53] Task never defined: default",
    "[02:22:53] To list available tasks, try running: gulp --tasks",
    "npm ERR! Test failed.  See above for more details.",
]


def test_gulp4_task_never_defined_is_build() -> None:
    diagnosis = diagnose(travis_one_command("npm test", _GULP4_NO_DEFAULT))
    assert diagnosis.category == "build"
    assert diagnosis.rule == "task-runner-task-missing"
    # (d30A) a bracketed clock leading a line is dropped as AppVeyor's is
    assert diagnosis.key_lines[0].text == "Task never defined: default"


def test_gulp3_and_grunt_missing_task() -> None:
    rules = load_rules()
    for line in (
        "[10:01:02] Task 'build' is not in your gulpfile",
        "Task never defined: lint",
        'Warning: Task "karma:ci" not found. Use --force to continue.',
    ):
        assert "task-runner-task-missing" in [r.id for r in rules.match(line)], line
    # near misses: a task that ran and failed, gulp's hint line, a task's own message
    for line in (
        "[10:01:02] 'build' errored after 1.2 s",
        "[02:22:53] To list available tasks, try running: gulp --tasks",
        "[10:01:02] Starting 'default'...",
        "Error: Task never defined: see docs",
    ):
        assert "task-runner-task-missing" not in [r.id for r in rules.match(line)], line
