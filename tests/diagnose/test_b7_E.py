# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 7, collection E (whole Travis CI job logs of Java, Go, Rust, Python and
Ruby projects): a command the shell could not find (exit status 127), and test runners'
lines for tests that passed, which quote error text in their ids but never say what went
wrong.

Each snippet is written in the shape the shell or tool prints and asserts what a maintainer
would name as the cause.
"""

from __future__ import annotations

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.scorer import error_score
from tests.diagnose.joblogs import actions_job, travis_job

# ---- a command the shell could not find ---------------------------------------------------


@pytest.mark.parametrize(
    ("line", "key"),
    [
        # bash running a script line; Travis runs each command through its functions file
        (
            "/home/runner/.travis/functions: line 104: /home/runner/bin/install-jdk.sh: No such file or directory",
            "install-jdk.sh: No such file or directory",
        ),
        ("./ci/build.sh: line 7: protoc: command not found", "protoc: command not found"),
        ("bash: line 1: pre-commit: command not found", "pre-commit: command not found"),
        ("bash: yarn: command not found", "yarn: command not found"),
        # dash (/bin/sh on Debian and Ubuntu)
        ("/bin/sh: 1: cargo-deny: not found", "cargo-deny: not found"),
        ("sh: 1: tsc: not found", "tsc: not found"),
        ("zsh: command not found: swiftlint", "command not found: swiftlint"),
        # a script's shebang names an interpreter that is not installed
        ("/usr/bin/env: 'python2': No such file or directory", "/usr/bin/env: 'python2'"),
        # GNU make running a recipe whose program is missing
        ("make: gofmt: Command not found", "make: gofmt: Command not found"),
    ],
)
def test_missing_command_is_a_missing_tool(line: str, key: str) -> None:
    diagnosis = diagnose(actions_job("./ci/run.sh", ["Checking sources…", line], code=127))
    assert diagnosis.category == "dependency_install"
    assert diagnosis.rule == "command-not-found"
    assert key in diagnosis.key_lines[0].text


def test_travis_missing_script_is_named_by_the_shell() -> None:
    command = '~/bin/install-jdk.sh --target "/home/runner/openjdk11" --feature "11"'
    log = travis_job(
        command,
        [
            "/home/runner/.travis/functions: line 104: /home/runner/bin/install-jdk.sh: No such file or directory"
        ],
        code=127,
    )
    diagnosis = diagnose(log)
    assert diagnosis.category == "dependency_install"
    assert "install-jdk.sh: No such file or directory" in diagnosis.key_lines[0].text


def test_exit_127_alone_is_weak_evidence_of_a_missing_command() -> None:
    diagnosis = diagnose(actions_job("./ci/run.sh", ["Checking sources…"], code=127))
    assert diagnosis.category == "dependency_install"
    assert diagnosis.rule == "exit-127"
    assert diagnosis.confidence < 0.5


def test_missing_command_does_not_hide_failing_tests() -> None:
    """A job that prints `foo: command not found` on the way and then fails its tests
    failed because of the tests."""
    lines = [
        "bash: line 1: shell_session_update: command not found",
        "bash: line 3: yarn: command not found",
        "============================= test session starts ==============================",
        "tests/test_a.py F                                                        [100%]",
        "=================================== FAILURES ===================================",
        "___________________________________ test_add ___________________________________",
        "",
        "    def test_add():",
        ">       assert 1 + 1 == 3",
        "E       assert (1 + 1) == 3",
        "",
        "tests/test_a.py:2: AssertionError",
        "=========================== short test summary info ============================",
        "FAILED tests/test_a.py::test_add - assert (1 + 1) == 3",
        "============================== 1 failed in 0.02s ===============================",
    ]
    diagnosis = diagnose(actions_job("python -m pytest", lines))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["tests/test_a.py::test_add"]


def test_missing_command_does_not_hide_a_compile_error() -> None:
    lines = [
        "bash: line 2: ccache: command not found",
        "src/main.c:3:5: error: unknown type name 'strin'",
        "make: *** [Makefile:4: main.o] Error 1",
    ]
    assert diagnose(actions_job("make", lines, code=2)).category == "build"


@pytest.mark.parametrize(
    "line",
    [
        # RVM's hook, missing on Travis' macOS images: every job prints it and goes on
        "/Users/travis/.travis/job_stages: line 610: shell_session_update: command not found",
        "bash: shell_session_update: command not found",
        # Travis' own stage script probing for a tool before the job's commands run
        "/Users/travis/.travis/job_stages: line 489: yarn: command not found",
    ],
)
def test_travis_set_up_noise_is_not_a_missing_command(line: str) -> None:
    lines = [line, "Tests passed."]
    diagnosis = diagnose(actions_job("./ci/run.sh", lines))
    assert diagnosis.rule != "command-not-found"
    assert diagnosis.category != "dependency_install"


@pytest.mark.parametrize(
    "line",
    [
        "tests/rules/test_nixos.py::test_match[nixos-rebuild: command not found] PASSED [ 72%]",
        "bash: line 1: foo: command not found is the output  # not the shell's shape",
    ],
)
def test_text_that_only_quotes_the_shell_is_not_a_missing_command(line: str) -> None:
    diagnosis = diagnose(actions_job("./ci/run.sh", [line]))
    assert diagnosis.rule != "command-not-found"


# ---- lines of tests that passed --------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        # pytest -v: parametrised ids often quote the error text the rule under test handles
        "tests/rules/test_npm_missing_script.py::test_get_new_command[npm ru wach-tests-\\nnpm ERR! Linux 4.4.0-31-generic] PASSED [ 50%]",
        "tests/rules/test_sudo.py::test_match[npm ERR! Error: EACCES, unlink] PASSED [ 85%]",
        "tests/test_io.py::test_read[fatal: not a git repository] SKIPPED (needs git) [ 12%]",
        "tests/test_x.py::test_err[ValueError: bad] XFAIL",
        # pytest-xdist -v
        "[gw1] [ 40%] PASSED tests/test_git.py::test_fail[error: pathspec 'x' did not match]",
        # go test -v, TAP
        "    --- PASS: TestErrorPaths/connection_refused (0.00s)",
        "--- SKIP: TestFatalError (0.00s)",
        "ok 3 - reports error: file not found",
    ],
)
def test_a_passing_tests_line_is_never_an_error_line(line: str) -> None:
    assert error_score(line) == 0


@pytest.mark.parametrize(
    "line",
    [
        "tests/test_a.py::test_add FAILED                                         [ 50%]",
        "tests/test_a.py::test_add ERROR                                          [ 50%]",
        "--- FAIL: TestErrorPaths (0.00s) panic: runtime error: index out of range",
        "not ok 3 - reports error: file not found",
        "error: test failed, to rerun pass `--lib`",
    ],
)
def test_failing_tests_lines_still_score(line: str) -> None:
    assert error_score(line) > 1


def test_pytest_verbose_key_lines_skip_passed_ids_quoting_errors() -> None:
    """`pytest -v` prints one line per test; ids of passing tests that quote `npm ERR!` or
    `Error:` must not crowd out the failing test's lines."""
    lines = [
        "============================= test session starts ==============================",
        "tests/rules/test_npm.py::test_match[npm ERR! missing script: wach] PASSED [ 33%]",
        "tests/rules/test_sudo.py::test_match[npm ERR! Error: EACCES, unlink] PASSED [ 66%]",
        "tests/shells/test_generic.py::TestGeneric::test_app_alias FAILED         [100%]",
        "",
        "=================================== FAILURES ===================================",
        "__________________________ TestGeneric.test_app_alias __________________________",
        "",
        "    def test_app_alias(self, shell):",
        ">       assert 'TF_ALIAS=fuck PYTHONIOENCODING' in shell.app_alias('fuck')",
        "E       assert 'TF_ALIAS=fuck PYTHONIOENCODING' in 'alias fuck=...'",
        "",
        "tests/shells/test_generic.py:31: AssertionError",
        "===================== 1 failed, 2 passed in 0.12 seconds =======================",
    ]
    diagnosis = diagnose(actions_job("coverage run -m py.test -v", lines))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["tests/shells/test_generic.py::TestGeneric::test_app_alias"]
    assert not any("ERR!" in k.text for k in diagnosis.key_lines)
