"""Failing-test extractors for two small JavaScript runners whose failure lines carry none
of the usual words: uvu and web-test-runner (``@web/test-runner``).

uvu prints each failure as a badge, the suite (when the test has one), the quoted test
name, then the assertion's message and the stack (https://github.com/lukeed/uvu)::

       FAIL  math  "adds numbers"
        Expected values to be strictly equal:  (is)
        ...
        at Object.handler (file:///home/runner/work/app/app/test/sum.js:6:9)

web-test-runner prints a failed test's names joined by `` > `` after a cross mark, under
its file, then the error indented deeper::

    test/my-element.test.js:

     ❌ my-element > renders a button
          AssertionError: expected 0 to equal 1
            at o.<anonymous> (test/my-element.test.js:15:28)

That mark is common (status lines such as ``❌ Build failed``, Xcode formatters' ``❌
/path/File.swift:97:2``), so a ``❌`` line names a test only when the next line is an
error (``AssertionError: …``, ``TypeError: …``) indented deeper than the mark.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, TestBlock, js_frame_location

# an error's own line: ``AssertionError: …``, ``TypeError: …``, ``Error: …``
_ERROR_LINE = re.compile(r"^(?:\w+\.)*\w*(?:Error|Exception)\b(?: \[[\w.-]+\])?:")


class Uvu(Extractor):
    """``FAIL  suite  "name"``: the test is ``suite > name`` (``name`` without a suite),
    the message its next line (without uvu's ``  (operator)``), the location the first
    frame outside ``node_modules``."""

    name = "uvu"
    triggers = (r'^ *FAIL  (?:\S.*?  )?"[^"]+"$',)
    follow = triggers
    _FAIL = re.compile(r'^ *FAIL  (?:(\S.*?)  )?"([^"]+)"$')
    _OPERATOR = re.compile(r"  \(\w+\)$")

    def __init__(self) -> None:
        super().__init__()
        self.block: TestBlock | None = None

    def feed(self, text: str, number: int = 0) -> None:
        m = self._FAIL.match(text) if "FAIL  " in text else None
        if m:
            suite, name = m.group(1), m.group(2)
            test = f"{suite.strip()} > {name}" if suite else name
            self.add(test, number)
            self.block = TestBlock(test, number)
            return
        block = self.block
        if block is None or not text.strip():
            return
        where = js_frame_location(text)
        if where:
            self.note(block.test, location=where)
            self.block = None
        elif not block.message and not text.lstrip().startswith("at "):
            block.take(self._OPERATOR.sub("", text), number, limit=1)
            self.set_message(block)


class WebTestRunner(Extractor):
    """``❌ suite > test`` followed by a deeper-indented error line: the test, its
    message, and the first frame in user code as the location."""

    name = "web-test-runner"
    triggers = (r"^ *❌ \S",)
    follow = triggers
    _MARK = re.compile(r"^( *)❌ (\S.*?)\s*$")

    def __init__(self) -> None:
        super().__init__()
        self.pending: tuple[str, int, int] | None = None  # a title: (test, line, indent)
        self.block: TestBlock | None = None

    def feed(self, text: str, number: int = 0) -> None:
        m = self._MARK.match(text) if "❌" in text else None
        if m:
            self.pending, self.block = (m.group(2), number, len(m.group(1))), None
            return
        if not text.strip():
            return
        if self.pending is not None:
            test, start, indent = self.pending
            self.pending = None
            depth = len(text) - len(text.lstrip(" "))
            if depth >= indent + 2 and _ERROR_LINE.match(text.strip()):
                self.add(test, start)
                self.block = TestBlock(test, start)
                self.block.take(text, number)
                self.set_message(self.block)
            return
        if self.block is not None:
            where = js_frame_location(text)
            if where:
                self.note(self.block.test, location=where)
                self.block = None
