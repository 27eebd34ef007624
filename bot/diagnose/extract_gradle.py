"""The gradle-test-logger-plugin's themes: Gradle test results as a tree, not as paths.

The plugin (``com.adarshr.test-logger``; its ``theme/*Theme.groovy``) replaces Gradle's
``Class > method FAILED`` lines with one line per suite and per test, indented two per
level of the descriptor tree, the exception below the test indented by its theme::

    standard, plain                 mocha
    com.example.CalcTest              com.example.CalcTest
                                        ✘ adds()
      Test adds() FAILED
                                            org.opentest4j.AssertionFailedError: …
      org.opentest4j.AssertionFailedError: …    at com.example.CalcTest.adds(…)
          at com.example.CalcTest.adds(CalcTest.java:12)

The parallel themes print each test on one line after its ancestors' names (``trail``):
``com.example.CalcTest adds() FAILED`` (standard-parallel, plain-parallel) and
``  com.example.CalcTest ✘ adds()`` (mocha-parallel). None of these lines has Gradle's
own `` > `` path, so without this reading the failing tests go unnamed; each is named
the way Gradle's own logging names it, ``com.example.CalcTest > adds()``. The lines are
read only in a log that ran a Gradle test task: ``✘ name`` alone is any runner's.
"""

from __future__ import annotations

import re

from .extract_core import Extractor
from .extract_jvm import JVM_SOURCE_AT

# ``> Task :app:test`` (``--console=plain``), ``:app:testDebugUnitTest`` (Gradle before 5)
_TASK = re.compile(r"^(?:> Task )?:[\w:-]*(?:[tT]est|[cC]heck)\w*(?: FAILED)?\s*$")
_DURATION = r"(?: \([\d.]+ ?m?s\))?"
_STANDARD = re.compile(rf"^((?:  )*)Test (\S.*?) (FAILED|PASSED|SKIPPED){_DURATION}\s*$")
_MOCHA = re.compile(rf"^  ((?:  )*)([✘✔X√-]) (\S.*?){_DURATION}\s*$")
# ``com.example.CalcTest adds() FAILED``: a class, then the test's display name
_PARALLEL = re.compile(
    rf"^([\w$]+(?:\.[\w$]+)+) (?!> )(\S.*?) (FAILED|PASSED|SKIPPED){_DURATION}\s*$"
)
_MOCHA_PARALLEL = re.compile(rf"^  ([\w$]+(?:\.[\w$]+)+) ([✘✔X√-]) (\S.*?){_DURATION}\s*$")
_CAUSED = re.compile(r"^\s*Caused by: ")


class GradleTestLogger(Extractor):
    """Failed tests of the test-logger plugin's six themes, with the exception's first
    line and the test class's frame."""

    name = "gradle-test-logger"
    triggers = (
        r"^(?:> Task )?:[\w:-]*(?:[tT]est|[cC]heck)",
        r"^ *Test \S.* FAILED",
        r"^ {2,}[✘X] \S",
        r"^[\w$]+(?:\.[\w$]+)+ \S.* FAILED",
        r"^  [\w$]+(?:\.[\w$]+)+ [✘X] \S",
        # a suite's line: its class (the standard and plain themes at 0, mocha at 2)
        r"^(?:  )?[\w$]+(?:\.[\w$]+)+\s*$",
    )
    follow = triggers[1:5]

    def __init__(self) -> None:
        super().__init__()
        self.gradle = False  # a Gradle test task ran (its header was seen)
        self.at_indent: dict[int, str] = {}  # the last line at each indent: the suites
        self.test: str | None = None  # the failed test whose exception is below
        self.mocha = False

    def feed(self, text: str, number: int = 0) -> None:
        if _TASK.match(text):
            self.gradle, self.test, self.at_indent = True, None, {}
            return
        if not self.gradle or not text.strip():
            return
        if self._result(text, number):
            return
        if self.test is not None and self._exception(text, number):
            return
        indent = len(text) - len(text.lstrip(" "))
        if indent % 2 == 0 and not text.lstrip().startswith(("at ", "...")):
            self.at_indent[indent] = text.strip()
            for deeper in [i for i in self.at_indent if i > indent]:
                del self.at_indent[deeper]

    def _result(self, text: str, number: int) -> bool:
        """A test's own line: True when ``text`` was one (failed or not)."""
        m = _STANDARD.match(text)
        if m:
            failed, depth, name, mocha = m.group(3) == "FAILED", len(m.group(1)) // 2, m.group(2), 0
        elif (m := _MOCHA.match(text)) and self._mocha_suite():
            failed, depth, name, mocha = m.group(2) in "✘X", len(m.group(1)) // 2, m.group(3), 2
        elif m := _PARALLEL.match(text) or _MOCHA_PARALLEL.match(text):
            status = m.group(2) if len(m.group(2)) == 1 else m.group(3)
            name = m.group(3) if len(m.group(2)) == 1 else m.group(2)
            self.test = f"{m.group(1)} > {name}" if status in ("FAILED", "✘", "X") else None
            if self.test is not None:
                self.add(self.test, number)
            return True
        else:
            return False
        self.test = None
        if failed:
            suites = [self.at_indent.get(mocha + 2 * level) for level in range(depth)]
            if all(suites):
                self.test = " > ".join([*(s for s in suites if s), name])
                self.add(self.test, number)
        return True

    def _mocha_suite(self) -> bool:
        """The mocha theme's tests sit under a suite two spaces in: its class."""
        suite = self.at_indent.get(2)
        return bool(suite and re.match(r"^[\w$]+(?:\.[\w$]+)+$", suite))

    def _exception(self, text: str, number: int) -> bool:
        """A line of the failed test's exception: its first line is the message, a
        frame of the test's class its location. False when the exception is over."""
        assert self.test is not None
        stripped = text.strip()
        at = JVM_SOURCE_AT.search(stripped)
        if stripped.startswith("at ") or stripped.startswith("...") or _CAUSED.match(text):
            if at:
                self.note(self.test, location=f"{at.group(1)}:{at.group(2)}")
            return True
        info = self.details.get(self.test)
        if info is not None and info.message:
            self.test = None
            return False
        self.note(self.test, message=stripped, line=number, raw=text)
        return True
