"""Failing-test extractor for Vader (``junegunn/vader.vim``), the Vim plugin test framework.

``Vader! test/*.vader`` prints, per suite, ``  Starting Vader: path/to/x.vader`` and for
each case one line per block, ``    ( 3/12) [EXECUTE] comment`` (``GIVEN``, ``DO``,
``EXECUTE``, ``THEN``, ``EXPECT``, ``BEFORE``, ``AFTER``, the tag right-aligned in seven
columns, the counter padded to the total's width). A block that fails repeats the counter
and tag with ``(X) `` and the exception (``(X) 'b' should be equal to 'a'``,
``(X) Vim(call):E117: Unknown function: F``); an ``Expect`` block that does not match
prints ``(X) comment`` then ``- Expected:`` and ``- Got:`` with the buffer's lines.
``  Success/Total: 5/6`` closes a suite and ``Success/Total: 5/6 (assertions: 9/10)``
the run. Vader prints no file line for a failure: no location.

The test is named as Vader's own quickfix list names it: the case's comments (``Given``,
``Do``/``Execute``, ``Then``, ``Expect``) joined by `` / ``; a case without any comment is
``<suite file> (n/N)``. A ``Given`` carried over from an earlier case is printed again on
each case it applies to, so only the case's own lines name it.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, Failure

_CASE = re.compile(r"^\s*\(\s*(\d+)/\s*(\d+)\) \[ *([A-Z]+)\] ?(.*?)\s*$")
_SUITE = re.compile(r"^\s*Starting Vader: (\S.*?)\s*$")
_EXPECT_PART = re.compile(r"^\s+- (Expected|Got):$")
_NAMED = ("GIVEN", "DO", "EXECUTE", "THEN", "EXPECT")


class Vader(Extractor):
    name = "vader"
    triggers = (r"^\s*\(\s*\d+/\s*\d+\) \[ *[A-Z]+\] ", r"^\s*Starting Vader: ")
    # an Expect block's ``- Expected:`` / ``- Got:`` lines follow its ``(X)`` line
    follow = (r"^\s*\(\s*\d+/\s*\d+\) \[ EXPECT\] \(X\)",)

    def __init__(self) -> None:
        super().__init__()
        self.suite = ""
        self.case = ""
        self.comments: dict[str, str] = {}
        self.expect: tuple[str, list[str]] | None = None  # failing Expect: its test, lines

    def feed(self, text: str, number: int = 0) -> None:
        suite = _SUITE.match(text)
        if suite and "suite(s)" not in text:
            self.suite, self.case, self.comments = suite.group(1), "", {}
            return
        m = _CASE.match(text)
        if m is None:
            self._expect_line(text)
            return
        self._close_expect()
        counter, tag, rest = f"({m.group(1)}/{m.group(2)})", m.group(3), m.group(4)
        if counter != self.case:
            self.case, self.comments = counter, {}
        if not rest.startswith("(X)"):
            self.comments[tag] = rest
            return
        said = rest[3:].strip()
        if tag == "EXPECT":
            self.comments[tag] = said  # the (X) line is the Expect block's only line
        test = self._name()
        self.add(test, number)
        if tag == "EXPECT":
            self.note(test, line=number, raw=text)
            self.expect = (test, [])
        elif said:
            self.note(test, message=said, line=number, raw=text)

    def _name(self) -> str:
        parts = [self.comments.get(tag, "") for tag in _NAMED]
        name = " / ".join(p for p in parts if p)
        if name:
            return name
        suite = self.suite.rsplit("/", 1)[-1]
        return f"{suite} {self.case}".strip()

    def _expect_line(self, text: str) -> None:
        if self.expect is None:
            return
        part = _EXPECT_PART.match(text)
        if part:
            self.expect[1].append(f"{part.group(1)}:")
        elif text.strip() and self.expect[1] and len(self.expect[1]) < 8:
            self.expect[1].append(text.strip())
        elif not text.strip() or not self.expect[1]:
            self._close_expect()

    def _close_expect(self) -> None:
        if self.expect is None:
            return
        test, lines = self.expect
        self.expect = None
        if lines:
            self.note(test, message=" ".join(lines))

    def failures(self) -> list[Failure]:
        self._close_expect()
        return super().failures()
