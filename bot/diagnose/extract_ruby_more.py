"""Ruby's other test reports: test-unit's faults and minitest-reporters' Progress and Spec
reporters, whose failed-test lines the minitest extractor (``Failure:`` then
``Class#test [path:line]:``) does not read.

test-unit (``lib/test/unit/ui/console/testrunner.rb``, ``output_fault_in_detail``) prints
each fault between ``=====`` rules as it happens, the test as ``TestCase#name`` makes it,
``method(Class)``::

    Failure: test_adds(CalcTest)             Error: test_boom(CalcTest): RuntimeError: boom
    /app/test/test_calc.rb:8:in `test_adds'  /app/test/test_calc.rb:12:in `test_boom'
      =>  8:     assert_equal(4, add(1, 2))
    <4> expected but was
    <3>

(a fault without expected/actual ends its header with ``: message``); test-unit 1.x and
minitest 4 (``long_display``) put the header alone and the test below it:
``Failure:`` / ``test_adds(CalcTest) [test/test_calc.rb:8]:``. The test is named as printed,
``test_adds(CalcTest)``.

minitest-reporters (``lib/minitest/reporters/progress_reporter.rb``, ``spec_reporter.rb``,
``relative_position.rb``): Progress prints `` FAIL CalcTest#test_adds (0.01s)`` (before 1.4.3
``FAIL["test_adds", #<Minitest::Reporters::Suite:0x… @name="CalcTest">, 0.01]`` and then
`` test_adds#CalcTest (0.01s)``); Spec prints the suite's name, then ``  test_adds`` padded
to 63 columns and `` FAIL (0.00s)``. Below either the failure's lines are padded by eight
spaces (an error's first line starts with its class: ``Minitest::UnexpectedError:``). The
test is named the minitest way, ``CalcTest#test_adds``.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, TestBlock, repo_location

# ``test_adds(CalcTest)``, ``test_sum[one](CalcTest)``, ``test: adds(Calc::AddTest)``
# (test-unit runs only methods named ``test…``: ``Error: foo(Bar)`` of another tool is not one)
_NAME = r"(test[^()]*)\(([A-Z][\w:]*)\)"
_FAULT = re.compile(r"^ *(?:\d+\) )?(Failure|Error): " + _NAME + r"(?:: (.*)|:)?\s*$")
_LONE = re.compile(r"^ *(?:\d+\) )?(?:Failure|Error):\s*$")
_LONG_NAME = re.compile(r"^" + _NAME + r"(?: \[(\S+?\.rb):(\d+)\])?:\s*$")
_FRAME = re.compile(r"^\s*\[?(\S+?\.rb):(\d+)(?::in |\]?$)")
_SNIPPET = re.compile(r"^  (?:=>|  ) *\d+: ")
_RULE = re.compile(r"^(?:={20,}|-{20,})\s*$")
_SUMMARY = re.compile(r"^\d+ tests, \d+ assertions, ")


def _library(path: str) -> bool:
    """A frame of the gems or of Ruby itself, not of the project's tests."""
    return "/gems/" in path or "/lib/ruby/" in path


class TestUnit(Extractor):
    """test-unit's faults (and test-unit 1.x / minitest 4's ``long_display``)."""

    name = "test-unit"
    triggers = (
        r"^ *(?:\d+\) )?(?:Failure|Error): test[^()]*\([A-Z][\w:]*\)",
        r"^ *(?:\d+\) )?(?:Failure|Error):\s*$",
    )
    follow = triggers

    def __init__(self) -> None:
        super().__init__()
        self.block: TestBlock | None = None
        self.lone = False  # a header alone: the test is on the next line

    def feed(self, text: str, number: int = 0) -> None:
        fault = _FAULT.match(text)
        if fault:
            self.lone = False
            self._start(f"{fault.group(2)}({fault.group(3)})", number)
            if fault.group(4):
                self._message(fault.group(4), number, text)
            return
        if _LONE.match(text):
            self.lone, self.block = True, None
            return
        if self.lone:
            self.lone = False
            m = _LONG_NAME.match(text.strip())
            if m:
                self._start(f"{m.group(1)}({m.group(2)})", number)
                if m.group(3):
                    self.note(self.found[-1], location=repo_location(m.group(3), m.group(4)))
            return
        block = self.block
        if block is None:
            return
        stripped = text.strip()
        if _RULE.match(text) or _SUMMARY.match(text):
            self.block = None
            return
        frame = _FRAME.match(text)
        if frame:
            block.closed_message = bool(block.message)
            if not _library(frame.group(1)):
                self.note(block.test, location=repo_location(frame.group(1), frame.group(2)))
            return
        if _SNIPPET.match(text):
            return
        if not stripped or stripped == "diff:":
            block.closed_message = bool(block.message)
            return
        block.take(text, number)
        self.set_message(block)

    def _start(self, test: str, number: int) -> None:
        self.add(test, number)
        self.block = TestBlock(test, number)

    def _message(self, message: str, number: int, raw: str) -> None:
        assert self.block is not None
        self.note(self.block.test, message=message, line=number, raw=raw)
        self.block.closed_message = True


