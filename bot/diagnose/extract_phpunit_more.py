"""PHPUnit's two other outputs a CI job prints: ``--testdox`` and ``--teamcity``.

Neither prints the default ``1) Tests\\FooTest::testBar`` list, so without these readings a
job run with either flag names no failing test at all.

``--testdox`` (PHPUnit 9's ``Util/TestDox/CliTestDoxPrinter.php``, 10+'s
``TextUI/Output/TestDox/ResultPrinter.php``) prints each class's prettified name, then one
line per test, `` ✘ `` and the prettified method name for a failure or an error; its
throwable follows, each line prefixed ``   │`` (``┐ ├ ┊ ╵ ┴`` with colours): the message,
then the filtered trace, one ``/path/FooTest.php:42`` a line::

    Calculator (Tests\\Calculator)
     ✔ Adds two numbers
     ✘ Subtracts two numbers
       │
       │ Failed asserting that 3 is identical to 4.
       │
       │ /app/tests/CalculatorTest.php:19
       │

The test is named as that line prints it (the prettified method name, with its data set).

``--teamcity`` (9's ``Util/Log/TeamCity.php``, 10+'s ``Logging/TeamCity/TeamCityLogger.php``)
prints service messages: ``##teamcity[testStarted name='testBar'
locationHint='php_qn:///app/tests/FooTest.php::\\Tests\\FooTest::testBar']`` then
``##teamcity[testFailed name='testBar' message='…' details='…']``; the test is named as
the default output names it, ``Tests\\FooTest::testBar`` (class from the locationHint),
and only a PHPUnit ``php_qn://`` hint makes a ``testFailed`` one of its tests.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, is_test_location, repo_location

_HEADER = re.compile(r"^PHPUnit \d+\.\d+\S* by Sebastian Bergmann")
# a class's prettified name, namespaced: ``Calculator (Tests\Calculator)``
_CLASS = re.compile(r"^\S.*? \([A-Za-z_]\w*(?:\\\w+)+\)\s*$")
# `` ✘ name`` (9 with --verbose adds `` [2.10 ms]``)
_FAILED = re.compile(r"^ ✘ (\S.*)$")
_RUNTIME = re.compile(r" \[[\d.]+ ?m?s\]$")
_RESULT = re.compile(r"^ [✔✘↩∅☢⚠] \S")
_BODY = re.compile(r"^   [│┐├┊╵┴](?: (.*))?$")
_TRACE = re.compile(r"^(\S+\.php):(\d+)$")

_SERVICE = re.compile(r"^##teamcity\[(\w+) (.*)\]\s*$")
_ATTRIBUTE = re.compile(r"(\w+)='((?:[^|']|\|.)*)'")
_HINT = re.compile(r"^php_qn://(.*?)::\\([A-Za-z_]\w*(?:\\\w+)*)(?:::(.+))?$")
_ESCAPES = {"|": "|", "'": "'", "n": "\n", "r": "\r", "]": "]", "[": "["}


def _unescape(value: str) -> str:
    """TeamCity's escaping undone (``||`` ``|'`` ``|n`` ``|r`` ``|]`` ``|[``)."""
    return re.sub(r"\|(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), value)


class PHPUnitTestdox(Extractor):
    """Failed tests of PHPUnit's ``--testdox`` tree, read once the log shows PHPUnit's
    header or a namespaced class heading (`` ✘ name`` alone is any tool's)."""

    name = "phpunit-testdox"
    triggers = (r"^PHPUnit \d+\.\d+\S* by Sebastian Bergmann", r"^ ✘ \S")
    follow = (r"^ ✘ \S",)

    def __init__(self) -> None:
        super().__init__()
        self.phpunit = False
        self.test: str | None = None

    def feed(self, text: str, number: int = 0) -> None:
        if _HEADER.match(text):
            self.phpunit, self.test = True, None
            return
        m = _FAILED.match(text)
        if m and self.phpunit:
            self.test = _RUNTIME.sub("", m.group(1).rstrip())
            self.add(self.test, number)
            return
        body = _BODY.match(text.rstrip())
        if body is None or self.test is None:
            self.test = None
            if _CLASS.match(text):
                self.phpunit = True  # the testdox tree's class heading
            return
        content = (body.group(1) or "").strip()
        if not content or content == "Caused by:":
            return
        trace = _TRACE.match(content)
        if trace:
            location = repo_location(trace.group(1), trace.group(2))
            info = self.details.get(self.test)
            if info is None or not info.location or is_test_location(location):
                self.note(self.test, location=location)
            return
        self.note(self.test, message=content, line=number, raw=text)


class PHPUnitTeamCity(Extractor):
    """Failed tests in PHPUnit's TeamCity service messages, named ``Class::test``."""

    name = "phpunit-teamcity"
    triggers = (r"^##teamcity\[test(?:Started|Failed|SuiteStarted) ",)

    def __init__(self) -> None:
        super().__init__()
        self.classes: dict[str, tuple[str, str]] = {}  # test name -> its class and file
        self.suite: tuple[str, str] | None = None

    def feed(self, text: str, number: int = 0) -> None:
        m = _SERVICE.match(text)
        if m is None or m.group(1) not in ("testStarted", "testFailed", "testSuiteStarted"):
            return
        attrs = {k: _unescape(v) for k, v in _ATTRIBUTE.findall(m.group(2))}
        name = attrs.get("name", "")
        hint = _HINT.match(attrs.get("locationHint", ""))
        if m.group(1) == "testSuiteStarted":
            if hint:
                self.suite = (hint.group(2), hint.group(1))
            return
        if m.group(1) == "testStarted":
            if hint and hint.group(3):
                self.classes[name] = (hint.group(2), hint.group(1))
            return
        where = self.classes.get(name) or self.suite
        if where is None or not name:
            return
        test = f"{where[0]}::{name}"
        self.add(test, number)
        message = attrs.get("message", "").strip().splitlines()
        self.note(test, message=message[0] if message else None, line=number, raw=text)
        for line in attrs.get("details", "").splitlines():
            trace = _TRACE.match(line.strip())
            if trace and (trace.group(1) == where[1] or is_test_location(trace.group(0))):
                self.note(test, location=repo_location(trace.group(1), trace.group(2)))
                break
