"""The knowledge files (``bot/diagnose/knowledge/*.yml``): their format, and what the
command table makes of their commands."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from bot.diagnose.engine import diagnose
from bot.diagnose.knowledge import (
    KnowledgeError,
    ToolKnowledge,
    command_categories,
    known_entry,
    read_file,
    shipped_knowledge,
    shipped_signatures,
    signatures_of,
)
from bot.diagnose.rules import load_rules
from bot.diagnose.safe_regex import compile_pattern

MACHINE_PATH = re.compile(r"(?:^|[\s'\"(=:])(?:/work/|/root\b|/tmp/)", re.MULTILINE)


def _entry(category: str, *commands: str) -> ToolKnowledge:
    return ToolKnowledge("x", category, commands, ("x failed",), "https://x.org", "x.yml")


def test_every_shipped_entry_reads_and_no_command_names_two_categories() -> None:
    entries = shipped_knowledge()
    patterns = command_categories()  # raises on a command with two categories
    assert all(e.lines and e.source.startswith("https://") for e in entries)
    assert len(patterns) <= sum(len(e.commands) for e in entries)


def test_no_machine_path_in_a_knowledge_file() -> None:
    for path in Path(__file__).parents[2].joinpath("bot/diagnose/knowledge").glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        # a runner's paths (``/home/runner/work/app/app``) are the knowledge's own
        assert not MACHINE_PATH.search(text), path.name


def test_each_known_command_names_its_category_in_the_table() -> None:
    # rules.yml's own patterns come first; a knowledge command may not contradict them,
    # unless the table's own patterns decide the command alone (``swiftformat --lint``)
    table = load_rules()
    own = dataclasses.replace(table, commands=table.commands[: -len(command_categories()) or None])
    for entry in shipped_knowledge():
        for command in entry.commands:
            got = table.command_category(f"{command} src")
            assert got in (entry.category, own.command_category(f"{command} src")), command
            assert got is not None


def test_a_command_matches_as_whole_words_only() -> None:
    [(category, pattern)] = command_categories((_entry("lint", "tflint --recursive"),))
    compiled = compile_pattern(pattern)
    assert category == "lint"
    assert compiled.search("cd infra && tflint   --recursive")
    assert compiled.search("./bin/tflint --recursive")
    assert not compiled.search("mytflint --recursive")
    assert not compiled.search("tflint --recursive-more")


def test_a_command_given_two_categories_is_refused() -> None:
    with pytest.raises(KnowledgeError, match="both lint and format"):
        command_categories((_entry("lint", "sqlfluff fix"), _entry("format", "SQLFluff  fix")))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tools: [{tool: x, category: nope, lines: [a], source: 'https://x'}]", "category"),
        ("tools: [{tool: x, category: lint, lines: [a], source: 'http://x'}]", "source"),
        ("tools: [{tool: x, category: lint, lines: [], source: 'https://x'}]", "lines"),
        ("tools: [{tool: x, category: lint, lines: [a], source: 'https://x', commands: [make]}]",
         "says too little"),
        ("tools: [{tool: x, category: unknown, lines: [a], source: 'https://x'}]", "category"),
        ("tools: {x: 1}", "list `tools`"),
        ("tools: [", "not YAML"),
    ],
)  # fmt: skip
def test_a_malformed_file_names_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yml"
    path.write_text(text)
    with pytest.raises(KnowledgeError, match=message):
        read_file(path)


def test_a_signature_is_the_fixed_text_between_the_examples() -> None:
    line = "ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE. If you have"
    assert signatures_of(line) == [
        "these packages do not match the hashes from the requirements file"
    ]
    # the package, its version and the quoted command are examples, not the format
    assert signatures_of("ERROR: Missing prebuilt package for 'openssl/3.2.0'. You can try:") == [
        "missing prebuilt package for"
    ]
    assert signatures_of("make: *** [Makefile:3: all] Error 2") == []  # too short to name a tool


def test_a_system_error_message_is_no_signature() -> None:
    # every tool prints ``No such file or directory`` about whatever it touched
    assert "no such file or directory" not in shipped_signatures()
    assert known_entry("cp: cannot stat 'x': No such file or directory") is None


def _paste(tmp_path: Path, *lines: str) -> Path:
    log = tmp_path / "job.log"
    log.write_text("\n".join(lines) + "\n")
    return log


# terraform init's words for a provider it could not resolve: no rule, no cause word names them
PROVIDER = "Error: Failed to query available provider packages"


def test_a_known_message_names_the_category_nothing_else_named(tmp_path: Path) -> None:
    lines = ("Run ./ci/deps.sh", "resolving graph", PROVIDER, "exit status 1")
    got = diagnose(_paste(tmp_path, *lines))
    assert got.category == "dependency_install" and got.guess is None
    assert any(PROVIDER in k.text for k in got.key_lines)


def test_a_message_an_attempt_got_past_is_not_shown(tmp_path: Path) -> None:
    retried = _travis_step(PROVIDER, 'The command "./deps.sh" failed. Retrying, 2 of 3.', "oops")
    got = diagnose(_paste(tmp_path, *retried))
    assert all(PROVIDER not in k.text for k in got.key_lines)
    assert got.category != "dependency_install"


def test_known_messages_of_two_categories_name_nothing(tmp_path: Path) -> None:
    django = "SystemCheckError: System check identified some issues:"
    alone = diagnose(_paste(tmp_path, "Run ./ci/all.sh", django, "exit status 1"))
    both = diagnose(_paste(tmp_path, "Run ./ci/all.sh", PROVIDER, django, "exit status 1"))
    assert alone.category == "lint" and alone.guess is None and alone.rule is None
    assert both.category == "unknown" or both.guess is not None


def _travis_step(*lines: str) -> list[str]:
    return [
        "travis_fold:start:install",
        "$ travis_retry ./deps.sh",
        *lines,
        'The command "travis_retry ./deps.sh" failed and exited with 1 during .',
        "Your build has been stopped.",
    ]
