"""Failing-test extractor for CoffeeScript's Cakefile test runner (``cake test``, and its
``test:browser`` / ``test:integrations`` tasks).

After the run it prints ``failed 2 and passed 1286 tests in 8.20 seconds`` and, for each
failure, a blank line, the test's description (``  numeric literal separators``), the
error's stack (``  AssertionError [ERR_ASSERTION]: Missing expected exception.`` then
``    at …`` frames) and the compiled test function's source. A test file that does not
compile is a failure without a description: its first line is the compiler's own
(``  test/x.coffee:8:25: error: unexpected identifier``) and no test of it ran, so it names
no failing test. The frames point into compiled code (``x.coffee:1:1``): no location.
"""

from __future__ import annotations

import re

from .extract_core import Extractor

_HEADER = re.compile(r"^failed (\d+) and passed \d+ tests? in [\d.]+ seconds\s*$")
# the first line of the error's stack: ``Name: message`` or ``Name [CODE]: message``
_ERROR = re.compile(r"^  [\w$.]*(?:Error|Exception)(?: \[\w+\])?: \S")
_DESCRIPTION = re.compile(r"^  (\S.*?)\s*$")
_COMPILER = re.compile(r"^\s*\S+:\d+:\d+: error: ")


class CakeTest(Extractor):
    name = "cake"
    triggers = (r"^failed \d+ and passed \d+ tests? in [\d.]+ seconds",)
    follow = triggers

    def __init__(self) -> None:
        super().__init__()
        self.left = 0  # failures the summary announced and not yet read
        self.blank = False  # the line before was blank: a failure may start here
        self.first: tuple[str, int] | None = None  # a failure's first line (description?)

    def feed(self, text: str, number: int = 0) -> None:
        m = _HEADER.match(text)
        if m:
            self.left, self.blank, self.first = int(m.group(1)), False, None
            return
        if not self.left:
            return
        if not text.strip():
            self.blank, self.first = True, None
            return
        first, self.first = self.first, None
        if self.blank:
            self.blank = False
            if _DESCRIPTION.match(text) and not _COMPILER.match(text):
                self.first = (text, number)
            return
        if first is None or not _ERROR.match(text) or _ERROR.match(first[0]):
            return
        test = first[0].strip()
        self.add(test, first[1])
        self.note(test, message=text.strip(), line=number, raw=text)
        self.left -= 1
