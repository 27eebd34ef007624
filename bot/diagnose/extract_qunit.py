"""QUnit's failure report as headless-browser runners print it.

QUnit runs in a browser; a CI job reaches it through a small harness (PhantomJS, Chrome
via puppeteer or the DevTools protocol) that registers QUnit's ``moduleDone``,
``testDone`` and ``log`` callbacks and, when the run ends, prints every failure grouped
by module::

    Module Failed: Acceptance: Admin
      Test Failed: adds a word
        Assertion Failed: TypeError: x is undefined
          Expected: true, Actual: false
        Assertion Failed: Element .words not found.

No line of that report carries a test runner's usual words (``FAIL``, ``failing``,
``not ok``), so without this extractor the failing tests go unnamed and the job reads as
an unknown failure. QUnit names a test by its module and its own name; the id is
``module::name``, as these harnesses print each test when it starts. The message is the
test's first failed assertion (the first one is the cause; the rest usually follow from
it). The trace of an in-browser failure points into the served bundle, so no location.
"""

from __future__ import annotations

import re

from .extract_core import Extractor

_MODULE = re.compile(r"^Module Failed: (\S.*?)\s*$")
_TEST = re.compile(r"^ +Test Failed: (\S.*?)\s*$")
_ASSERTION = re.compile(r"^ +Assertion Failed:(.*)$")
# ``Expected: true, Actual: false`` (one line) or ``Expected: …`` then ``Actual: …``
_EXPECTED = re.compile(r"^ +Expected: ")


class QUnit(Extractor):
    """Each ``Test Failed:`` under its ``Module Failed:``; its first assertion's text."""

    name = "qunit"
    triggers = (r"^Module Failed: \S", r"^ +Test Failed: \S", r"^ +Assertion Failed:")
    follow = (r"^ +Test Failed: \S",)

    def __init__(self) -> None:
        super().__init__()
        self.module: str | None = None
        self.test: str | None = None
        self.want_expected = False  # an assertion without a message: its values say it

    def feed(self, text: str, number: int = 0) -> None:
        m = _MODULE.match(text)
        if m:
            self.module, self.test = m.group(1), None
            return
        if self.module is None:
            return
        m = _TEST.match(text)
        if m:
            self.test = f"{self.module}::{m.group(1)}"
            self.add(self.test, number)
            self.want_expected = False
            return
        if self.test is None:
            return
        m = _ASSERTION.match(text)
        if m:
            message = m.group(1).strip()
            self.want_expected = not message
            if message:
                self.note(self.test, message=message, line=number, raw=text)
        elif self.want_expected and _EXPECTED.match(text):
            self.want_expected = False
            self.note(self.test, message=text.strip(), line=number, raw=text)
        elif text.strip() and not text.startswith(" "):
            self.module = self.test = None  # the report ended (summary, a runner's line)
