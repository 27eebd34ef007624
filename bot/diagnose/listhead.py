"""(g36) The head of a list a tool printed last: when a step's or a cut paste's last lines
are a run of findings in one shape (cpplint's ``Category 'build/include' errors found: 41``,
hadolint's ``L4 DL3008 Pin versions …``, scalafmt's ``[warn] x.scala isn't formatted
properly!``), the first ones are what a maintainer reads first; the last ones are only where
the list (or the paste, cut mid-line) happened to end.

A line's shape is its first word with its digits blurred (``L4`` and ``L18`` are ``L0``);
a first word without a letter (a time stamp, a counter: every line of a Jenkins paste
begins so) says nothing of the line's shape, and such a line ends every run.
"""

from __future__ import annotations

import re
from typing import TypeVar

from .logreader import LogLine

_DIGITS = re.compile(r"\d+")
_LETTER = re.compile(r"[A-Za-z]")

L = TypeVar("L", bound=LogLine)


def shape(text: str) -> str | None:
    """A line's shape: its first word, digits blurred; None when that word has no letter."""
    words = text.split(None, 1)
    if not words or not _LETTER.search(words[0]):
        return None
    return _DIGITS.sub("0", words[0])


def list_head(lines: list[L], n: int) -> list[L] | None:
    """The first ``n`` lines of the run of same-shape lines, one after another in the log,
    that ends ``lines``, when that run is longer than ``n``; else None (the last ``n`` of
    ``lines`` show the end of what was printed as well as any)."""
    if len(lines) <= n:
        return None
    last = shape(lines[-1].text)
    if last is None:
        return None
    start = len(lines) - 1
    while (
        start > 0
        and shape(lines[start - 1].text) == last
        and lines[start - 1].number == lines[start].number - 1
    ):
        start -= 1
    run = lines[start:]
    return run[:n] if len(run) > n else None
