"""Failing-test extractor for clojure.test (``lein test``, ``clojure -X:test``, Cognitect's
test-runner, cljs.test), as its default ``report`` methods print a failed or errored
assertion::

    lein test :only app.web-test/first-test          <- Leiningen, before each report

    FAIL in (first-test) (web_test.clj:6)             <- the testing vars, the file's line
    adding                                            <- ``testing`` contexts, when any
    Tests should be written                           <- the assertion's message, when any
    expected: false
      actual: false

``ERROR in (…) (…)`` reports an exception: its ``actual:`` is the exception and its location
the exception's top frame (``(Numbers.java:188)``). cljs.test adds the column
(``(core_test.cljs:12:4)``); kaocha prints the var qualified (``FAIL in app.core-test/adds
(core_test.clj:6)``). The testing vars are a list, outermost first (``(arithmetic
subtraction)``): the failing test is the last. Its namespace comes from the line that
began it: Leiningen's ``lein test :only ns/var`` (the re-run command), else ``lein test ns``
or clojure.test's ``Testing ns``. The test is ``ns/var`` (``var`` with no namespace seen);
the message the assertion's message (and contexts), else ``expected: … actual: …``, for
an error the exception; the location the report's ``file:line`` when it is a Clojure file.
"""

from __future__ import annotations

import re

from .extract_core import Extractor

_NAME = r"[\w.*+!?'<>=$-]+"
_HEADER = r"^(?:FAIL|ERROR) in "
# Leiningen's ``lein test ns`` / ``lein test :only ns/var``; clojure.test's ``Testing ns``
_BEGIN = rf"^(?:lein test (?::only )?|Testing ){_NAME}(?:/{_NAME})?$"
MAX_MESSAGE_LINES = 3
CLOJURE_FILE = (".clj", ".cljc", ".cljs", ".cljr", ".bb")


class ClojureTest(Extractor):
    """``FAIL in (var) (file:line)`` reports, named after the namespace that began them."""

    name = "clojure-test"
    triggers = (rf"{_HEADER}(?:\(.*\)|{_NAME}/{_NAME}) \(\S+:\d+(?::\d+)?\)$", _BEGIN)
    follow = triggers
    _REPORT = re.compile(
        rf"^(FAIL|ERROR) in (?:\((.*)\)|({_NAME})/({_NAME})) \(([^()\s:]+):(\d+)(?::\d+)?\)$"
    )
    _ONLY = re.compile(rf"^lein test :only ({_NAME})/({_NAME})$")
    _NS = re.compile(rf"^(?:lein test|Testing) ({_NAME})$")
    _END = re.compile(r"^(?:Ran \d+ tests? containing|\d+ failures?, \d+ errors?\.|Tests failed\.)")

    def __init__(self) -> None:
        super().__init__()
        self.ns: str | None = None  # the namespace being tested
        self.only: tuple[str, str] | None = None  # Leiningen's ``ns/var`` for the next report
        self.test: str | None = None  # the report being read
        self.error = False
        self.lines: list[tuple[int, str]] = []  # its lines before ``expected:``
        self.expected: tuple[int, str] | None = None  # its ``expected:`` line

    def feed(self, text: str, number: int = 0) -> None:
        stripped = text.strip()
        m = self._REPORT.match(stripped) if stripped.startswith(("FAIL in ", "ERROR in ")) else None
        if m:
            self._report(m, number)
            return
        m = self._ONLY.match(stripped) if stripped.startswith("lein test ") else None
        if m:
            self.test, self.only = None, (m.group(1), m.group(2))
            return
        m = self._NS.match(stripped) if stripped.startswith(("lein test ", "Testing ")) else None
        if m:
            self.test, self.ns, self.only = None, m.group(1), None
            return
        if self.test is None:
            return
        if self._END.match(stripped):
            self.test = None
        elif stripped.startswith("expected:"):
            self.expected = (number, stripped)
            if self.lines:
                self._message(self.lines)
        elif stripped.startswith("actual:") and self.expected is not None:
            if not self.lines:
                if self.error:
                    actual = stripped[len("actual:") :].strip()
                    self._message([(number, actual)] if actual else [])
                else:
                    self._message([self.expected, (number, stripped)])
            self.test = None
        elif stripped and self.expected is None and len(self.lines) < MAX_MESSAGE_LINES:
            self.lines.append((number, stripped))

    def _report(self, m: re.Match[str], number: int) -> None:
        kind, listed, qualified_ns, qualified_var, path, line = m.groups()
        if qualified_var:
            test = f"{qualified_ns}/{qualified_var}"
        else:
            names = (listed or "").split()
            var = names[-1] if names else ""
            if self.only and (not var or self.only[1] == var):
                test = "/".join(self.only)
            elif var:
                test = f"{self.ns}/{var}" if self.ns else var
            else:
                test = self.ns or ""  # an assertion outside any test var
        self.only = None
        if not test:
            self.test = None
            return
        self.add(test, number)
        self.test, self.error = test, kind == "ERROR"
        self.lines, self.expected = [], None
        if path.endswith(CLOJURE_FILE):
            self.note(test, location=f"{path}:{line}")

    def _message(self, lines: list[tuple[int, str]]) -> None:
        if self.test is None or not lines:
            return
        first, raw = lines[0]
        self.note(self.test, message=" ".join(t for _, t in lines), line=first, raw=raw)
