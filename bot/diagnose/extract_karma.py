"""Karma's own reporters (``progress``, the default, and ``dots``): a failed spec is one
line naming the browser that ran it, the spec's full name and ``FAILED``, then the
framework's error indented by a tab (its first line, then the stack; four spaces here)::

    Chrome 67.0.3396 (Windows 7.0.0) Calculator divide by zero throws FAILED
        Expected function to throw an exception.
            at UserContext.<anonymous> (src/calc.spec.js:14:7)
    IE 10.0.0 (Windows 8.0.0): Executed 5383 of 5954 (349 FAILED) (skipped 14) ERROR

The browser is ``Name version (OS)`` as karma's launcher reports it (``HeadlessChrome
0.0.0 (Linux 0.0.0)``, ``Chrome Mobile 67.0.3396 (Android 7.1.1)``, ``Mac OS X`` inside the
parentheses); the spec's name is what karma joins from the suites and the description, the
test a maintainer re-runs, so it is the test here (a spec failing in several browsers is
one test). The per-browser ``Executed … (N FAILED)`` count and ``Browser ERROR`` (an error
outside any spec) name no test; nor does a browser's ``LOG:``/``WARN:`` console line.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, js_frame_location

# no look-around: the trigger joins the reader's RE2 prefilter, and one pattern RE2 cannot
# compile sends the whole prefilter to ``re``; a console line is told apart in ``feed``
_BROWSER = r"[A-Z][\w.-]*(?: [A-Z][\w.-]*)* \d+(?:\.\d+)+ \([^()]+\)"
_FAILED = rf"^{_BROWSER} (\S.*?) FAILED$"
_CONSOLE = re.compile(r"^(?:LOG|WARN|INFO|DEBUG|ERROR):")


class Karma(Extractor):
    """``<browser> <spec full name> FAILED``, its first tab-indented line the message and
    the first frame in a spec file the location."""

    name = "karma"
    triggers = (_FAILED,)
    follow = triggers
    _HEADER = re.compile(_FAILED)

    def __init__(self) -> None:
        super().__init__()
        self.current: str | None = None
        self.want_message = False

    def feed(self, text: str, number: int = 0) -> None:
        m = self._HEADER.match(text)
        if m and not _CONSOLE.match(m.group(1)):
            self.current, self.want_message = m.group(1), True
            self.add(self.current, number)
            return
        if self.current is None:
            return
        if not text.startswith(("\t", "    ")):
            self.current = None  # dots, the next browser's line: the block is over
            return
        stripped = text.strip()
        location = js_frame_location(stripped)
        if location:
            self.note(self.current, location=location)
        elif self.want_message and stripped:
            self.want_message = False
            self.note(self.current, message=stripped, line=number, raw=text)


class KarmaMocha(Extractor):
    """karma-mocha-reporter's ``FAILED TESTS:`` tree after its ``SUMMARY:``: the suites
    as indented titles, a failed spec ``✖ title`` (``×`` on Windows) under them, the
    browser(s) that ran it, its error and the stack::

        FAILED TESTS:
          Calculator
            divide
              ✖ throws on zero
                Chrome Headless 119.0.6045.105 (Linux x86_64)
              Expected function to throw an exception.
                  at UserContext.<anonymous> (src/calc.spec.js:14:7)

    The test is the suites' titles and the spec's joined by spaces, karma's own full name
    (``Calculator divide throws on zero``). The live tree printed while the specs ran has
    the same ``✖`` lines but no errors; only the list under the heading is read."""

    name = "karma-mocha"
    triggers = (r"^FAILED TESTS:$",)
    follow = (r"^FAILED TESTS:$", r"^ +[✖×✗] \S")
    _BROWSER_LINE = re.compile(rf"^{_BROWSER}$")

    def __init__(self) -> None:
        super().__init__()
        self.listing = False
        self.suites: list[tuple[int, str]] = []  # (indent, title) of the open suites
        self.current: str | None = None
        self.want_message = False

    def feed(self, text: str, number: int = 0) -> None:
        if text.startswith("FAILED TESTS:"):
            self.listing, self.suites, self.current = True, [], None
            return
        if not self.listing:
            return
        stripped = text.strip()
        if not stripped:
            self.current = None  # a blank line closes a spec's error and stack
            return
        if not text[0].isspace():
            self.listing, self.current = False, None  # the reporter's list is over
            return
        indent = len(text) - len(text.lstrip())
        if self.current is not None:
            self._in_spec(stripped, number, text)
            return
        while self.suites and self.suites[-1][0] >= indent:
            self.suites.pop()
        if stripped[0] in "✖×✗" and stripped[1:2] == " ":
            test = " ".join([*(t for _, t in self.suites), stripped[2:].strip()])
            self.add(test, number)
            self.current, self.want_message = test, True
        else:
            self.suites.append((indent, stripped))

    def _in_spec(self, stripped: str, number: int, text: str) -> None:
        if self.current is None:
            return
        location = js_frame_location(stripped)
        if location:
            self.note(self.current, location=location)
            self.want_message = False
        elif self.want_message and not self._BROWSER_LINE.match(stripped):
            self.want_message = False
            self.note(self.current, message=stripped, line=number, raw=text)
