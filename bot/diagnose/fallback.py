"""The no-rule fallback: a category read from the words of the most error-like lines when no
rule matched, no test was charged and the step's command (there often is none: a paste of
the output alone) names no tool.

Why: a paste from an issue has no step framing and no echoed command, and no rule knows
every tool; yet the line a maintainer reads first often says what kind of failure it is
by itself. Only vocabulary that names one category whatever the tool counts, and only on
the generic scorer's best few lines, so that a line far down the ranking (a quoted
message, an echoed script) says nothing:

- a failed assertion in a test framework's own words is a failing test: xUnit's
  ``Assert.Matches() Failure: …``, an ``AssertionError`` (Python, Node's ``assert``,
  Java's ``AssertionError``/``AssertionFailedError``), ExUnit's ``Assertion with == failed``
  and JUnit 4's ``expected:<4> but was:<3>``. C's ``Assertion `x' failed.`` is not one: it
  aborts the program (a crash, a rule's business). Words like "test suite failed" are not
  either: a wrapper says them of a suite that could not even start.
- a tool that speaks for itself at the line's head (``mypy: error …``, ``ESLint error:
  …``, prospector's and lint wrappers' form) names its category as a step's command does.
- a compiler's own verdict (``Compilation failed``, rustc's ``error[E0308]: …``) is a
  build failure.

- a URL that answered 429 Too Many Requests or a gateway's 502/503/504 (a link checker's
  ``ERROR: found HTTP error status codes for URL https://… (429)``, ``https://… → Status:
  503``, lychee's ``[429] https://…``) is the network, whatever tool asked: a re-run fixes
  it. A 404 is not: the link is broken.
- Zinc's stack (sbt's incremental compiler) through ``handleCompilationError`` is a
  compile error even when the trace is all the paste kept, and a panic of Rust's own build
  system (x.py's ``thread 'main' panicked at src/bootstrap/…``, a config it rejects) is a
  build failure.

Then, when the words name nothing, the paste's own record of what ran: a copy of the web
log view echoes each step's command (and a composite action's inner steps') as ``Run
<command>``; the last one the command table knows names the category, as a step's command
does (``Run [ "$(gofmt -l .)" = "" ]`` is a format check, ``Run mix compile`` a build).
The error line's words come first: they say what went wrong, the command only what ran.

The result is a guess: the engine's confidence stays as low as with no category at all.
"""

from __future__ import annotations

import re

from .rules import RuleSet
from .scorer import TopLines

# how many of the scorer's best lines are read, and the least score a line needs (an
# error line in its own shape, not a passing mention)
BEST_LINES = 3
MIN_SCORE = 3

_ASSERTION = re.compile(
    r"\bAssert\.\w+\(\) Failure\b"
    r"|\b(?:\w+\.)*Assertion(?:Failed)?Error\b"
    r"|^\s*(?:\[[^\]]*\]\s*)*Assertion with \S+ failed\b"
    r"|\bexpected:<[^>]*> but was:<"
)
# ``mypy: error / …``, ``Error: ESLint error: Parsing error: …``, ``eslint: error …``
_SPEAKER = re.compile(r"^\W*(?:(?:Error|ERROR): )?([A-Za-z][\w.-]{1,30}):? (?:error|ERROR)\b")
_COMPILER = re.compile(
    r"\bCompilation failed\b|(?:^|\s)error\[E\d{4}\]: "
    r"|\bat sbt\.internal\.inc\.\S*\.handleCompilationError\("
    r"|^thread 'main' panicked at \S*\bsrc/bootstrap/"
)
# a status that a re-run outlives, beside the URL or the HTTP that got it; the number ends
# the report (``(429)``, ``Status: 503``, ``[502] https://…``), it is no count or port
_BUSY = r"(?:429|50[234])"
_NETWORK = re.compile(
    rf"\bhttps?://\S+.*?(?:[\s(\[]|[Ss]tatus:? ){_BUSY}(?:[)\]]|\s*$|:? [A-Z])"
    rf"|\[{_BUSY}\] +https?://"
    rf"|\bHTTP\b.*?\({_BUSY}\)"
    r"|\b(?:429 Too Many Requests|50[23] (?:Bad Gateway|Service Unavailable)"
    r"|504 Gateway Time-?out)\b"
)


def vocabulary_category(ruleset: RuleSet, generic: TopLines) -> str | None:
    """The category the best error lines' own words name, or None."""
    for number, text in generic.best(BEST_LINES):
        if generic.score(number, text) < MIN_SCORE:
            continue
        if _ASSERTION.search(text):
            return "test_failure"
        speaker = _SPEAKER.match(text)
        if speaker is not None:
            category = ruleset.command_category(speaker.group(1).lower())
            if category is not None:
                return category
        if _COMPILER.search(text):
            return "build"
        if _NETWORK.search(text):
            return "infra_network"
    return None


def echoed_category(ruleset: RuleSet, generic: TopLines) -> str | None:
    """The category of the last command a pasted web log view echoed (``Run …``) that the
    command table knows, or None."""
    for command in reversed(generic.commands):
        category = ruleset.command_category(command)
        if category is not None:
            return category
    return None
