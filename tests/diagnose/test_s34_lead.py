"""Stop 34: what a paste's shell prompt (or tox) echoed names the tool that ran, as a step's
``Run …`` title does; a command the table knows only without its options is read again
without them."""

from __future__ import annotations

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.logreader import text_source
from bot.diagnose.rules import load_rules
from bot.diagnose.scorer import TopLines

FINDING = "src/a.c:3:1: error: Uninitialized variable: x"


def _category(lines: list[str]) -> str:
    return diagnose(text_source("\n".join(lines) + "\n")).category


@pytest.mark.parametrize(
    "prompt",
    [
        "$ cppcheck --enable=all src",
        "me@box:~/src/proj$ clang-tidy src/a.c -- -Iinclude",
        "root@44d785a48e26:/home/runner/proj# CC=clang clang-tidy src/a.c",
        "[me@box proj]$ cppcheck src",
        "PS C:\\src> cppcheck src",
    ],
)
def test_a_prompted_linter_makes_a_compiler_shaped_finding_lint(prompt: str) -> None:
    assert _category([prompt, FINDING]) == "lint"


def test_without_a_prompt_the_same_finding_is_a_build_error() -> None:
    assert _category([FINDING]) == "build"


def test_a_prompted_build_command_keeps_it_a_build_error() -> None:
    assert _category(["me@box:~/src/proj$ make all", FINDING]) == "build"


def test_only_the_last_prompted_command_counts() -> None:
    """The commands before it ran and passed: the last one printed the failure."""
    assert _category(["$ cppcheck src", "$ make all", FINDING]) == "build"


def test_tox_echo_names_the_command_it_runs() -> None:
    lines = [
        "$ tox -e py36-django20",
        "py36-django20 runtests: commands[0] | pipenv --bare install --dev --ignore-pipfile",
        "Installing dependencies from Pipfile.lock (731cb2)...",
        "Traceback (most recent call last):",
        '  File "/builds/p/.tox/py36/bin/pipenv", line 11, in <module>',
        "    sys.exit(cli())",
        "ERROR: InvocationError for command /builds/p/.tox/py36/bin/pipenv --bare install (exited"
        " with code 1)",
    ]
    assert _category(lines) == "dependency_install"


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("py39: commands[0]> pytest -x", "pytest -x"),
        ("py39 run-test: commands[1] | flake8 src", "flake8 src"),
        ("me@box:~/go-fastly$ GO=go1.20.14 make staticcheck", "GO=go1.20.14 make staticcheck"),
    ],
)
def test_echoed_command_shapes(text: str, command: str) -> None:
    lines = TopLines()
    lines.offer(1, text)
    assert lines.prompted == command


@pytest.mark.parametrize(
    "text",
    [
        "> Task :app:lint",  # Gradle's task header
        "> eslint .",  # npm's script echo: a whole log prints one per script that passed
        "$ 3 files changed",  # not a program's name
    ],
)
def test_not_echoed_commands(text: str) -> None:
    lines = TopLines()
    lines.offer(1, text)
    assert lines.prompted is None


def test_a_command_is_read_again_without_its_options() -> None:
    rules = load_rules()
    assert rules.command_category("pipenv --bare install --dev") == "dependency_install"
    assert rules.command_category("make -j4 lint") == "lint"
    assert rules.command_category("pytest -x") == "test_failure"
    assert rules.command_category("dotnet publish -c Release") is None
