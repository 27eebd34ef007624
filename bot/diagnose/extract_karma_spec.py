"""karma-spec-reporter: the failed specs listed after karma's total.

The spec reporter (``index.js``) prints the run as a tree (suites two spaces in per level,
``✗ <description>`` for a failed spec, its log tab-indented below) and, after ``TOTAL: 2
FAILED, 298 SUCCESS``, every failure again (``logFinalErrors``)::

    1) should place tooltip on top
         tooltip plugin
         failed
    Expected: true

the description, the suites joined by spaces five in, then the spec's log. None of these
lines is karma's own ``<browser> <spec> FAILED``, so karma's reading names nothing; the
spec is named as karma names it, ``<suites> <description>`` (karma-qunit: the module,
then the test). Only the list after the total is read: ``N) `` and ``✗`` alone are any
runner's.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, js_frame_location

_TOTAL = r"^TOTAL: \d+ FAILED, \d+ SUCCESS"
_ITEM = re.compile(r"^\d+\) (\S.*?)\s*$")
_INDENTED = re.compile(r"^ {5}(.*?)\s*$")


class KarmaSpec(Extractor):
    """``N) description`` after ``TOTAL: … FAILED``, its suites and first log line below."""

    name = "karma-spec"
    triggers = (_TOTAL, r"^\d+\) \S")
    follow = triggers
    _TOTAL_LINE = re.compile(_TOTAL)

    def __init__(self) -> None:
        super().__init__()
        self.listing = False  # the total was printed: the list follows
        self.description: tuple[str, int] | None = None  # awaiting its suites' line
        self.test: str | None = None

    def feed(self, text: str, number: int = 0) -> None:
        if self._TOTAL_LINE.match(text):
            self.listing, self.description, self.test = True, None, None
            return
        if not self.listing:
            return
        item = _ITEM.match(text)
        if item:
            self.description, self.test = (item.group(1), number), None
            return
        indented = _INDENTED.match(text)
        if self.description is not None:
            if indented is None:
                self.description = None
                return
            suites, (description, line) = indented.group(1), self.description
            self.test = f"{suites} {description}" if suites else description
            self.add(self.test, line)
            self.description = None
            return
        if self.test is None:
            return
        location = js_frame_location(text)
        if location:
            self.note(self.test, location=location)
        elif indented and indented.group(1) and not self.details[self.test].message:
            self.note(self.test, message=indented.group(1), line=number, raw=text)
