"""Failing-test extractor for gocheck (``gopkg.in/check.v1``) suites run by ``go test``.

Why its own reader: gocheck runs a whole suite inside one go test (``func Test(t
*testing.T) { check.TestingT(t) }``), so go's ``--- FAIL: Test`` names no test; gocheck
prints each problem itself (reporter.go ``renderCallHeader``: ``%s: %s: %s`` — the label,
the method's ``file.go:line`` and ``Suite.TestMethod``) after a line of dashes, then the
test's log: the failed check's place (``x_test.go:45:``, check.go ``logCaller``), the
source lines of the call, and the checker's values (``... obtained int = 1``, ``...
expected int = 2``, ``... Error: msg``, ``... Panic: msg (PC=0x…)``). The run ends with
``OOPS: 3 passed, 1 FAILED`` (run.go ``Result.String``) before go's own ``--- FAIL: Test``.
The test is ``Suite.TestMethod`` as printed; the message the ``... `` value lines; the
location the failed check's place in a test file, else the method's.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, Failure, repo_location

# labels that are a test's failure: ``FAIL``, ``PANIC``, a fixture's ``FIXTURE-PANIC``
# (its ``MISS``ed tests did not run: not failures); ``FAIL EXPECTED`` is a known failure
_HEADER = r"^(?:FAIL|PANIC|FIXTURE-PANIC): (\S+\.go):(\d+): (\w+\.\w+)\s*$"
_PLACE = re.compile(r"^(\S+\.go):(\d+):\s*$")
_VALUE = re.compile(r"^\.\.\. (\S.*?)\s*$")
_ENDS = ("OOPS: ", "OK: ", "PASS: ", "SKIP: ", "MISS: ", "--- ", "FAIL", "PANIC: ", "ok ")


class GoCheck(Extractor):
    name = "gocheck"
    triggers = (_HEADER,)
    follow = (_HEADER,)
    _LINE = re.compile(_HEADER)

    def __init__(self) -> None:
        super().__init__()
        self.current: str | None = None
        self.values: list[str] = []
        self._method = ""  # the failing method's own ``file.go:line``

    def feed(self, text: str, number: int = 0) -> None:
        m = self._LINE.match(text) if ": " in text else None
        if m:
            self._close()
            self.current = m.group(3)
            self.add(self.current, number)
            self.note(self.current, line=number)
            self._method = repo_location(m.group(1), m.group(2))
            return
        if self.current is None:
            return
        if text.startswith(_ENDS) or text.startswith("-" * 20):
            self._close()
            return
        place = _PLACE.match(text)
        if place and place.group(1).endswith("_test.go"):
            self.note(self.current, location=repo_location(place.group(1), place.group(2)))
            return
        value = _VALUE.match(text)
        if value and len(self.values) < 4:
            if not self.values:
                self.note(self.current, line=number, raw=text.strip())
            self.values.append(value.group(1))

    def _close(self) -> None:
        """A problem's report ended: its value lines are its message; with no failed
        check's place printed, the method's own place is the location."""
        if self.current is None:
            return
        if self.values:
            self.note(self.current, message="\n".join(self.values))
        self.note(self.current, location=self._method)
        self.current, self.values = None, []

    def failures(self) -> list[Failure]:
        self._close()
        return super().failures()
