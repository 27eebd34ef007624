"""A tool's name inside a path handed to another program does not name the step's tool."""

from __future__ import annotations

import re

import pytest

from bot.diagnose.rules import load_rules
from bot.diagnose.shellwords import names_an_argument_path


def _argument(command: str, tool: str) -> bool:
    m = re.search(rf"\b{tool}\b", command)
    assert m is not None
    return names_an_argument_path(command, m.start(), m.end())


@pytest.mark.parametrize(
    ("command", "tool"),
    [
        (
            'for t in $TAGS; do cp "dist/build/ShellCheck/shellcheck.exe" "deploy/s.exe"; done',
            "shellcheck",
        ),
        ("cd /home/runner/work/eslint/eslint && npm test", "eslint"),
        ("cat .github/linters/shellcheck.yml", "shellcheck"),
        ("make -C src/black", "black"),
    ],
)
def test_a_path_argument_is_not_the_program(command: str, tool: str) -> None:
    assert _argument(command, tool)


@pytest.mark.parametrize(
    ("command", "tool"),
    [
        ("./node_modules/.bin/eslint src", "eslint"),
        ("bash scripts/mypy.sh", "mypy"),
        ("sudo -E ./bin/tsc -p .", "tsc"),
        ("mypy src", "mypy"),
        ("python -m mypy src", "mypy"),
        ("eslint/bin/eslint.js .", "eslint"),
        ("FOO=1 ./tools/ruff check", "ruff"),
        ("(cd docs && ../node_modules/.bin/prettier --check .)", "prettier"),
    ],
)
def test_the_program_run_from_a_path_still_names_the_tool(command: str, tool: str) -> None:
    assert not _argument(command, tool)


def test_a_project_named_after_its_tool_does_not_make_its_tests_lint() -> None:
    rules = load_rules()
    in_project_dir = "cd /home/runner/work/eslint/eslint && npm test"
    assert rules.command_category(in_project_dir) == "test_failure"
    assert rules.command_category("./node_modules/.bin/eslint --max-warnings 0 src") == "lint"
    assert rules.command_category('cp "build/shellcheck.exe" "deploy/x.exe"') is None
