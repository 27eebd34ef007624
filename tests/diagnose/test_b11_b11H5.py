# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 11, helper b11H5 (whole Travis CI job logs): Ubuntu's command-not-found
handler, which prints its own line instead of bash's ``foo: command not found`` when a job
runs a program that is not installed (exit status 127).

The handler's words are those of Ubuntu's ``command-not-found`` package: ``The program
'X' is currently not installed. ...`` (14.04, as on Travis' trusty images), ``No command
'X' found, did you mean:`` and ``Command 'X' not found, but can be installed with:``
(18.04 and later).
"""

from __future__ import annotations

import pytest

from bot.diagnose.engine import diagnose
from tests.diagnose.joblogs import actions_job, travis_job


@pytest.mark.parametrize(
    "said",
    [
        "The program 'swift' is currently not installed. To run 'swift' please ask your administrator to install the package 'python-swiftclient'",
        "The program 'swift' is currently not installed. You can install it by typing:",
        "No command 'swift' found, did you mean:",
        "Command 'swift' not found, but can be installed with:",
        "Command 'swift' not found, did you mean:",
    ],
)
def test_ubuntus_command_not_found_handler_names_the_missing_program(said: str) -> None:
    """The handler's line, not Travis' bare exit-127 line, is what a maintainer reads."""
    diagnosis = diagnose(travis_job("swift build && swift test", [said], 127))
    assert diagnosis.category == "dependency_install"
    assert diagnosis.rule == "command-not-found"
    assert diagnosis.key_lines[0].text == said


def test_the_handler_on_an_actions_runner_too() -> None:
    lines = [
        "Command 'cargo' not found, but can be installed with:",
        "sudo apt install cargo",
    ]
    diagnosis = diagnose(actions_job("cargo build", lines, 127))
    assert diagnosis.category == "dependency_install"
    assert diagnosis.rule == "command-not-found"
    assert diagnosis.key_lines[0].text == lines[0]


def test_a_test_that_mentions_the_handlers_words_is_still_a_test_failure() -> None:
    """The patterns are anchored at the line start: a failing test whose message quotes
    the handler is a test failure, not a missing program."""
    lines = [
        "FAILED tests/test_cnf.py::test_message - AssertionError: assert \"The program 'x' is currently not installed.\" == ''",
        "========================= 1 failed, 3 passed in 0.12s =========================",
    ]
    diagnosis = diagnose(travis_job("python -m pytest", lines, 1))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == ["tests/test_cnf.py::test_message"]
