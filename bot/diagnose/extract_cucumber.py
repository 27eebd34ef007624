"""Failing-scenario extractor for Cucumber (Ruby's ``cucumber``, Cucumber-JVM) and behave.

After the run Cucumber lists the scenarios that failed, each as the re-run argument:
Ruby's ``Failing Scenarios:`` then ``cucumber features/x.feature:13 # Scenario: name``
(``cucumber -p ci …`` with a profile), Cucumber-JVM's ``Failed scenarios:`` then
``classpath:features/x.feature:10 # name`` (or ``file:src/test/resources/…``), behave's
``Failing scenarios:`` then ``  features/x.feature:10  name``. The test is
the ``path:line`` as printed (what ``cucumber`` re-runs).

The error comes before the list, under the failed step (``pretty``) or after ``(::) failed
steps (::)`` (``progress``): the exception's message lines (an RSpec expectation's
``expected: …`` / ``got: …``), the exception's class alone in parentheses
(`` (RSpec::Expectations::ExpectationNotMetError)``) or after a one-line message
(``boom (RuntimeError)``), then the backtrace, whose ``features/x.feature:24:in `Then …'``
frame is the step's line in the scenario: the message and location of the listed
scenario of that file that starts at or above line 24.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, Failure, relative_path

_LIST = re.compile(r"^(?:Failing|Failed) [Ss]cenarios:\s*$")
# (Python's behave lists ``  features/x.feature:13  Scenario name``: indented, no ``#``)
_SCENARIO = re.compile(
    r"^(?: +(?=\S+\.feature:\d+  +\S))?(?:cucumber (?:-p \S+ )?)?"
    r"(?P<id>(?P<path>(?:classpath:|file:)?\S+\.feature):(?P<line>\d+)[\d:]*)(?: # |  +)\S"
)
_FAILED_STEPS = r"^\(::\) failed steps \(::\)$"
# a list entry whose re-run form is Cucumber's alone (``cucumber features/x.feature:13 # …``,
# ``classpath:features/x.feature:10 # …``): a paste of the list without its heading
_LONE_ENTRY = r"^(?:cucumber (?:-p \S+ )?|classpath:)\S+\.feature:\d+[\d:]* # \S"
_LONE = re.compile(_LONE_ENTRY)
_CLASS_ALONE = re.compile(r"^\s*\([A-Z][\w:]*\)\s*$")
_CLASS_AFTER = re.compile(r"^\s*(\S.*?) \([A-Z][\w:]*(?:Error|Exception)\)\s*$")
_FEATURE_FRAME = re.compile(r"^\s*(\S+\.feature):(\d+):in ")
_FRAME = re.compile(r"^\s*\S+:\d+:in ")
# a step or scenario line of the ``pretty`` format, ``Then x # features/steps/x.rb:5``: the
# error's message starts after it
_COMMENTED = re.compile(r"\s# \S+:\d+\s*$")
_EXPECTATION = (r"^\s*expected:? \S", r"^\s+got: ")
MESSAGE_REACH = 30  # log lines from an error's first message line to its class line
FRAME_REACH = 30  # log lines from the class line to the scenario's ``.feature`` frame


def _feature(path: str) -> str:
    return relative_path(path.removeprefix("classpath:").removeprefix("file:"))


class Cucumber(Extractor):
    name = "cucumber"
    triggers = (
        _LIST.pattern,
        _FAILED_STEPS,
        _CLASS_ALONE.pattern,
        _CLASS_AFTER.pattern,
        _FEATURE_FRAME.pattern,
        *_EXPECTATION,
        _LONE_ENTRY,
    )
    follow = (_LIST.pattern, _FAILED_STEPS)

    def __init__(self) -> None:
        super().__init__()
        self.listing = False
        self.headed = False  # a ``Failing Scenarios:`` heading was seen
        self.pending: list[tuple[str, int]] = []  # lines that may be an error's message
        self.error: tuple[str, int, str, int] | None = None  # message, line, raw, class line
        self.errors: list[tuple[str, int, str, int, str]] = []  # file, line, message, at, raw
        self.scenarios: dict[str, tuple[str, int]] = {}  # listed test -> its file, line

    def feed(self, text: str, number: int = 0) -> None:
        if _LIST.match(text):
            self.listing, self.error, self.pending = True, None, []
            self.headed = True
            return
        # an entry alone counts only in a paste that lost the list's heading
        if self.listing or (not self.headed and _LONE.match(text)):
            m = _SCENARIO.match(text)
            if m:
                self.add(m.group("id"))
                self.scenarios[m.group("id")] = (_feature(m.group("path")), int(m.group("line")))
                return
            self.listing = not text.strip()
            return
        frame = _FEATURE_FRAME.match(text)
        if frame:
            if self.error is not None and number - self.error[3] <= FRAME_REACH:
                message, at, raw, _ = self.error
                self.errors.append(
                    (_feature(frame.group(1)), int(frame.group(2)), message, at, raw)
                )
            self.error = None
            return
        if not text.strip():
            return  # a blank line inside a message (RSpec's `(compared using ==)` below)
        if _COMMENTED.search(text) or _FRAME.match(text) or text == "(::) failed steps (::)":
            self.pending = []  # a step line, a backtrace frame, the section's heading
            return
        after = _CLASS_AFTER.match(text)
        if _CLASS_ALONE.match(text) or after:
            self._error(number, after.group(1).strip() if after else None)
            return
        self.pending = [(t, n) for t, n in self.pending if number - n < MESSAGE_REACH]
        self.pending.append((text, number))

    def _error(self, number: int, same_line: str | None) -> None:
        """An exception's class line: its message is the lines just above (or the text
        before the class on this line)."""
        lines = [(t, n) for t, n in self.pending if number - n <= MESSAGE_REACH][:3]
        self.pending = []
        if lines:
            self.error = (" ".join(t.strip() for t, _ in lines), lines[0][1], lines[0][0], number)
        elif same_line:
            self.error = (same_line, number, same_line, number)

    def failures(self) -> list[Failure]:
        """Each error goes to the listed scenario of its file that starts nearest above it."""
        for file, at, message, number, raw in self.errors:
            above = [
                (line, test)
                for test, (path, line) in self.scenarios.items()
                if path == file and line <= at
            ]
            if above:
                self.note(
                    max(above)[1], message=message, location=f"{file}:{at}", line=number, raw=raw
                )
        return super().failures()
