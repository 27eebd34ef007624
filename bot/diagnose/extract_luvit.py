"""luvit's tap (``tests/libs/tap.lua`` of luvit, lit, luvi and the luvit packages).

Each test is announced before it runs, its error (``xpcall`` with ``debug.traceback``)
is printed before its result line, and the result names the test again::

    # Starting Test: dns - resolveTxtTCP
      /home/runner/build/luvit/luvit/tests/libs/tap.lua:85: Missing 1 expected call
      stack traceback:
        [C]: in function 'error'
        /home/runner/build/luvit/luvit/tests/test-dns.lua:71: in function 'fn'
    not ok 23 dns - resolveTxtTCP

So the generic TAP readers see the ``not ok`` line but not the error above it. The id is
the name as printed; the message is the error's first line, the one just above ``stack
traceback:`` (what the test printed before it is its own output, not the error); the
location is the first place in a test file (``test-*.lua``, ``*_test.lua``) that the error
or its traceback names, never the harness's ``tap.lua``.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, repo_location

_START = re.compile(r"^# Starting Test: (\S.*?)\s*$")
_RESULT = re.compile(r"^(not )?ok \d+ (\S.*?)\s*$")
_TRACEBACK = re.compile(r"^\s*stack traceback:\s*$")
# ``path.lua:12: message`` or a traceback frame ``path.lua:12: in function 'fn'``
_PLACE = re.compile(r"^\s*(\S+\.lua):(\d+): ")
_TEST_FILE = re.compile(r"(?:^|/)(?:test[-_][^/]*|[^/]*_(?:test|spec))\.lua$")


class LuvitTap(Extractor):
    """Failing tests of luvit's tap: ``not ok N name`` after ``# Starting Test: name``,
    with the error printed between them as the message."""

    name = "luvit-tap"
    # the generic TAP reader sees only the ``not ok`` lines, and takes the next test's
    # output for the failed one's diagnostics
    subsumes = ("node:test",)
    triggers = (r"^# Starting Test: \S", r"^\s*stack traceback:\s*$", r"^not ok \d+ \S")
    # the test's output and error follow its announcement
    follow = (triggers[0],)

    def __init__(self) -> None:
        super().__init__()
        self.current: str | None = None  # the announced test, until its result line
        self.previous: tuple[str, int] | None = None  # the last non-blank line fed
        self.message: tuple[str, int] | None = None
        self.location: str | None = None
        self.in_traceback = False

    def feed(self, text: str, number: int = 0) -> None:
        m = _START.match(text)
        if m:
            self.current, self.previous, self.message = m.group(1), None, None
            self.location, self.in_traceback = None, False
            return
        if self.current is None:
            return
        m = _RESULT.match(text)
        if m:
            if m.group(1) and m.group(2) == self.current:
                self._failed(self.current, number)
            self.current = None
            return
        if _TRACEBACK.match(text):
            # the error's first line is the line just above (when it was fed)
            if self.message is None and self.previous and self.previous[1] == number - 1:
                self.message = self.previous
                self._place(self.previous[0])
            self.in_traceback = True
            return
        if self.in_traceback:
            self._place(text)
        if text.strip():
            self.previous = (text, number)

    def _place(self, text: str) -> None:
        m = _PLACE.match(text)
        if m and self.location is None and _TEST_FILE.search(m.group(1)):
            self.location = repo_location(m.group(1), m.group(2))

    def _failed(self, test: str, number: int) -> None:
        self.add(test, number)
        if self.message is not None:
            text, line = self.message
            self.note(test, message=text.strip(), line=line, raw=text)
        if self.location is not None:
            self.note(test, location=self.location)
