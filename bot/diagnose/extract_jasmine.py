"""Jasmine's console reporter (the ``jasmine`` CLI of jasmine-npm 2.x-5.x, and Protractor's
jasmine runs, which print through the same reporter).

After the run's dots it prints every failed spec, numbered, by its full name (the suite
descriptions and the spec's own, joined by spaces), then each failed expectation::

    Failures:
    1) Calculator divide by zero throws
      Message:
        Expected function to throw an exception.
      Stack:
        Error: Expected function to throw an exception.
            at <Jasmine>
            at UserContext.<anonymous> (/home/runner/work/calc/calc/spec/calcSpec.js:14:7)

    3 specs, 1 failure
    Finished in 0.02 seconds

An error thrown in a suite's ``beforeAll``/``afterAll`` is a ``Suite error: <full name>``
block of the same shape; pending specs are listed after ``Pending:`` with the same numbering
but no ``Message:``. None of these lines carries a runner's usual words (``FAIL``,
``failing``, ``not ok``), so without this extractor the specs go unnamed. The message is the
first line after ``Message:`` (an expectation that prints a whole object spans many lines);
the location is the first stack frame in a spec file, repository-relative.

A numbered header counts only when a ``Message:`` line follows it before the next header:
RSpec's and minitest's ``Failures:`` lists (indented, with ``Failure/Error:`` or
``Failure:``) never reach it, nor do the pending specs.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, js_frame_location

# jasmine-spec-reporter (Protractor's and Angular's e2e default) boxes its report in
# asterisks, ``*   Failures   *``, and prints each failed expectation as ``  - message``
# (https://github.com/bcaudan/jasmine-spec-reporter)
_FAILURES = re.compile(r"^(?:Failures:|\*\s+Failures\s+\*)\s*$")
_DASHED = re.compile(r"^ {2}- (\S.*?)\s*$")
_HEADER = re.compile(r"^(\d+)\) (\S.*?)\s*$")
_SUITE_ERROR = re.compile(r"^Suite error: (\S.*?)\s*$")
_MESSAGE = re.compile(r"^ {2,3}Message:\s*$")
_STACK = re.compile(r"^ {2,3}(?:Stack|Stacktrace):\s*$")
# the report's end: the counts line, the timing, a seed line, the pending list
_END = re.compile(
    r"^(?:\d+ specs?, \d+ failures?|Finished in [\d.]+ seconds?|Pending:\s*$"
    r"|Randomized with seed |Ran \d+ of \d+ specs?|No specs found|Incomplete: "
    r"|Executed \d+ of \d+ specs? |\*\s+Pending\s+\*\s*$)"
)


class Jasmine(Extractor):
    """Each ``N) full name`` (or ``Suite error: name``) of the ``Failures:`` report whose
    ``Message:`` follows; its first message line and the spec file's frame."""

    name = "jasmine"
    triggers = (
        r"^(?:Failures:|\*\s+Failures\s+\*)\s*$",
        r"^\d+\) \S",
        r"^Suite error: \S",
        r"^ {2,3}Message:\s*$",
        r"^ {2,3}(?:Stack|Stacktrace):\s*$",
        r"^\d+ specs?, \d+ failures?",
        r"^Pending:\s*$",
    )
    follow = (r"^\d+\) \S", r"^Suite error: \S", r"^ {2,3}Message:\s*$", r"^ {2,3}Stack:\s*$")

    def __init__(self) -> None:
        super().__init__()
        self.in_report = False
        self.candidate: tuple[str, int] | None = None  # a header not yet confirmed
        self.test: str | None = None
        self.want_message = False
        self.in_stack = False
        # a numbered header outside a report: a paste cut below ``Failures:`` counts it
        # when ``Message:`` is the very next line (no other runner prints that pair)
        self.loose: tuple[str, int] | None = None

    def feed(self, text: str, number: int = 0) -> None:
        if _FAILURES.match(text):
            self.in_report = True
            self._reset()
            return
        if not self.in_report and not self._loose(text, number):
            return
        if _END.match(text):
            self.in_report = False
            self._reset()
            return
        header = _HEADER.match(text)
        suite = None if header else _SUITE_ERROR.match(text)
        if header or suite:
            self._reset()
            name = header.group(2) if header else suite.group(1) if suite else ""
            if name != "top suite":
                self.candidate = (name, number)
            return
        if _MESSAGE.match(text):
            if self.candidate is not None:
                self.test, line = self.candidate
                self.add(self.test, line)
                self.candidate = None
            self.want_message, self.in_stack = self.test is not None, False
            return
        if _STACK.match(text):
            self.want_message, self.in_stack = False, self.test is not None
            return
        dashed = _DASHED.match(text) if self.test is None and self.candidate else None
        if dashed and self.candidate is not None:  # jasmine-spec-reporter's expectation
            self.test, line = self.candidate
            self.add(self.test, line)
            self.note(self.test, message=dashed.group(1), line=number, raw=text)
            self.candidate = None
            return
        if self.test is None:
            return
        if self.want_message and text.strip():
            self.want_message = False
            self.note(self.test, message=text.strip(), line=number, raw=text)
        elif self.in_stack:
            location = js_frame_location(text)
            if location:
                self.note(self.test, location=location)

    def _loose(self, text: str, number: int) -> bool:
        """Outside a report: True when ``text`` is the ``Message:`` right below a numbered
        header, which opens the report with that header as its candidate."""
        header = _HEADER.match(text)
        loose, self.loose = self.loose, (header.group(2), number) if header else None
        if loose is None or number != loose[1] + 1 or not _MESSAGE.match(text):
            return False
        self.in_report, self.candidate = True, loose
        return True

    def _reset(self) -> None:
        self.candidate = self.test = None
        self.want_message = self.in_stack = False
