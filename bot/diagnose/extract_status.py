"""Failing-test extractor for shell test scripts that print a status table: one line per
test, the name padded to a column and its status, closed by a count of the tests that
passed.

The shape is vis-test's (the vis editor's suites): ``printf "%-50s" "$t"`` then
``PASS``/``FAIL``/``ERROR`` (``OK``/``FAIL`` for its Lua suite, whose busted output follows
a failed line), and for the suites that compare vis with a reference editor
``Running test ./x with sam ... FAIL`` then ``Running test ./x with vis ... OK``; each
suite ends ``Tests ok 43/44`` (``Tests ok 36/36, skipped 0``). The reference editor's
own results are printed but not counted, so a suite whose summary says every test passed
failed none of the tests it printed as failing. The identifier form is listed in
:mod:`bot.diagnose.extractors`.
"""

from __future__ import annotations

import re

from .extract_core import Extractor

_PADDED = r"^(\S+[^\s:]) {2,}(?:FAIL|ERROR)$"
_RUNNING = r"^Running test (\S+) with \S+ \.\.\. (?:FAIL|ERROR)$"
_TALLY = r"^Tests ok (\d+)/(\d+)\b"


class StatusTable(Extractor):
    """``name<padding>FAIL`` and ``Running test name with editor ... FAIL`` lines, kept
    when the suite's ``Tests ok N/M`` count says N < M (or when the script prints no
    count at all); a count of M/M drops the failing lines before it (a reference
    editor's)."""

    name = "status-table"
    triggers = (_PADDED, _RUNNING, _TALLY)
    _LINE = re.compile(f"{_PADDED}|{_RUNNING}")
    _COUNT = re.compile(_TALLY)

    def __init__(self) -> None:
        super().__init__()
        self.pending: list[tuple[str, int, str]] = []
        self.counted = False

    def feed(self, text: str, number: int = 0) -> None:
        m = self._LINE.match(text)
        if m:
            self.pending.append((m.group(1) or m.group(2), number, text))
            return
        count = self._COUNT.match(text)
        if count:
            self.counted = True
            if int(count.group(1)) < int(count.group(2)):
                self._keep(self.pending)
            self.pending = []

    def _keep(self, lines: list[tuple[str, int, str]]) -> None:
        for test, number, raw in lines:
            self.add(test, number)
            self.note(test, line=number, raw=raw.strip())

    def tests(self) -> list[str]:
        if self.pending and not self.counted:
            # a script without the count: its failing lines are all there is
            self._keep(self.pending)
            self.pending = []
        return list(self.found)
