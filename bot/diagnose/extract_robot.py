"""Failing-test extractor for Robot Framework's console output: a test's status line
(its name padded to ``| FAIL |``), the failure message on the next line::

    Invalid Password                                                      | FAIL |
    Page should have contained text 'Wrong password' but did not.
    ------------------------------------------------------------------------------
    Login Tests                                                           | FAIL |
    2 tests, 1 passed, 1 failed

A suite's status line has the same shape; its statistics (``2 tests, 1 passed, 1
failed``, Robot 3's ``2 critical tests, …``) follow it, or a suite setup's message
and then the statistics, before any ``---``/``===`` rule: such a line names a suite, not
a test. A test's block ends at the ``---`` rule below its message.
"""

from __future__ import annotations

import re

from .extract_core import Extractor

_STATUS = r"^([^\s|].*?) +\| FAIL \|$"


class RobotFramework(Extractor):
    name = "robot"
    triggers = (_STATUS,)
    follow = triggers
    _HEADER = re.compile(_STATUS)
    _STATS = re.compile(r"^\d+ (?:critical )?tests?(?: total)?, \d+ passed, \d+ failed")

    def __init__(self) -> None:
        super().__init__()
        self.last: tuple[str, int] | None = None  # the last status line: name, log line

    def feed(self, text: str, number: int = 0) -> None:
        m = self._HEADER.match(text) if text.endswith("| FAIL |") else None
        if m:
            self.last = (m.group(1).strip(), number)
            self.add(self.last[0], number)
            return
        if self.last is None:
            return
        name, at = self.last
        if self._STATS.match(text):  # a suite's statistics: the line named a suite
            if name in self.found:
                self.found.remove(name)
                self.details.pop(name, None)
            self.last = None
        elif text.startswith(("---", "===")):  # a test's block is over: it was a test
            self.last = None
        elif number == at + 1 and text.strip():
            self.note(name, message=text.strip(), line=number, raw=text)
