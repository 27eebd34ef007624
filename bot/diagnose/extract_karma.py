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
