"""Failing-test extractor for Android instrumentation tests (AndroidJUnitRunner, the
``connectedAndroidTest`` / ``am instrument`` runner), in the three places its results show:

- logcat, where its ``LogRunListener`` logs under the tag ``TestRunner`` (any logcat
  format: ``04-22 20:42:12.158  2453  2474 E TestRunner: failed: …``, ``E/TestRunner( 2453):
  …``; level ``E`` in older releases, ``I`` in newer)::

      I TestRunner: started: adds(com.example.CalcTest)
      E TestRunner: failed: adds(com.example.CalcTest)
      E TestRunner: ----- begin exception -----
      E TestRunner: java.lang.AssertionError: expected:<4> but was:<5>
      E TestRunner: 	at com.example.CalcTest.adds(CalcTest.java:17)
      E TestRunner: ----- end exception -----

- ``am instrument -r``'s status bundles (``INSTRUMENTATION_STATUS: class=…``, ``test=…``,
  ``stack=…`` in any order, then ``INSTRUMENTATION_STATUS_CODE: -2`` for a failure);
- ``am instrument``'s plain stream: ``Error in adds(com.example.CalcTest):`` (or ``Process
  crashed while executing …:``) and the trace, then JUnit 4's ``TextListener`` summary,
  ``There was 1 failure:`` / ``1) adds(com.example.CalcTest)`` and the trace.

The test is JUnit's display name ``method(class)``; the message the exception's first line
(the ``failed:`` record itself when the trace was not logged); the location the trace's frame
in the test method (``CalcTest.java:17``). ``assumption failed:`` is a skipped test.
"""

from __future__ import annotations

import re

from .extract_core import Extractor

_TAG = r"TestRunner\s*(?:\(\s*\d+\))?: "
_DISPLAY = r"([^\s()]+)\(([\w.$]+)\)"
_PLAIN = rf"^(?:Error in|Process crashed while executing) {_DISPLAY}:$"
_SUMMARY = r"^There (?:was 1 failure|were \d+ failures):$"
# ``at com.example.CalcTest.adds(CalcTest.java:17)``
_FRAME = re.compile(r"^\s*at ([\w.$]+)\.([\w$]+)\(([\w$]+\.(?:java|kt)):(\d+)\)")
_METHOD = re.compile(r"^[\w$]+")


class AndroidJUnitRunner(Extractor):
    name = "androidjunitrunner"
    triggers = (
        rf"{_TAG}(?:failed: |----- (?:begin|end) exception -----)",
        r"^INSTRUMENTATION_STATUS(?:_CODE)?: ",
        _PLAIN,
        _SUMMARY,
    )
    follow = (
        rf"{_TAG}----- begin exception -----",
        _PLAIN,
        _SUMMARY,
        r"^INSTRUMENTATION_STATUS: stack=",
    )
    _LOGCAT = re.compile(rf"(?:^|\s)([VDIWEF][/ ]{_TAG})(.*)$")
    _PLAIN_HEAD = re.compile(_PLAIN)
    _NUMBERED = re.compile(rf"^\d+\) {_DISPLAY}$")
    _STATUS = re.compile(r"^INSTRUMENTATION_STATUS: (\w+)=(.*)$")
    _CODE = re.compile(r"^INSTRUMENTATION_STATUS_CODE: (-?\d+)")

    def __init__(self) -> None:
        super().__init__()
        self.test: str | None = None  # the failure whose trace is being read
        self.in_trace = False  # inside logcat's ``begin exception`` block
        self.fresh = False  # the trace's first line not read yet
        self.in_summary = False  # under ``There were N failures:``
        self.status: dict[str, tuple[int, str, str]] = {}  # key: line, value, raw line

    def feed(self, text: str, number: int = 0) -> None:
        if "TestRunner" in text:
            m = self._LOGCAT.search(text)
            if m:
                self._logcat(m.group(2), text[m.start(1) :], text, number)
                return
        stripped = text.strip()
        if stripped.startswith("INSTRUMENTATION_STATUS"):
            self._bundle(stripped, text, number)
            return
        m = self._PLAIN_HEAD.match(stripped) or (
            self._NUMBERED.match(stripped) if self.in_summary else None
        )
        if m:
            test = self._failed(m.group(1), m.group(2), number)
            known = self.details.get(test)
            self.in_trace, self.fresh = True, known is None or known.message is None
            return
        if re.match(_SUMMARY, stripped):
            self.in_summary, self.test = True, None
            return
        if self.in_trace and not self.status:
            self._trace(stripped, text, number)

    def _logcat(self, body: str, record: str, text: str, number: int) -> None:
        if body.startswith("failed: "):
            m = re.match(rf"^{_DISPLAY}$", body[len("failed: ") :].strip())
            if m:
                test = self._failed(m.group(1), m.group(2), number)
                # the record (``E TestRunner: failed: …``) says which test failed until its
                # exception is read
                self.note(test, message=record.strip(), line=number, raw=text)
            self.in_trace = False
        elif body.strip() == "----- begin exception -----":
            self.in_trace = self.fresh = self.test is not None
        elif body.strip() == "----- end exception -----":
            self.in_trace, self.test = False, None
        elif self.in_trace:
            self._trace(body.strip(), text, number)

    def _failed(self, method: str, cls: str, number: int) -> str:
        test = f"{method}({cls})"
        self.add(test, number)
        self.test = test
        return test

    def _trace(self, stripped: str, text: str, number: int) -> None:
        test = self.test
        if test is None or not stripped:
            return
        frame = _FRAME.match(stripped)
        if frame:
            self.fresh = False
            method, _, cls = test.partition("(")
            base = _METHOD.match(method)
            if frame.group(1) == cls.rstrip(")") and base and frame.group(2) == base.group(0):
                self.note(test, location=f"{frame.group(3)}:{frame.group(4)}")
                self.in_trace = False
            return
        if self.fresh:  # the exception's first line: the message
            self.fresh = False
            info = self.details.get(test)
            if info is not None:
                info.message = info.raw = None  # not the ``failed:`` record any more
            self.note(test, message=stripped, line=number, raw=text)

    def _bundle(self, stripped: str, text: str, number: int) -> None:
        m = self._STATUS.match(stripped)
        if m:
            self.status[m.group(1)] = (number, m.group(2), text)
            self.in_trace = False
            return
        m = self._CODE.match(stripped)
        status, self.status = self.status, {}
        if not m or m.group(1) not in ("-1", "-2"):
            return
        if "class" not in status or "test" not in status:
            return
        test = self._failed(status["test"][1].strip(), status["class"][1].strip(), number)
        if "stack" in status:
            line, value, raw = status["stack"]
            self.note(test, message=value.strip(), line=line, raw=raw)
        self.test = None
