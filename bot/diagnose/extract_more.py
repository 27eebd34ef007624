"""Failing-test extractors for ExUnit (Elixir), tasty (Haskell) and XCTest as xcodebuild
and xcpretty print it.

Each is a numbered or tree-shaped report whose test header is followed by the test's
own message; without them a Travis or Actions log of these ecosystems named no failing
test at all (batch 8). The identifier forms are listed in :mod:`bot.diagnose.extractors`.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, Failure, clip_message, repo_location, with_actual

# ExUnit's detail labels under a failure: what follows them is code or values, not the cause
_EXUNIT_LABELS = re.compile(r"^(?:code|left|right|arguments|stacktrace|lhs|rhs|body|match \(=\)):")


class ExUnit(Extractor):
    """``mix test``: ``  1) test name (Module)`` (also ``doctest``/``property``), then the
    test's ``path.exs:line``, then its error (``Assertion with == failed``,
    ``** (RuntimeError) boom``) before ``code:``/``left:``/``stacktrace:``.

    A paste cut below the header starts at the ``path.exs:line`` line (on Actions, a problem
    matcher's ``Error: `` before it): followed by ExUnit's own error line it is the failed
    test, named ``path.exs:line`` as ``mix test path.exs:line`` re-runs it."""

    name = "exunit"
    # (a paste's margin may have taken the block's indent)
    _BARE = r"^(?:\[ERROR\] )? *\S+\.exs:\d+$"
    # the stacktrace's frame in the test itself: `test/x_test.exs:95: (test)`
    _TEST_FRAME_RE = r"^ *(\S+\.exs):(\d+): \(test\)$"
    triggers = (r"^ +\d+\) (?:test|doctest|property) .+ \([\w.]+\)$", _BARE, _TEST_FRAME_RE)
    follow = triggers[:2]
    _TEST_FRAME = re.compile(_TEST_FRAME_RE)
    _HEADER = re.compile(r"^ +\d+\) ((?:test|doctest|property) .+ \([\w.]+\))$")
    _LOCATION = re.compile(r"^ +(\S+\.exs?):(\d+)$")
    _BARE_RE = re.compile(r"^(?:\[ERROR\] )? *(\S+\.exs:\d+)$")
    _ERROR = re.compile(r"^ *(?:Assertion with \S+ failed|\*\* \([A-Z][\w.]*\) \S.*)$")

    def __init__(self) -> None:
        super().__init__()
        self.current: str | None = None
        self.lines = 0
        self.bare: str | None = None  # a headerless block's ``path.exs:line``
        self.framed: str | None = None  # a headerless test whose stacktrace comes next

    def feed(self, text: str, number: int = 0) -> None:
        m = self._HEADER.match(text)
        bare, self.bare = self.bare, None
        if m:
            self.current, self.lines = m.group(1), 0
            self.add(self.current, number)
            return
        if self.current is None:
            frame = self._TEST_FRAME.match(text) if self.framed else None
            if frame and self.framed:
                # the test's line in its stacktrace: the header's line is only where the
                # test is defined, and a headerless test is named by it
                self.note(self.framed, location=repo_location(frame.group(1), frame.group(2)))
                self.framed = None
            elif bare and self._ERROR.match(text):
                self.add(bare, number)
                self.note(bare, message=text.strip(), line=number, raw=text)
                self.framed = bare
            elif (loc := self._BARE_RE.match(text)) is not None:
                self.bare = loc.group(1)
            return
        self.lines += 1
        stripped = text.strip()
        loc = self._LOCATION.match(text)
        if loc and self.lines == 1:
            self.note(self.current, location=repo_location(loc.group(1), loc.group(2)))
            return
        if not stripped or _EXUNIT_LABELS.match(stripped) or self.lines > 4:
            self.current = None  # the message is the line(s) before the labels
            return
        self.note(self.current, message=stripped, line=number, raw=text)
        self.current = None


class Tasty(Extractor):
    """tasty's tree: ``    name:   FAIL (0.06s)`` for a failing leaf (aligned with spaces;
    ``OK`` for passing ones, which the reader does not yield), its message on the deeper
    indented lines below; ``N out of M tests failed`` ends the run. The leaf's name is
    the test (the groups above it are not printed on its line)."""

    name = "tasty"
    triggers = (r"^ +\S.*: +FAIL(?: \([\d.]+s\))?$",)
    follow = triggers
    _LEAF = re.compile(r"^( +)(\S.*?): +FAIL(?: \([\d.]+s\))?$")
    _RULE = re.compile(r"^[-=_~*]{3,}$")

    def __init__(self) -> None:
        super().__init__()
        self.current: str | None = None
        self.indent = 0

    def feed(self, text: str, number: int = 0) -> None:
        m = self._LEAF.match(text)
        if m:
            self.current, self.indent = m.group(2), len(m.group(1))
            self.add(self.current, number)
            return
        if self.current is None:
            return
        stripped = text.strip()
        if not stripped or self._RULE.match(stripped):
            return  # blank or a diff's rule: the message is below
        if len(text) - len(text.lstrip(" ")) <= self.indent:
            self.current = None  # the next leaf or group: this test said nothing
            return
        self.note(self.current, message=stripped, line=number, raw=text)
        self.current = None


class XCTest(Extractor):
    """XCTest through xcodebuild: xcpretty's ``✗ testMethod, message`` (``Test crashed``
    when the test process died; xcbeautify's ``✖ testMethod, message``, and either behind
    fastlane's ``[HH:MM:SS]: ▸ `` prefix) and xcodebuild's closing ``Failing tests:`` list of
    ``Class.testMethod()`` (``-[Class testMethod]`` for Objective-C tests) under each
    test bundle. The list names the test; xcpretty's
    line gives its message. Without xcpretty, macOS xcodebuild prints the assertion as
    ``path/FooTests.swift:42: error: -[Module.FooTests testBar] : message`` and the result
    as ``Test Case '-[Module.FooTests testBar]' failed (0.003 seconds).``: the same test,
    ``FooTests.testBar()``, with its location. xcpretty's closing summary repeats each
    failure under its suite as ``  testBar, message`` and then ``  /path/FooTests.swift:42``:
    the location of the method's first failure.

    On Linux (swift-corelibs-xctest, ``swift test``) the names lose the ``-[ ]``:
    ``path/FooTests.swift:42: error: FooTests.testBar : message`` and ``Test Case
    'FooTests.testBar' failed (0.003 seconds).`` (PrintObserver.swift). Swift Testing
    prints ``✘ Test testBar() recorded an issue at FooTests.swift:42:5: message`` and
    ``✘ Test "display name" failed after 0.001 seconds with 1 issue.`` (macOS: a private
    SF Symbol for ``✘``); its test is the name as printed, without the quotes. A
    parameterized test ends ``✘ Test foo(x:) with 3 test cases failed after …``; a known
    issue (``withKnownIssue``) is ``recorded a known issue`` under another symbol and the
    test then passes: neither that nor ``✘ Suite … failed`` nor the run's ``✘ Test run
    with 3 tests … failed`` is a failed test (Event.HumanReadableOutputRecorder.swift)."""

    name = "xctest"
    triggers = (
        r"^\s+✗ \w+, \S",
        r"^\s+✖ test\w*, \S",
        r"^\[[\d:]+\]: ▸ \s+[✗✖] test\w*, \S",
        r"^Failing tests:$",
        r"^\S+:\d+: error: -\[[\w.]+ \w+\] : ",
        r"^Test Case '-\[[\w.]+ \w+\]' failed ",
        r"^  test\w*, \S",
        r"^\S+:\d+: error: \w+\.\w+ : ",
        r"^Test Case '\w+\.\w+' failed ",
        "^(?:✘|\U00100884) Test \\S",
    )
    follow = (r"^Failing tests:$", r"^  test\w*, \S")
    # xcpretty's ``✗``; xcbeautify's ``✖`` (its TestStatus.fail), only for XCTest's test…
    # methods; either behind fastlane's ``[10:00:00]: ▸ `` when scan/gym relay the formatter
    _PRETTY = re.compile(r"^(?:\[[\d:]+\]: ▸ )?\s+(?:✗ (\w+)|✖ (test\w*)), (\S.*?)\s*$")
    _LISTED = re.compile(r"^\t\t(\w+(?:\.\w+)*\.(\w+))\(\)$")
    _LISTED_OBJC = re.compile(r"^\t\t-\[(?:\w+\.)?(\w+) (\w+)\]$")
    _ASSERT = re.compile(r"^(\S+):(\d+): error: -\[(?:\w+\.)?(\w+) (\w+)\] : (\S.*?)\s*$")
    _RESULT = re.compile(r"^Test Case '(?:-\[(?:\w+\.)?(\w+) (\w+)\]|(\w+)\.(\w+))' failed ")
    # swift-corelibs-xctest prints ``<assertion> - <message>``, the `` -`` also without one
    _LINUX_ASSERT = re.compile(r"^(\S+):(\d+): error: (\w+)\.(\w+) : (\S.*?)(?: -)?\s*$")
    _SWIFT_TESTING = re.compile(
        "^(?:✘|\U00100884) Test "
        r"(?!run with \d+ tests? )(?:\"(.+?)\"|(\S+?\)))"
        r"(?: with \d+ test cases?)?"
        r" (?:failed after [\d.]+ seconds|recorded an issue(?: at (\S+?):(\d+)(?::\d+)?: (.*))?)"
    )
    # a parameterized test's issue names its arguments first (HumanReadableOutputRecorder:
    # ``recorded an issue with 1 argument x → 2 at FooTests.swift:12:5: Expectation failed``)
    _SWIFT_ARGUMENTS = re.compile(
        "^(?:✘|\U00100884) Test "
        r"(?:\"(.+?)\"|(\S+?\))) recorded an issue with \d+ arguments? .*?"
        r" at (\S+?\.swift):(\d+)(?::\d+)?: (.*)"
    )
    _SUMMARY = re.compile(r"^  (test\w*), \S")
    _SUMMARY_PATH = re.compile(r"^  (\S+\.(?:swift|m|mm)):(\d+)$")

    def __init__(self) -> None:
        super().__init__()
        self.messages: dict[str, tuple[str, int, str]] = {}
        self.in_list = False
        self.summary: str | None = None  # xcpretty summary: the method whose path is next
        self.where: dict[str, str] = {}

    def feed(self, text: str, number: int = 0) -> None:
        m = self._PRETTY.match(text)
        if m:
            method = m.group(1) or m.group(2)
            self.messages.setdefault(method, (m.group(3), number, text))
            return
        if self._in_summary(text):
            return
        said = self._ASSERT.match(text) or self._LINUX_ASSERT.match(text)
        if said:
            test = f"{said.group(3)}.{said.group(4)}()"
            self.add(test, number)
            where = repo_location(said.group(1), said.group(2))
            self.note(test, message=said.group(5), location=where, line=number, raw=text)
            return
        result = self._RESULT.match(text)
        if result:
            cls, method = result.group(1) or result.group(3), result.group(2) or result.group(4)
            self.add(f"{cls}.{method}()", number)
            return
        swift = self._SWIFT_ARGUMENTS.match(text) or self._SWIFT_TESTING.match(text)
        if swift:
            test = swift.group(1) or swift.group(2)
            self.add(test, number)
            where = swift.group(3) and repo_location(swift.group(3), swift.group(4))
            self.note(test, message=swift.group(5), location=where, line=number, raw=text)
            return
        if text.strip() == "Failing tests:":
            self.in_list = True
            return
        if not self.in_list:
            return
        listed = self._LISTED.match(text)
        objc = self._LISTED_OBJC.match(text)
        if listed:
            self.add(f"{listed.group(1)}()", number)
        elif objc:
            self.add(f"{objc.group(1)}.{objc.group(2)}()", number)
        elif text.strip() and not text.startswith("\t"):
            self.in_list = False  # blank lines inside the list (a Travis macOS log) do not end it

    def _in_summary(self, text: str) -> bool:
        """xcpretty's summary: ``  testBar, message`` then (after a blank line in some
        logs) ``  /path/FooTests.swift:42``."""
        said = self._SUMMARY.match(text)
        if said:
            self.summary = said.group(1)
            return True
        if self.summary is None or not text.strip():
            return False
        path = self._SUMMARY_PATH.match(text)
        if path:
            self.where.setdefault(self.summary, repo_location(path.group(1), path.group(2)))
        self.summary = None
        return path is not None

    def tests(self) -> list[str]:
        if self.found:
            return list(self.found)
        return list(self.messages)  # xcpretty without xcodebuild's list: the method names

    def failures(self) -> list[Failure]:
        out: list[Failure] = []
        for test in self.tests():
            method = test.removesuffix("()").rsplit(".", 1)[-1]
            known = self.details.get(test) or Failure(test)
            said = self.messages.get(method)
            if said is not None and not known.message:
                message, line, raw = said
                self.note(test, message=message, line=line, raw=raw)
                known = self.details[test]
            if not known.location and method in self.where:
                self.note(test, location=self.where[method])
                known = self.details[test]
            out.append(known)
        return out


class Hspec(Extractor):
    """hspec's ``Failures:`` section: each failure is its source location, then
    ``  1) Group.sub, item`` (the groups and the item as hspec's formatter joins them), then
    its reason indented below (``expected: 4``, ``uncaught exception: …``) and
    ``To rerun use: --match "/Group/sub/item/"`` (Formatters/V2.hs). The location line
    before it is what makes the numbered line hspec's (RSpec and ExUnit number theirs
    too, without one). The specdoc tree's ``    item FAILED [1]`` names only the leaf: it
    is the test when the paste lost the section."""

    name = "hspec"
    _LOCATION_RE = r"^ *(\S+\.l?hs):(\d+):\d+: ?$"
    _LEAF_RE = r"^ +(\S.*?) FAILED \[\d+\]$"
    triggers = (_LOCATION_RE, _LEAF_RE)
    follow = (_LOCATION_RE,)
    _LOCATION = re.compile(_LOCATION_RE)
    _LEAF = re.compile(_LEAF_RE)
    _ENTRY = re.compile(r"^( *)\d+\) (\S.*?)\s*$")

    def __init__(self) -> None:
        super().__init__()
        self.where: str | None = None
        self.current: str | None = None
        self.indent = 0
        self.leaves: list[str] = []

    def feed(self, text: str, number: int = 0) -> None:
        where, self.where = self.where, None
        leaf = self._LEAF.match(text)
        if leaf:
            self.leaves.append(leaf.group(1))
            return
        location = self._LOCATION.match(text)
        if location:
            self.current = None
            self.where = repo_location(location.group(1), location.group(2))
            return
        entry = self._ENTRY.match(text) if where else None
        if entry:
            self.current, self.indent = entry.group(2), len(entry.group(1))
            self.add(self.current, number)
            self.note(self.current, location=where, line=number, raw=text)
            return
        indent = len(text) - len(text.lstrip(" "))
        if self.current is not None and indent > self.indent and text.strip():
            info = self.details[self.current]
            joined = with_actual(info.message, text)
            if joined:
                info.message = clip_message(joined)
                self.current = None
                return
            self.note(self.current, message=text.strip(), line=number, raw=text)
            if not (info.message or "").lower().startswith("expected"):
                self.current = None  # not an ``expected:`` line: the message is whole

    def tests(self) -> list[str]:
        return list(self.found) or list(dict.fromkeys(self.leaves))
