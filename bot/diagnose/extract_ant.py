"""Apache Ant's ``<junit>`` task: its failed tests, which Ant prints under the task's
``    [junit] `` prefix (the logger pads the task's name to twelve columns).

Without this reading an Ant build's failing tests go unnamed and its category falls to
the build, though the tests ran and failed. What each part of the task prints (Ant 1.7 to
1.10, ``src/main/org/apache/tools/ant/taskdefs/optional/junit/``):

- ``JUnitTask.actOnTestResult``: ``Test com.x.CalcTest FAILED`` per failed class (``FAILED
  (timeout)``, ``FAILED (crashed)`` when the forked VM did not finish it);
- ``printsummary`` (``SummaryJUnitResultFormatter``): ``Running com.x.CalcTest`` and
  ``Tests run: 3, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.02 sec``;
- ``<formatter type="plain">`` (``PlainJUnitResultFormatter``): ``Testsuite: com.x.CalcTest``,
  ``Testcase: adds took 0.003 sec``, then ``\\tFAILED`` (or ``\\tCaused an ERROR``), the
  exception's message and its filtered trace;
- ``<formatter type="brief">`` (``BriefJUnitResultFormatter``): ``Testcase:
  adds(com.x.CalcTest):\\tFAILED`` with the message and trace below.

A test is named as the brief formatter (and JUnit 3/4 themselves) print it,
``adds(com.x.CalcTest)``; a class that failed with no test case printed (no formatter, or a
crashed VM) is named by its class as ``Test … FAILED`` prints it.
"""

from __future__ import annotations

import re

from .extract_core import MAX_TESTS, Extractor
from .extract_jvm import JVM_SOURCE_AT

_PREFIX = re.compile(r"^ *\[junit\] ?")
_SUITE = re.compile(r"^(?:Testsuite|Running): ?([\w.$]+)\s*$|^Running ([\w.$]+)\s*$")
# ``Testcase: adds took 0.003 sec`` (plain) / ``Testcase: adds(pkg.CalcTest):\tFAILED`` (brief)
_CASE = re.compile(
    r"^Testcase: (\S+?)(?:\(([\w.$]+)\))?"
    r"(?::\s+(FAILED|Caused an ERROR)| took [\d.,]+ sec)\s*$"
)
_STATUS = re.compile(r"^\s*(FAILED|Caused an ERROR)\s*$")
_CLASS_FAILED = re.compile(r"^Test ([\w.$]+) FAILED(?: \((?:timeout|crashed)\))?\s*$")


class AntJUnit(Extractor):
    """Failed tests of Ant's ``<junit>`` task: each failed test case with its message and
    the test class's frame, else each failed class."""

    name = "ant-junit"
    triggers = (r"^ *\[junit\] ",)
    follow = triggers

    def __init__(self) -> None:
        super().__init__()
        self.suite = ""  # the class whose tests are being printed
        self.case: str | None = None  # a plain formatter's test case, its status next
        self.test: str | None = None  # the failed test whose message and trace follow
        self.classes: list[str] = []  # classes Ant reported as failed

    def feed(self, text: str, number: int = 0) -> None:
        prefix = _PREFIX.match(text)
        if prefix is None:
            return
        body = text[prefix.end() :]
        suite = _SUITE.match(body)
        if suite:
            self.suite, self.case, self.test = suite.group(1) or suite.group(2), None, None
            return
        failed = _CLASS_FAILED.match(body)
        if failed:
            self.test = None
            if failed.group(1) not in self.classes and len(self.classes) < MAX_TESTS:
                self.classes.append(failed.group(1))
            return
        case = _CASE.match(body)
        if case:
            cls = case.group(2) or self.suite
            self.case = f"{case.group(1)}({cls})" if cls else case.group(1)
            self.test = None
            if case.group(3):
                self._failed(number)
            return
        if self.case is not None and _STATUS.match(body):
            self._failed(number)
            return
        if self.test is not None:
            self._detail(body, text, number)

    def _failed(self, number: int) -> None:
        assert self.case is not None
        self.test, self.case = self.case, None
        self.add(self.test, number)

    def _detail(self, body: str, text: str, number: int) -> None:
        """A line below a failed case: its first line is the message, the test class's
        frame its location; a blank line ends the case's report."""
        assert self.test is not None
        stripped = body.strip()
        if not stripped:
            info = self.details.get(self.test)
            if info is not None and info.message:
                self.test = None
            return
        at = JVM_SOURCE_AT.search(stripped)
        if stripped.startswith("at "):
            cls = self.test.rpartition("(")[2].rstrip(")")
            if at and cls and f"{cls}." in stripped:
                self.note(self.test, location=f"{at.group(1)}:{at.group(2)}")
                self.test = None
            return
        info = self.details.get(self.test)
        if info is None or not info.message:
            self.note(self.test, message=stripped, line=number, raw=text)

    def tests(self) -> list[str]:
        named = {t.rpartition("(")[2].rstrip(")") for t in self.found}
        return list(self.found) + [c for c in self.classes if c not in named]
