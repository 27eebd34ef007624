"""Failing-test extractor for MSpec, the runner of ruby/spec (CRuby's, JRuby's and
TruffleRuby's ``make test-spec`` / ``mspec`` / ``bin/jruby -S mspec``).

Its formatters end a run with one numbered block per exception: the number alone on a
line, then the example's description and its outcome (``FAILED`` for an expectation that
was not met, ``ERROR`` for an exception), the exception's message and its backtrace::

    3)
    Syslog.close sets the identity to nil ERROR
    Java::JavaLang::OutOfMemoryError: Metaspace
    java.lang.ClassLoader.defineClass1(Native Method)

An exception raised in a hook puts ``An exception occurred during: before :each`` above
the description. The test is the description (``Array#pack with format 'x' raises …``),
its location the first backtrace line in a ``_spec.rb`` file.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, Failure, repo_location

_NUMBER = re.compile(r"^(\d+)\)$")
_HEADER = re.compile(r"^(\S.*?) (?:FAILED|ERROR)$")
_DURING = re.compile(r"^An exception occurred during: \S")
_SPEC_LINE = re.compile(r"^\s*(\S+_spec\.rb):(\d+)(?::in\b|$)")
# a backtrace line: Ruby's ``path:12:in `m'``, a Java frame ``a.b.C.m(C.java:12)``
_FRAME = re.compile(r"^\s*\S+:\d+:in |^\s*[\w$.<>]+\((?:Native Method|[\w$.]+(?::\d+)?)\)$")
MESSAGE_LINES = 3
BLOCK_LINES = 40  # how far below its header a block's spec location is looked for


class MSpec(Extractor):
    name = "mspec"
    triggers = (r"^\d+\)$",)
    follow = (r"^\d+\)$",)

    def __init__(self) -> None:
        super().__init__()
        self.numbered: int | None = None  # the line of the last ``N)``
        self.test: str | None = None  # the block being read
        self.header_line = 0
        self.message: list[str] = []
        self.in_message = False

    def feed(self, text: str, number: int = 0) -> None:
        if _NUMBER.match(text):
            self.numbered, self.test = number, None
            return
        if self.numbered is not None:
            self._header(text, number)
            return
        if self.test is None:
            return
        if number - self.header_line > BLOCK_LINES or not text.strip():
            self._close()
            return
        spec = _SPEC_LINE.match(text)
        if spec:
            self.note(self.test, location=repo_location(spec.group(1), spec.group(2)))
        if self.in_message and (_FRAME.match(text) or len(self.message) >= MESSAGE_LINES):
            self._message_done()
        elif self.in_message:
            self.message.append(text.strip())

    def _header(self, text: str, number: int) -> None:
        """The line after ``N)``: the description and outcome (or the hook it ran in)."""
        if _DURING.match(text) and self.numbered == number - 1:
            self.numbered = number  # the description is on the next line
            return
        header = _HEADER.match(text) if self.numbered == number - 1 else None
        self.numbered = None
        if header is None:
            return
        self.test, self.header_line = header.group(1).strip(), number
        self.message, self.in_message = [], True
        self.add(self.test)
        self.note(self.test, line=number, raw=text)

    def _message_done(self) -> None:
        if self.test is not None and self.in_message and self.message:
            info = self.details[self.test]
            self.note(self.test, message=" ".join(self.message), line=info.line, raw=info.raw)
        self.in_message = False

    def _close(self) -> None:
        self._message_done()
        self.test = None

    def failures(self) -> list[Failure]:
        self._message_done()  # a paste that ends inside a block's message
        return super().failures()
