"""Failing-test extractor for the D compiler's test suite runner (``d_do_test``, run by
``make -C test`` or ``run.d`` in dmd, ldc and gdc trees): each test it runs prints a progress
line, ``" ... runnable/gdb1.d      -g -fPIC ()"``; a failing one prints its log::

    Test runnable/gdb1.d failed.  The logged output:
    <the compiler's and the test program's output>
    ==============================
    Test runnable/gdb1.d failed: expected rc == 0, exited with rc == 1

Releases before 2.081 print ``Test failed.  The logged output:`` and ``Test failed: …``
without the test's name, which the progress line before them gives. The test is its
path (``runnable/gdb1.d``, ``compilable/x.d``, ``fail_compilation/y.d``); the message the
closing ``failed:`` line (why the runner failed it), the header while a paste lost it.
"""

from __future__ import annotations

import re

from .extract_core import Extractor

_HEADER = r"^Test (?:\S+\.\w+ )?failed\.  The logged output:$"
_PROGRESS = r"^ \.\.\. (\S+\.(?:d|c|i|sh))\b"


class DmdTestSuite(Extractor):
    name = "dmd-test-suite"
    triggers = (_HEADER, r"^Test (?:\S+\.\w+ )?failed: \S", _PROGRESS)
    follow = (_HEADER,)
    _HEAD = re.compile(r"^Test (?:(\S+\.\w+) )?failed\.  The logged output:$")
    _REASON = re.compile(r"^Test (?:(\S+\.\w+) )?failed: \S")
    _RAN = re.compile(_PROGRESS)

    def __init__(self) -> None:
        super().__init__()
        self.ran: str | None = None  # the last test the progress lines named
        self.test: str | None = None  # the test whose log is being read

    def feed(self, text: str, number: int = 0) -> None:
        stripped = text.rstrip()
        m = self._RAN.match(stripped) if stripped.startswith(" ... ") else None
        if m:
            self.ran = m.group(1)
            return
        if not stripped.startswith("Test "):
            return
        m = self._HEAD.match(stripped)
        if m:
            self.test = m.group(1) or self.ran
            if self.test:
                self.add(self.test, number)
                self.note(self.test, raw=text, line=number)
            return
        m = self._REASON.match(stripped)
        test = self.test
        if m and test and (m.group(1) is None or m.group(1) == test):
            self.note(test, message=stripped, line=number, raw=text)
            self.test = None
