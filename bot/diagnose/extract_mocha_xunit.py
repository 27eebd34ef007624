"""mocha's ``xunit`` reporter printed to the log (no ``--reporter-option output=``): the run as
one XML document, its ``<testsuite>`` first, then one ``<testcase>`` per test.

Why its own reader: the document names a failed test only by ``classname`` (the suite's full
title) and ``name`` (the test's own title), apart; mocha's other reporters name the test by its
full title, the two joined by a space, which is what every mocha extractor reports. The
reporter (lib/reporters/xunit.js, ``tag()``) writes the attributes in a fixed order:
``<testsuite name="Mocha Tests" tests="3" failures="0" errors="1" skipped="1" timestamp=…``
and ``<testcase classname="api" name="reports failing requests" file=… time="0.002">`` with
``<failure>`` holding the error's message, a newline and its stack (mocha ≤ 3 put the message
in a ``message`` attribute and the stack in CDATA). A passed test's ``<testcase …/>`` is
self-closed and a pending one holds ``<skipped/>``: neither is a failure. Other tools' JUnit
XML (another attribute order) is left alone: only a document headed by mocha's
``<testsuite>`` is read.
"""

from __future__ import annotations

import html
import re

from .extract_core import Extractor, js_frame_location

_SUITE = (
    r'^\s*<testsuite name="[^"]*" tests="\d+" failures="\d+" errors="\d+" skipped="\d+" timestamp="'
)
_CASE = r'^\s*<testcase classname="([^"]*)" name="([^"]*)"[^>]*?(/?)>(.*)$'
_FAILURE = re.compile(r'^<failure(?: message="([^"]*)")?[^>]*>(?:<!\[CDATA\[)?(.*)$')
# a failure's stack lines, below its ``<failure>``: at most this many are read for a location
_STACK_LINES = 30


class MochaXunit(Extractor):
    """Failed tests of mocha's xunit reporter, named by their full title."""

    name = "mocha-xunit"
    triggers = (_SUITE, r"^\s*<testcase classname=\"[^\"]*\" name=\"[^\"]*\"[^>]*><failure")
    follow = (r"^\s*<testcase classname=\"[^\"]*\" name=\"[^\"]*\"[^>]*><failure",)
    _SUITE_LINE = re.compile(_SUITE)
    _CASE_LINE = re.compile(_CASE)

    def __init__(self) -> None:
        super().__init__()
        self.mocha = False  # mocha's ``<testsuite>`` was seen
        self.test: str | None = None  # the failed test whose stack lines follow
        self.left = 0

    def feed(self, text: str, number: int = 0) -> None:
        if "<testsuite " in text and self._SUITE_LINE.match(text):
            self.mocha, self.test = True, None
            return
        if not self.mocha:
            return
        case = self._CASE_LINE.match(text) if "<testcase " in text else None
        if case:
            self.test = None
            failure = _FAILURE.match(case.group(4)) if not case.group(3) else None
            if failure is None:
                return  # passed (self-closed) or pending (``<skipped/>``)
            suite, title = html.unescape(case.group(1)), html.unescape(case.group(2))
            test = f"{suite} {title}" if suite else title
            message = html.unescape(failure.group(1) or failure.group(2) or "").strip()
            message = message.split("</failure>")[0].removesuffix("]]>").strip()
            self.add(test, number)
            self.note(test, message=message or None, line=number, raw=text)
            self.test, self.left = test, _STACK_LINES
            return
        if self.test is None:
            return
        self.left -= 1
        frame = text.split("</failure>")[0].removesuffix("]]>")
        where = js_frame_location(html.unescape(frame))
        if where:
            self.note(self.test, location=where)
        if "</testcase>" in text or "</testsuite>" in text or self.left <= 0:
            self.test = None
