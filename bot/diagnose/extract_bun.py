"""``bun test``: the failing test's error comes *before* its result line.

Bun prints each failure as a code excerpt, the error (``error: expect(received).toBe(expected)``
then ``Expected: 4`` / ``Received: 5``, or ``TypeError: message``), its frames (``at
<anonymous> (/path/x.test.ts:4:17)``), under GitHub Actions an ``::error file=F,line=L,
title=T::`` workflow command, and only then ``(fail) suite > test [0.26ms]``. So this
extractor keeps the last error seen and gives it to the next ``(fail)`` line; a ``(pass)``
or ``(skip)`` line in between, or a gap of more than :data:`MAX_GAP` lines, drops it (the
error belonged to no failing test: a passing test's console output).
"""

from __future__ import annotations

import re

from .extract_core import Extractor, js_frame_location, repo_location
from .logreader import parse_workflow_command

MAX_GAP = 60


class BunTest(Extractor):
    """``(fail) suite > test [Nms]`` with the error block printed above it."""

    name = "bun"
    triggers = (
        r"^\(fail\) .+",
        r"^\((?:pass|skip|todo)\) ",
        r"^error: \S",
        r"^[A-Z]\w*(?:Error|Exception)(?:: |$)",
        r"^(?:Expected|Received)(?: [\w ]+)?: ",
        r"^\s+at .+:\d+:\d+\)?$",
        r"^::error file=",
    )
    _FAIL = re.compile(r"^\(fail\) (.+?)(?: \[[\d.]+m?s\])?$")
    _OTHER = re.compile(r"^\((?:pass|skip|todo)\) ")
    _ERROR = re.compile(r"^(?:error: \S.*|[A-Z]\w*(?:Error|Exception)(?:: .*)?)$")
    _DETAIL = re.compile(r"^(?:Expected|Received)(?: [\w ]+)?: ")

    def __init__(self) -> None:
        super().__init__()
        self.message: list[str] = []
        self.message_line: int | None = None
        self.location: str | None = None
        self.raw: str | None = None

    def _drop(self) -> None:
        self.message, self.message_line, self.location, self.raw = [], None, None, None

    def feed(self, text: str, number: int = 0) -> None:
        m = self._FAIL.match(text)
        if m:
            test = m.group(1)
            self.add(test, number)
            fresh = self.message_line is not None and number - self.message_line <= MAX_GAP
            if fresh:
                self.note(test, " ".join(self.message), self.location, self.message_line, self.raw)
            self._drop()
            return
        if self._OTHER.match(text):
            self._drop()
        elif self._ERROR.match(text):
            self._drop()
            self.message, self.message_line, self.raw = [text.strip()], number, text
        elif self.message and self._DETAIL.match(text) and len(self.message) < 3:
            self.message.append(text.strip())
        elif self.message and self.location is None:
            self._locate(text)

    def _locate(self, text: str) -> None:
        """The first frame in the repository, or the annotation's ``file``/``line``."""
        if text.startswith("::error"):
            note = parse_workflow_command(text)
            if note is not None and note.file and note.line is not None:
                self.location = repo_location(note.file, str(note.line))
            return
        self.location = js_frame_location(text)
