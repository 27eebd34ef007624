"""Failing-test extractors for two C++ unit-test frameworks without a runner line per test:
Qt Test (QtTest's plain-text logger) and CppUTest.

Qt Test prints one line per test function (with its data tag), a fixed-width result
before it: ``PASS   : TstModel::testAdd()``, ``FAIL!  : TstModel::testAdd() Compared values
are not the same`` (``XPASS  : …`` when an expected failure passed), then the message's
own lines indented by three spaces (``   Actual   (spy.count()): 0``, ``   Expected (1)
: 1``) and ``   Loc: [path/tst_model.cpp(88)]``; ``Totals: 3 passed, 1 failed, …`` ends
the run. Under ``ctest -V`` each line carries the test's number (``1: FAIL!  : …``). The
test is ``Class::function(tag)`` as printed, the message the text after it and its
indented lines, the location the ``Loc:`` line's.

CppUTest prints a failure as a compiler would (``path/test.cpp:20: error: Failure in
TEST(Group, Name)``, ``path(20): error: …`` in Visual Studio's form) and the assertion's
lines under it, each after a tab (``expected <1>``, ``but was  <2>``); ``Errors (1
failures, 2 tests, …)`` ends the run. The test is ``TEST(Group, Name)`` as printed (also
``IGNORE_TEST``-less forms such as ``TEST_C``), the message the ``Failure in …`` line and
the lines under it, the location the header's ``path:line``.
"""

from __future__ import annotations

import re

from .extract_core import MAX_MESSAGE_LINES, Extractor, TestBlock, repo_location

_CTEST_PREFIX = re.compile(r"^\d+: ")
_QT_RESULT = re.compile(r"^(?:FAIL!|XPASS)  : (\w[\w:]*\((?:[^()]|\([^()]*\))*\))(?: (.*))?$")
_QT_LOC = re.compile(r"^\s+Loc: \[(.+)\((\d+)\)\]\s*$")
_QT_OTHER = re.compile(r"^(?:[A-Z!]{4,7} *: |Totals: |\*{9} )")


class QtTest(Extractor):
    name = "qtest"
    triggers = (r"^(?:\d+: )?(?:FAIL!|XPASS)  : \w",)
    follow = triggers

    def __init__(self) -> None:
        super().__init__()
        self.block: TestBlock | None = None

    def feed(self, text: str, number: int = 0) -> None:
        if text[:1].isdigit():
            text = _CTEST_PREFIX.sub("", text, count=1)
        m = _QT_RESULT.match(text) if "  : " in text else None
        if m:
            test = m.group(1)
            self.add(test, number)
            self.block = None
            if test in self.details and self.details[test].message:
                return  # reported again (a crash's second line): the first says why
            self.block = TestBlock(test, number)
            self.block.take(m.group(2) or "", number)
            self.block.raw = text
            self.set_message(self.block)
            return
        block = self.block
        if block is None:
            return
        loc = _QT_LOC.match(text)
        if loc:
            self.note(block.test, location=repo_location(loc.group(1), loc.group(2)))
            self.block = None
        elif not text.strip() or _QT_OTHER.match(text) or not text[:1].isspace():
            self.block = None
        elif len(block.message) < MAX_MESSAGE_LINES:
            block.take(text, number)
            self.set_message(block)


_CPPUTEST_FAILURE = re.compile(
    r"^(\S.*?[^\d\s:])(?::(\d+):|\((\d+)\):) error: (Failure in (\w+\(\s*\w+\s*,\s*\w+\s*\)))\s*$"
)


class CppUTest(Extractor):
    name = "cpputest"
    triggers = (r"^\S.*(?::\d+:|\(\d+\):) error: Failure in \w+\(",)
    follow = triggers

    def __init__(self) -> None:
        super().__init__()
        self.block: TestBlock | None = None

    def feed(self, text: str, number: int = 0) -> None:
        m = _CPPUTEST_FAILURE.match(text) if "error: Failure in " in text else None
        if m:
            test = " ".join(m.group(5).split()).replace("( ", "(").replace(" )", ")")
            self.add(test, number)
            self.note(test, location=repo_location(m.group(1), m.group(2) or m.group(3)))
            self.block = TestBlock(test, number)
            self.block.take(m.group(4), number)
            self.block.raw = text
            self.set_message(self.block)
            return
        block = self.block
        if block is None:
            return
        if text[:1] != "\t" or not text.strip() or len(block.message) >= MAX_MESSAGE_LINES:
            self.block = None
            return
        block.take(text, number)
        self.set_message(block)
