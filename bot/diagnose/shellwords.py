"""Where a tool's name sits in a shell command: the program run, or a path handed to another.

A step's command names its tool (``ruff check .``, ``./node_modules/.bin/eslint src``), but a
project named after its tool puts that name in paths too: ``cd /home/runner/work/mypy/mypy``,
``cp dist/build/shellcheck/shellcheck.exe deploy/``. Such a name is an argument, not the
program, and must not decide the step's category.
"""

from __future__ import annotations

import re

# what starts a new simple command inside one line of shell
_SEGMENT_START = re.compile(r"(?:&&|\|\||[;|(`{]|\$\(|\b(?:do|then|else)\b)\s*")
# words that run the next word as the program (``sudo``, ``env X=1``, ``bash script.sh``)
_LAUNCHERS = frozenset(
    {
        "sudo",
        "env",
        "time",
        "exec",
        "nice",
        "command",
        "xargs",
        "bash",
        "sh",
        "zsh",
        "pwsh",
        "powershell",
        "python",
        "python3",
        "node",
        "ruby",
        "perl",
    }
)
_ASSIGNMENT = re.compile(r"^\w+=")


def _is_path_part(command: str, start: int, end: int) -> bool:
    """The name is inside a path word: a separator before it in its word, or right after it;
    or inside a hyphenated word (``--config native-cmake-clang13-debug``: a name, not a tool)."""
    word_start = max(command.rfind(c, 0, start) for c in " \t\"'=") + 1
    before = command[word_start:start]
    if before.endswith("-") and command[end : end + 1] == "-":
        return True
    return "/" in before or "\\" in before or command[end : end + 1] in ("/", "\\")


def _program_words(segment: str) -> int:
    """How many leading words of a simple command are launchers or ``VAR=value``: the
    program is the next word (or, after an interpreter, the script it runs)."""
    words = segment.split()
    n = 0
    while n < len(words) and (
        _ASSIGNMENT.match(words[n])
        or words[n].strip("\"'").rsplit("/", 1)[-1] in _LAUNCHERS
        or (n and words[n].startswith("-"))  # a launcher's own flag: ``sudo -E``
    ):
        n += 1
    return n


def names_an_argument_path(command: str, start: int, end: int) -> bool:
    """True when ``command[start:end]`` (a tool's name) is part of a path passed as an
    argument to another program, so it says nothing about what the command runs."""
    if not _is_path_part(command, start, end):
        return False
    segment_start = 0
    for m in _SEGMENT_START.finditer(command, 0, start):
        segment_start = m.end()
    segment = command[segment_start:start]
    words_before = len(segment.split()) if segment[-1:].isspace() or not segment else None
    if words_before is None:  # the name's word began before ``start``
        words_before = len(segment.split()) - 1
    return words_before > _program_words(segment)


# (d30B) a command an action ran through @actions/exec, echoed by the runner before its
# output: the raw log's ``[command]/usr/bin/pip install docutils``, which the web log view
# (and so a paste) shows without its ``[command]`` mark. The program is named by the
# absolute path ``io.which`` found: a system ``bin`` directory or one of the tool cache's.
EXEC_ECHO = (
    r"^(?:\[command\])?/(?:usr/(?:local/)?|opt/hostedtoolcache/[\w.+/-]+/)?s?bin/[\w.+-]+(?: |$)"
)
_EXEC_ECHO_RE = re.compile(EXEC_ECHO)


def exec_echoed(text: str) -> str | None:
    """The command of an @actions/exec echo line (see ``EXEC_ECHO``), else None."""
    if not _EXEC_ECHO_RE.match(text):
        return None
    return text.removeprefix("[command]").strip()


# a command as a shell runs it: its environment assignments, then a program's lower-case
# name or a path
_COMMAND = r"((?:[A-Za-z_]\w*=\S* )*(?:\.{0,2}/)?[a-z][\w.+/@^~-]*(?: .*)?)$"
# a command a paste shows after its shell's prompt (``$ make lint``, ``me@box:~/src$ make
# staticcheck``, ``root@ab12:/src# make clang-tidy``, ``[me@box src]$ …``, PowerShell's
# ``PS C:\\src> …``) or that tox echoes before running it (``py39 run-test: commands[0] |
# pytest``, tox 4's ``py39: commands[0]> pytest``): what ran, as a ``Run …`` step title says.
# Not npm's ``> script`` echo: a whole log prints one for every script that ran and passed
PROMPT = re.compile(
    r"^(?:\$|[\w.-]+@[\w.-]+:[^\s$#]*[$#]|\[[\w.-]+@[\w.-]+ [^\]]*\][$#]|PS [A-Za-z]:\\[^>]*>"
    r"|[\w.-]+(?: run-?tests?)?: commands\[\d+\](?: \||>)) " + _COMMAND
)
# (d28A) a shell's trace of what it runs (``set -x``: ``+ make test``, ``++ pwd`` in a
# substitution), read as a prompt's echo is, after PowerShell's error view (its ``+ `` lines);
# not a diff's ``+++ b/path`` header
XTRACE = re.compile(r"^(?!\+\+\+ [ab]/)\++ " + _COMMAND)
