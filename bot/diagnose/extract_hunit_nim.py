"""HUnit's text controller and Nim's ``unittest`` (and status-im's ``unittest2``) reports.

HUnit (``src/Test/HUnit/Text.hs``, ``runTestText``): each problem is one report,
``### Failure in: <path>`` (``### Error in: ``), the path being ``showPath``'s labels and list
indices root first, joined by ``:`` (``0:arith:1``); then the assertion's ``file:line`` when
it has a call stack, then the message (``expected: 4`` / `` but got: 3``). The progress line
``Cases: 3  Tried: 1  Errors: 0  Failures: 0`` is erased with ``\\r`` before a report, so in a
CI log the report may follow it on the same line. The test is the path as printed.

Nim's ``unittest`` (``lib/pure/unittest.nim``, ``ConsoleOutputFormatter``): a failed
check's checkpoints come first (``/p/t_calc.nim(12, 10): Check failed: add(1, 2) == 4``,
then ``add(1, 2) was 3``; an exception's ``Unhandled exception: … [ValueError]``), then
``[FAILED] name`` (indented two under a ``[Suite]``). ``unittest2`` pads the status and adds
the duration: ``  [FAILED ] (0.00s) name``. The test is the name as printed. A ``[FAILED]``
line counts only after a line of Nim's tests (``[Suite]``, ``[OK]``, a checkpoint): Cypress
prints ``[FAILED] Cypress verification timed out.``.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, TestBlock, is_test_location, repo_location

_HUNIT = re.compile(r"### (?:Failure|Error) in: (\S.*)$")
_HUNIT_LOC = re.compile(r"^(\S+\.l?hs):(\d+)$")
_HUNIT_END = re.compile(r"^(?:### |Cases: \d+ )")

_NIM_RESULT = re.compile(r"^ *\[(OK|FAILED|SKIPPED) ?\] (?:\([\d.]+m?s\) )?(\S.*)$")
_NIM_MARK = re.compile(r"^(?:\[Suite\] |\s*\[OK ?\] |.*\.nim\(\d+, \d+\): Check failed: )")
_NIM_CHECK = re.compile(r"^\s*(\S+\.nim)\((\d+), \d+\): (Check failed: .*)$")
_NIM_EXCEPTION = re.compile(r"^\s*(?:Unhandled exception: |Error: unhandled exception: )\S")
_NIM_FRAME = re.compile(r"^\s*(\S+\.nim)\((\d+)\) \S")


class HUnit(Extractor):
    """HUnit's ``### Failure in: path`` reports, named by the path."""

    name = "hunit"
    triggers = (r"### (?:Failure|Error) in: \S",)
    follow = triggers

    def __init__(self) -> None:
        super().__init__()
        self.block: TestBlock | None = None

    def feed(self, text: str, number: int = 0) -> None:
        at = text.find("### ")
        m = _HUNIT.match(text, at) if at >= 0 else None
        if m and (at == 0 or "\r" in text[:at] or text.startswith("Cases: ")):
            test = m.group(1).rstrip()
            self.add(test, number)
            self.block = TestBlock(test, number)
            return
        block = self.block
        if block is None:
            return
        stripped = text.strip()
        if _HUNIT_END.match(text) or not stripped:
            self.block = None
            return
        loc = _HUNIT_LOC.match(stripped)
        if loc and not block.message:
            self.note(block.test, location=repo_location(loc.group(1), loc.group(2)))
            return
        block.take(text, number, limit=2)  # ``expected: …`` and `` but got: …``
        self.set_message(block)


class NimUnittest(Extractor):
    """``[FAILED] name`` of Nim's unittest and unittest2, with the checkpoint before it."""

    name = "nim-unittest"
    triggers = (
        r"^ *\[FAILED ?\] \S",
        r"^(?:\[Suite\] |\s*\[OK ?\] )",
        r"\.nim\(\d+, \d+\): Check failed: ",
        r"^\s*(?:Unhandled exception: |Error: unhandled exception: )\S",
    )

    def __init__(self) -> None:
        super().__init__()
        self.nim = False  # a line of Nim's test output was seen
        self.message: tuple[str, int, str] | None = None  # the pending checkpoint
        self.location: str | None = None

    def feed(self, text: str, number: int = 0) -> None:
        result = _NIM_RESULT.match(text)
        if result and (self.nim or result.group(1) == "OK"):
            self.nim = True
            if result.group(1) == "FAILED":
                test = result.group(2).rstrip()
                self.add(test, number)
                if self.message:
                    message, line, raw = self.message
                    self.note(test, message=message, line=line, raw=raw)
                if self.location:
                    self.note(test, location=self.location)
            self.message, self.location = None, None
            return
        if _NIM_MARK.match(text):
            self.nim = True
        check = _NIM_CHECK.match(text)
        if check:
            if self.message is None:
                self.message = (check.group(3).rstrip(), number, text)
                self.location = repo_location(check.group(1), check.group(2))
            return
        if _NIM_EXCEPTION.match(text) and self.message is None:
            self.message = (text.strip(), number, text)
            return
        frame = _NIM_FRAME.match(text)
        if frame and self.location is None:
            location = repo_location(frame.group(1), frame.group(2))
            if is_test_location(location):  # a ``tests/`` directory is one too
                self.location = location