_PROGRESS = re.compile(r"^ ?(?:FAIL|ERROR) ([^#\s][^#]*)#(\S.*?) \([\d.]+s\)\s*$")
_PROGRESS_OLD = re.compile(
    r'^ ?(?:FAIL|ERROR)\["((?:[^"\\]|\\.)*)", #<Minitest::Reporters::Suite:0x[0-9a-f]+'
    r' @name="((?:[^"\\]|\\.)*)">, [\d.e-]+\]\s*$'
)
# the old reporter's second line, the same test reversed: `` test_adds#CalcTest (0.01s)``
_REVERSED = re.compile(r"^ (\S+)#(\S.*?) \([\d.]+s\)\s*$")
_SPEC = re.compile(r"^  (\S.*) (?:FAIL|ERROR)(?: \([\d.]+s\))?\s*$")
_SUITE = re.compile(r"^([A-Z][\w:]*(?: \S.*)?|\S.*[^\s)])\s*$")
_RUN_OPTIONS_RE = r"^(?:Started with run options|# Running tests with run options|Run options:)"
_RUN_OPTIONS = re.compile(_RUN_OPTIONS_RE)
_ERROR_CLASS = re.compile(r"^[A-Z][\w:]*: +(\S.*)$")


class MinitestReporters(Extractor):
    """minitest-reporters' Progress and Spec reporters' failed tests, ``Class#test``."""

    name = "minitest-reporters"
    triggers = (
        r"^ ?(?:FAIL|ERROR)(?: [^#\s][^#]*#\S.* \([\d.]+s\)|\[\")",
        r"^  \S.* (?:FAIL|ERROR)(?: \([\d.]+s\))?\s*$",
        _RUN_OPTIONS_RE,
        # the Spec reporter's suite: a test class's name alone (a broader pattern lets
        # every capitalised word through the prefilter and changes other logs' evidence)
        r"^[A-Z][\w:]*(?:Test|Spec)\s*$",
    )
    follow = triggers[:2]

    def __init__(self) -> None:
        super().__init__()
        self.minitest = False  # a minitest run's header was seen (the Spec reporter's gate)
        self.suite = ""
        self.block: TestBlock | None = None
        self.old: str | None = None  # an old Progress line's test, repeated on the next line

    def feed(self, text: str, number: int = 0) -> None:
        if _RUN_OPTIONS.match(text):
            self.minitest = True
            return
        old, self.old = self.old, None
        m = _PROGRESS_OLD.match(text)
        if m:
            test = f"{_unquote(m.group(2))}#{_unquote(m.group(1))}"
            self._start(test, number)
            self.old = test
            return
        m = _REVERSED.match(text) if old else None
        if m and old == f"{m.group(2)}#{m.group(1)}":
            return
        m = _PROGRESS.match(text)
        if m:
            self._start(f"{m.group(1)}#{m.group(2)}", number)
            return
        spec = _SPEC.match(text) if self.minitest and self.suite else None
        if spec:
            self._start(f"{self.suite}#{spec.group(1).rstrip()}", number)
            return
        if not text.startswith(" ") and text.strip():
            if self.block is None or not self._info(text, number):
                self.block = None
                if self.minitest and _SUITE.match(text):
                    self.suite = text.strip()
            return
        if self.block is not None and text.startswith("        "):
            self._info(text, number)
        elif text.strip() and not text.startswith("  "):
            self.block = None

    def _start(self, test: str, number: int) -> None:
        self.add(test, number)
        self.block = TestBlock(test, number)

    def _info(self, text: str, number: int) -> bool:
        """A line of the failure's information below its test: its message or its trace."""
        block = self.block
        assert block is not None
        stripped = text.strip()
        frame = _FRAME.match(text)
        if frame:
            block.closed_message = True
            if not _library(frame.group(1)):
                self.note(block.test, location=repo_location(frame.group(1), frame.group(2)))
            return True
        if not text.startswith(" "):
            # an error's first line: its class, then the padded message on the same line
            m = _ERROR_CLASS.match(stripped)
            if m is None or block.message:
                return False
            stripped = m.group(1)
        if stripped:
            block.take(stripped, number)
            self.set_message(block)
        return True


def _unquote(value: str) -> str:
    """A Ruby ``inspect``-quoted string's text."""
    return re.sub(r"\\(.)", r"\1", value)
