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


def _keys(lines: list[str]) -> list[str]:
    return [k.text.strip() for k in diagnose(text_source("\n".join(lines) + "\n")).key_lines]


def test_a_cut_paste_nothing_else_explains_shows_its_list() -> None:
    """A linter's own words that no rule knows (cpplint's per-category counts, read with
    every rule off): better its lines than no key line at all; a list of one shape from its
    head (stop 36), where the first finding is."""
    lines = [
        f"Category '{c}' errors found: {n}"
        for c, n in [
            ("build/header_guard", 32),
            ("build/include", 41),
            ("build/include_order", 659),
            ("build/namespaces", 72),
            ("legal/copyright", 2),
            ("readability/braces", 76),
        ]
    ] + ["Category 're", "───────────────"]
    off = [{"id": r.id, "enabled": False} for r in load_rules().rules]
    got = diagnose(text_source("\n".join(lines) + "\n"), rules=off)
    keys = [k.text.strip() for k in got.key_lines]
    # (g36) a list of findings in one shape is shown from its head (``listhead``)
    assert "Category 'build/header_guard' errors found: 32" in keys, keys
    assert "───────────────" not in keys  # a ruler says nothing


def test_a_warning_that_is_an_error_is_no_mere_warning() -> None:
    keys = _keys(
        [
            "# runtime/cgo",
            "runtime/cgo/gcc_amd64.S:47:1: warning: DWARF2 only supports one section",
            '.section .note.GNU-stack,"",@progbits',
            "^",
            "go build runtime/cgo: C compiler warning promoted to error on Go builders",
        ]
    )
    assert "go build runtime/cgo: C compiler warning promoted to error on Go builders" in keys


def test_a_paste_of_only_warnings_shows_them() -> None:
    """A formatter check that prints its findings as warnings: they are all it said."""
    lines = [
        f"[warn] /home/runner/work/p/p/src/F{i}.scala isn't formatted properly!" for i in range(6)
    ]
    keys = _keys(lines)
    assert keys and all("isn't formatted properly!" in k for k in keys), keys


def test_a_paste_with_a_key_line_gets_no_tail() -> None:
    keys = _keys(["collecting ...", "ERROR: could not open requirements file", "done", "bye now"])
    assert "bye now" not in keys
