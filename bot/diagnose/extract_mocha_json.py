"""mocha's ``json`` reporter: the run as one pretty-printed JSON document, no failure list.

``lib/reporters/json.js`` writes ``JSON.stringify({stats, tests, pending, failures, passes},
null, 2)``; each entry of ``failures`` is ``clean(test)``: ``title``, ``fullTitle`` (the suites'
titles and the test's joined by spaces, the name mocha's other reporters print), ``file``,
``duration``, ``currentRetry`` and ``err`` (``stack``, ``message``, and the assertion's own
fields)::

      "failures": [
        {
          "title": "subtracts",
          "fullTitle": "Calc nested suite subtracts",
          "err": {
            "stack": "AssertionError [ERR_ASSERTION]: 2 == 1\\n    at … (test/calc.test.js:9:14)",
            "message": "2 == 1",

Only the ``failures`` array is read (``tests`` lists the passing tests too); the test is its
``fullTitle``, the message the stack's first line (the error's class and message), the
location the first frame in a test file.
"""

from __future__ import annotations

import json
import re

from .extract_core import Extractor, is_test_location, js_frame_location

_STRING = r'"((?:[^"\\]|\\.)*)"'
_FAILURES = re.compile(r'^  "failures": \[\s*$')
_END = re.compile(r"^  \],?\s*$")
_TITLE = re.compile(r'^      "fullTitle": ' + _STRING + r",?\s*$")
_FIELD = re.compile(r'^        "(stack|message)": ' + _STRING + r",?\s*$")


def _decode(value: str) -> str:
    """A JSON string's text (the raw text when it does not decode)."""
    try:
        text = json.loads(f'"{value}"')
    except ValueError:
        return value
    return text if isinstance(text, str) else value


class MochaJson(Extractor):
    """Failed tests of mocha's JSON reporter, named by ``fullTitle``."""

    name = "mocha-json"
    triggers = (
        r'^  "failures": \[\s*$',
        r"^  \],?\s*$",
        r'^      "fullTitle": "',
        r'^        "(?:stack|message)": "',
    )

    def __init__(self) -> None:
        super().__init__()
        self.in_failures = False
        self.test: str | None = None

    def feed(self, text: str, number: int = 0) -> None:
        if _FAILURES.match(text):
            self.in_failures, self.test = True, None
            return
        if not self.in_failures:
            return
        if _END.match(text):
            self.in_failures, self.test = False, None
            return
        title = _TITLE.match(text)
        if title:
            self.test = _decode(title.group(1))
            self.add(self.test, number)
            return
        field = _FIELD.match(text)
        if field is None or self.test is None:
            return
        lines = _decode(field.group(2)).splitlines()
        if field.group(1) == "message":
            if lines:
                self.note(self.test, message=lines[0], line=number, raw=text)
            return
        if lines and lines[0].strip():
            # the stack's first line: the error's class and its message
            info = self.details.get(self.test)
            if info is not None and info.message is None:
                self.note(self.test, message=lines[0].strip(), line=number, raw=text)
            elif info is not None:
                info.message, info.line, info.raw = lines[0].strip(), number, text
        for frame in lines[1:]:
            location = js_frame_location(frame)
            if location and is_test_location(location):
                self.note(self.test, location=location)
                break
