"""What CI tools print when they fail, written from the tools' own source and documentation
(``knowledge/*.yml``), for the tools no rule knows.

Why: the rules were written from the corpus' design logs and reach few tools beyond them;
on logs of tools the engine has never seen, what helped was knowledge that names a tool and
says in its words what failed (the rules' hints as documents for the category guess). These
files give that knowledge for hundreds of tools without a log of each: every entry is a tool,
the category a maintainer names when that output ends a job, the lines the tool prints then
(copied from the format strings in its source, placeholders filled), the commands a CI step
types to run it, and the ``source`` it was read from. Nobody wrote them from the corpus, so
the corpus measures them.

Two readers:

- the command table (:meth:`bot.diagnose.rules.RuleSet.command_category`) takes each
  literal command (``sqlfluff lint``, ``tflint``) after ``rules.yml``'s own patterns, so a
  step that runs a tool the table did not know names its category;
- the guess's trainer (``tests/diagnose/corpus/train_guess.py``) takes each entry's lines
  as a document labelled with its category, as it takes the rules' hints.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .rules import CATEGORIES

KNOWLEDGE_DIR = Path(__file__).with_name("knowledge")
# a command must say more than a word: ``tflint``, ``ruff format --check``
LEAST_COMMAND = 4
# runners whose category depends on what they run, and words that are also a directory's or
# an English word: never a command of their own
TOO_GENERAL = frozenset(
    {"make", "npm run", "npx", "yarn", "pnpm", "bash", "sh", "python", "python3", "node",
     "docker run", "gradle", "./gradlew", "mvn", "./mvnw", "check", "test", "build", "lint",
     "tests", "format", "install", "ci", "run", "sudo", "env", "cmake", "cargo", "go",
     "dotnet", "npm", "bundle exec", "poetry run", "uv run", "pipenv run", "hatch run"}
)  # fmt: skip


class KnowledgeError(ValueError):
    """A knowledge file that does not follow the format, named with the entry at fault."""


@dataclass(frozen=True)
class ToolKnowledge:
    tool: str
    category: str
    commands: tuple[str, ...]
    lines: tuple[str, ...]
    source: str
    origin: str  # the file it came from, for error messages and the trainer's names


def _entry(raw: Any, origin: str, index: int) -> ToolKnowledge:
    where = f"{origin} entry #{index + 1}"
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{where}: must be a mapping")
    tool, category, source = raw.get("tool"), raw.get("category"), raw.get("source")
    lines, commands = raw.get("lines"), raw.get("commands") or []
    if not isinstance(tool, str) or not tool.strip():
        raise KnowledgeError(f"{where}: needs a tool name")
    where = f"{where} ({tool})"
    if category not in CATEGORIES or category == "unknown":
        raise KnowledgeError(f"{where}: unknown category {category!r}")
    if not isinstance(source, str) or not source.startswith("https://"):
        raise KnowledgeError(f"{where}: needs the https:// source it was read from")
    if not isinstance(lines, list) or not lines or not all(isinstance(x, str) for x in lines):
        raise KnowledgeError(f"{where}: needs a list of the lines the tool prints")
    if not isinstance(commands, list) or not all(isinstance(c, str) for c in commands):
        raise KnowledgeError(f"{where}: commands must be a list of strings")
    for command in commands:
        if len(command) < LEAST_COMMAND or command.strip().lower() in TOO_GENERAL:
            raise KnowledgeError(f"{where}: command {command!r} says too little")
    return ToolKnowledge(
        tool.strip().lower(),
        category,
        tuple(c.strip() for c in commands),
        tuple(lines),
        source,
        origin,
    )


def read_file(path: Path) -> tuple[ToolKnowledge, ...]:
    """One knowledge file's entries; KnowledgeError names the first one at fault."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path.name}: not YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("tools"), list):
        raise KnowledgeError(f"{path.name}: must be a mapping with a list `tools`")
    return tuple(_entry(raw, path.name, i) for i, raw in enumerate(data["tools"]))


@lru_cache(maxsize=1)
def shipped_knowledge() -> tuple[ToolKnowledge, ...]:
    """Every shipped knowledge file's entries, in file-name order."""
    out: list[ToolKnowledge] = []
    for path in sorted(KNOWLEDGE_DIR.glob("*.yml")):
        out.extend(read_file(path))
    return tuple(out)


def command_pattern(command: str) -> str:
    """A literal command as the table's pattern: the words in order, any run of blanks
    between them, not inside a longer name (``tflint`` is not ``tflint-ruleset`` nor
    ``mytflint``)."""
    words = [re.escape(w) for w in command.split()]
    # no look-around: RE2 has none, and the table's patterns run under it
    return r"(?:^|[\s;&|(\"'`/])" + r"\s+".join(words) + r"(?:$|[\s;&|)\"'`])"


