# ruff: noqa: E501  (real tool lines read better unwrapped)
"""Shapes from batch 11, helper b11H4 (whole Travis CI job logs): pytest ``-v`` progress
lines whose parametrize id contains spaces (``test_x[command0-nix-env -iA nixos.vim]``),
with no short test summary, so the ``-v`` lines are the only place the node ids appear.

Each snippet is written in the shape pytest 4.6/8.x prints with ``-v`` (pytest was run here
for its ``FAILED [ 72%]`` line with a spaced parametrize id).
"""

from __future__ import annotations

from bot.diagnose.engine import diagnose
from tests.diagnose.joblogs import travis_job

_PYTEST_V = [
    "============================= test session starts ==============================",
    "platform linux -- Python 3.7.1, pytest-4.6.2, py-1.8.0, pluggy-0.12.0 -- /home/runner/virtualenv/python3.7.1/bin/python",
    "collecting ... collected 3 items",
    "",
    "tests/rules/test_nix.py::test_match[command0] PASSED                      [ 33%]",
    "tests/rules/test_nix.py::test_get_new_command[command0-nix-env -iA nixos.vim] FAILED [ 66%]",
    "tests/rules/test_nix.py::test_get_new_command[command1-nix-env -iA nixos.pacman] FAILED [100%]",
    "",
    "=================================== FAILURES ===================================",
    "_____________ test_get_new_command[command0-nix-env -iA nixos.vim] _____________",
    "",
    "    def test_get_new_command(command, new_command):",
    ">       assert get_new_command(command) == new_command",
    "E       AssertionError: assert 'nix-env -iA nixos.vim && vim' == 'nix-env -iA nixos.vim'",
    "",
    "tests/rules/test_nix.py:25: AssertionError",
    "___________ test_get_new_command[command1-nix-env -iA nixos.pacman] ____________",
    "",
    "    def test_get_new_command(command, new_command):",
    ">       assert get_new_command(command) == new_command",
    "E       AssertionError: assert 'nix-env -iA ...man && pacman' == 'nix-env -iA nixos.pacman'",
    "",
    "tests/rules/test_nix.py:25: AssertionError",
    "=========== 2 failed, 1 passed in 0.12 seconds ===========",
]


def test_pytest_verbose_lines_keep_a_parametrize_id_with_spaces() -> None:
    """The ``-v`` line names the whole node id, spaces in its ``[...]`` included; cutting
    it at the first space lost both tests (only the ``test_match`` siblings were kept)."""
    diagnosis = diagnose(travis_job("py.test -v tests", _PYTEST_V, 1))
    assert diagnosis.category == "test_failure"
    assert diagnosis.failing_tests == [
        "tests/rules/test_nix.py::test_get_new_command[command0-nix-env -iA nixos.vim]",
        "tests/rules/test_nix.py::test_get_new_command[command1-nix-env -iA nixos.pacman]",
    ]
    assert diagnosis.failures[0].location == "tests/rules/test_nix.py:25"
    texts = [k.text for k in diagnosis.key_lines]
    assert any("AssertionError" in t or "FAILED" in t or "failed" in t for t in texts)