def command_categories(
    entries: tuple[ToolKnowledge, ...] | None = None,
) -> list[tuple[str, str]]:
    """``(category, pattern)`` for each distinct command; a command two entries give with
    different categories says nothing and raises KnowledgeError."""
    seen: dict[str, tuple[str, str]] = {}
    for entry in shipped_knowledge() if entries is None else entries:
        for command in entry.commands:
            key = " ".join(command.lower().split())
            category, _ = seen.setdefault(key, (entry.category, command))
            if category != entry.category:
                raise KnowledgeError(
                    f"{entry.origin} ({entry.tool}): command {command!r} is both "
                    f"{category} and {entry.category}"
                )
    return [(category, command_pattern(command)) for category, command in seen.values()]


# what a knowledge line shows only as an example of its kind: a URL, a path, a quoted name,
# a user or host, a file, a number or version, a hash, a library flag, a parenthesised or
# bracketed count; the text between
# is the tool's own format string
EXAMPLE = re.compile(
    r"https?://\S+|(?:[\w.~@-]*[/\\])+[\w.@-]*|'[^']*'|\"[^\"]*\"|`[^`]*`|‘[^’]*’|“[^”]*”"
    r"|\S+@\S+|\b[\w-]+\.[a-z]{1,6}:\d+|\b\d[\w.:,-]*|\b[0-9a-f]{7,}\b|(?<!\w)-l\w+"
    r"|\b[\w-]+\.(?:[ch](?:pp|xx|c)?|py|pl|rb|js|ts|go|rs|java|kt|cs|php|json|ya?ml|toml|lock|txt)\b"
    r"|\([^)]*\d[^)]*\)|\[[^\]]*\d[^\]]*\]"
)
_WORD = re.compile(r"[A-Za-z]{2,}")
# a severity or marker a tool puts before its message says nothing of the message
_MARKER = re.compile(r"(?i)^(?:(?:E|error|fatal|FAIL|FAILED|WARN|warning|ERR)\b[:!]?\s*)+")
# a message's sentences are signatures each: a paste may keep one, a terminal wrap the other
_SENTENCE = re.compile(r"(?<=[A-Za-z])\. +(?=[A-Z])")
_EDGES = " \t:-=>|*#[](){}!,.;~"
# a signature is a run of the format string this long: shorter runs (``failed with exit
# code``) are every tool's words
LEAST_SIGNATURE_WORDS = 4
LEAST_SIGNATURE_CHARS = 24


def normalised(text: str) -> str:
    """``text`` as signatures are compared: lower case, each run of blanks one space."""
    return " ".join(text.lower().split())


def signatures_of(line: str) -> list[str]:
    """The runs of a knowledge line's fixed text long enough to name the tool's message,
    normalised: ``ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS
    FILE. If you …`` gives ``these packages do not match the hashes from the requirements
    file``."""
    out = []
    for part in EXAMPLE.split(line):
        for sentence in _SENTENCE.split(part):
            text = _MARKER.sub("", sentence.strip(_EDGES)).strip(_EDGES)
            if (
                len(_WORD.findall(text)) >= LEAST_SIGNATURE_WORDS
                and len(text) >= LEAST_SIGNATURE_CHARS
            ):
                out.append(normalised(text))
    return out


def _system_messages() -> set[str]:
    """The C library's error messages (``No such file or directory``, ``Permission
    denied``): every tool prints them, about whatever it touched, so they name no tool."""
    return {normalised(os.strerror(code)) for code in range(1, 134)}


@lru_cache(maxsize=1)
def shipped_signatures() -> dict[str, ToolKnowledge]:
    """Each signature of the shipped knowledge with its entry; a signature that entries of
    two categories give says nothing and is left out, and so is a system error message."""
    found: dict[str, ToolKnowledge] = {}
    excluded = _system_messages()
    for entry in shipped_knowledge():
        for line in entry.lines:
            for signature in signatures_of(line):
                first = found.setdefault(signature, entry)
                if first.category != entry.category:
                    excluded.add(signature)
    return {s: e for s, e in found.items() if s not in excluded}


def known_entry(text: str) -> tuple[str, ToolKnowledge] | None:
    """The longest signature ``text`` holds, with its entry, or None."""
    line = normalised(text)
    hits = [s for s in shipped_signatures() if s in line]
    if not hits:
        return None
    best = max(hits, key=len)
    return best, shipped_signatures()[best]
