"""Failing-test extractors for ctest, googletest, Catch2, doctest, Boost.Test, meson test
and one-line result formats (dotnet test).

One module per framework family keeps each family's formats readable on their own;
the identifier forms are listed in
:mod:`bot.diagnose.extractors`.
"""

from __future__ import annotations

import re

from .extract_core import (
    MAX_TESTS,
    Extractor,
    TestBlock,
    clip_message,
    is_test_location,
    repo_location,
)

# a line of ctest's failed-test list (``\t 11 - name (Subprocess aborted)``: indented, the
# number, the name, one of ctest's own statuses): a paste of the list alone, without its
# ``The following tests FAILED:`` header, still names the tests
_LISTED = (
    r"^\s+\d+ - \S.*? \((?:Failed|Not Run|Timeout|SEGFAULT|ILLEGAL|INTERRUPT|NUMERICAL"
    r"|OTHER_FAULT|BAD_COMMAND|Subprocess aborted|Child aborted|Exception)\)\s*$"
)


# what follows a result that printed nothing: the next test's start or result, the summary
_NEXT_RESULT = r"^\s*(?:Start +\d+:|\d+/\d+ (?:Test|MemCheck)|\d+% tests)"


class CTest(Extractor):
    name = "ctest"
    # a test's name may hold spaces (Catch2's and doctest's discovered test cases)
    triggers = (
        r"^The following tests FAILED:",
        r"(?:Test|MemCheck) +#\d+: \S.*? \.+\s*\*\*\*",
        r"^\d+% tests? passed, \d+ tests? failed out of \d+",
        _LISTED,
    )
    follow = triggers[:3]
    _RE = re.compile(r"^\s*\d+ - (\S.*?) \(([^)]*)\)\s*$")
    _LISTED_RE = re.compile(_LISTED)
    _SUMMARY = re.compile(r"^\d+% tests? passed, \d+ tests? failed out of \d+")
    # ``ctest -T memcheck`` (``-D ExperimentalMemCheck``) runs each test under valgrind and
    # prints ``1/1 MemCheck #1: name ....***Failed`` for the ``Test #1:`` of a plain run
    _RESULT = re.compile(r"(?:Test|MemCheck) +#\d+: (\S.*?) \.+\s*\*\*\*(.*?)\s+[\d.]+ ?sec")

    def __init__(self) -> None:
        super().__init__()
        self.active = False
        self.output_of: str | None = None
        self.status = self.result_raw = ""
        # lines left after the ``N% tests passed, M tests failed`` summary in which a
        # ``N - name (Failed)`` list may start without its header (an excerpt, old ctest)
        self.after_summary = 0
        # ``1/2 Test #1: name ....***Failed``: the tests a paste cut above ctest's list names
        self.results: list[str] = []

    def tests(self) -> list[str]:
        return list(self.found) or self.results

    def feed(self, text: str, number: int = 0) -> None:
        if text.startswith("The following tests FAILED:"):
            self.active, self.output_of = True, None
            return
        if self._SUMMARY.match(text):
            self.after_summary = 6
            return
        if self.after_summary and not self.active:
            self.after_summary -= 1
            self.active = bool(self._RE.match(text))
        if not self.active and self._LISTED_RE.match(text):
            self.active = True  # the list pasted without its header
        m = self._RESULT.search(text)
        if m:
            self.note(m.group(1), line=number)
            skipped = m.group(2).strip().startswith("Skipped")  # ``***Skipped``: not a failure
            if not skipped and m.group(1) not in self.results and len(self.results) < MAX_TESTS:
                self.results.append(m.group(1))
            self.output_of = m.group(1)
            self.status, self.result_raw = m.group(2).strip(), text.strip()
            return
        if self.output_of:
            stripped = text.strip()
            if stripped.startswith(_GTEST_NOISE) or stripped.endswith(": Failure"):
                return  # googletest's banner: its own extractor reads the assertion
            if stripped.startswith(_FRAMEWORK_BANNERS):
                self.output_of = None  # Catch2/doctest: their own extractors read the output
                return
            if not stripped or re.match(_NEXT_RESULT, text):
                # nothing printed under the result: its own line (less the time) is the
                # key line and the message, as the list line is for a test it names alone
                result = self.result_raw.partition("***")
                message = result[0] + result[1] + self.status if self.status else ""
                self.note(self.output_of, message=message or None, raw=self.result_raw)
                self.output_of = None
            else:
                self.note(self.output_of, message=stripped, line=number)
                self.output_of = None
            return
        if self.active:
            m = self._RE.match(text)
            if m:
                self.add(m.group(1))
                # the list line (``16 - name (Failed)``) names the test and its status: the
                # key line, and its message when ctest printed nothing else for it
                self.note(m.group(1), message=text.strip(), line=number, raw=text.strip())
            else:
                self.active = False


# googletest's progress lines, printed before the first assertion of a failing binary
_GTEST_NOISE = (
    "Running main() from",
    "[==========]",
    "[----------]",
    "[ RUN      ]",
    "[       OK ]",
)


class GoogleTest(Extractor):
    """googletest (also under ctest): ``[ RUN      ] Suite.Test``, then ``path:line: Failure``
    and the assertion's own lines, then ``[  FAILED  ] Suite.Test (N ms)``."""

    name = "gtest"
    triggers = (r"^\[ RUN      \] \S", r"^\[  FAILED  \] \S", r"^\S+:\d+: Failure$")
    follow = (r"^\S+:\d+: Failure$",)
    _RUN = re.compile(r"^\[ RUN      \] (\S+)")
    _FAILED = re.compile(r"^\[  FAILED  \] ([\w/.]+?)(?:, where .*)?(?: \(\d+ ms\))?$")
    _FAILURE = re.compile(r"^(\S+):(\d+): Failure$")

    def __init__(self) -> None:
        super().__init__()
        self.current: str | None = None
        self.block: TestBlock | None = None

    def feed(self, text: str, number: int = 0) -> None:
        m = self._RUN.match(text)
        if m:
            self.current, self.block = m.group(1), None
            return
        m = self._FAILED.match(text)
        if m:
            self.add(m.group(1), number)
            self.block = None
            return
        m = self._FAILURE.match(text)
        if m and self.current:
            self.note(self.current, location=repo_location(m.group(1), m.group(2)), line=number)
            self.block = TestBlock(self.current, number) if self.current not in self.found else None
            return
        block = self.block
        if block is None:
            return
        if not text.strip() or text.startswith("["):
            self.block = None
            return
        if self.details[block.test].message is None or block.message:
            block.take(text, number)
            self.set_message(block)


_FRAMEWORK_BANNERS = ("Filters: ", "~~~~~~~~~~", "[doctest] ", "=" * 20)


class Catch2(Extractor):
    """Catch2's console reporter: the test case's name between two rules of dashes, then
    ``path:line: FAILED:``, the assertion (``REQUIRE( x == 3 )``) and its ``with
    expansion:`` or ``due to unexpected exception with message:`` lines."""

    name = "catch2"
    _RULE = "-" * 79
    triggers = (r"^-{79}$", r"^\S+:\d+: FAILED:$")
    follow = triggers  # the name and the assertion are on the lines after these
    _FAILED = re.compile(r"^(\S+):(\d+): FAILED:$")

    def __init__(self) -> None:
        super().__init__()
        self.state = ""  # "name": between the rules; "body": after them
        self.current: str | None = None
        self.block: TestBlock | None = None

    def feed(self, text: str, number: int = 0) -> None:
        if text == self._RULE:
            self.block = None
            if self.state == "name":
                self.state = "body"
            else:
                self.state, self.current = "name", None
            return
        if self.state == "name":
            if self.current is None and text.strip():
                self.current = text.strip()  # the test case; sections follow, indented
            return
        m = self._FAILED.match(text)
        if m and self.current and self.state == "body":
            self.add(self.current, number)
            self.note(self.current, location=repo_location(m.group(1), m.group(2)), line=number)
            first = self.details[self.current].message is None
            self.block = TestBlock(self.current, number) if first else None
            return
        block = self.block
        if block is None:
            return
        if text.startswith("=" * 20) or (not text.strip() and block.message):
            self.block = None
            return
        if text.strip():
            block.take(text, number, limit=4)
            self.set_message(block)


class Doctest(Extractor):
    """doctest: ``TEST CASE:  name`` after a ``path:line:`` line, then one
    ``path:line: ERROR: CHECK( … ) is NOT correct!`` (or ``… THREW exception: …``) per
    failed assertion."""

    name = "doctest"
    triggers = (r"^TEST CASE:  \S", r"^\S+:\d+: (?:FATAL )?ERROR: ")
    _CASE = re.compile(r"^TEST CASE:  (.+?)\s*$")
    _ERROR = re.compile(r"^(\S+):(\d+): (?:FATAL )?ERROR: (.+)$")

    def __init__(self) -> None:
        super().__init__()
        self.current: str | None = None

    def feed(self, text: str, number: int = 0) -> None:
        m = self._CASE.match(text)
        if m:
            self.current = m.group(1)
            return
        m = self._ERROR.match(text)
        if m and self.current:
            self.add(self.current, number)
            location = repo_location(m.group(1), m.group(2))
            self.note(self.current, m.group(3), location, number, raw=text)


class BoostTest(Extractor):
    """Boost.Test: ``path(line): error: in "suite/case": check a == b has failed [1 != 2]``
    (``fatal error`` for a ``REQUIRE`` or an exception, at ``unknown location(0)``)."""

    name = "boost.test"
    triggers = (r'^(?:\S+|unknown location)\(\d+\): (?:fatal )?error: in "[^"]+": ',)
    _ERROR = re.compile(r'^(\S+|unknown location)\((\d+)\): (?:fatal )?error: in "([^"]+)": (.+)$')

    def feed(self, text: str, number: int = 0) -> None:
        m = self._ERROR.match(text)
        if m:
            path, line, test, message = m.groups()
            self.add(test, number)
            location = None if path == "unknown location" else repo_location(path, line)
            self.note(test, message, location, number, raw=text)


class MesonTest(Extractor):
    """``meson test``: ``1/2 parse  FAIL  0.01s  exit status 1``; with ``--print-errorlogs``
    the test's output follows, after a ``stdout:``/``stderr:`` line, up to a rule of ``―``.

    The name is what mtest.py's ``get_pretty_suite`` printed between the number and the
    result: ``parse``, ``calc:unit / test add`` (several suites, meson before 1.10),
    ``unit - calc:test_add`` (1.10+); a test's name may hold spaces. Meson before 0.56
    printed ``FAIL     0.01 s (exit status 1)``. ``UNEXPECTEDPASS`` is a failure too. A
    project that registers its formatter or linter as a meson test (``piper /
    python-black-check``) failed a style check, not a test: its name says so."""

    name = "meson"
    triggers = (r"^ *\d+/\d+ \S.* (?:FAIL|ERROR|TIMEOUT|UNEXPECTEDPASS) +[\d.]+ ?s\b",)
    follow = triggers
    _NUMBER = re.compile(r"^ *\d+/\d+ (?=\S)")
    _STATUS = re.compile(r" (?:FAIL|ERROR|TIMEOUT|UNEXPECTEDPASS) +[\d.]+ ?s\b")
    _STYLE_CHECK = re.compile(
        r"(?:^|[^a-z])(?:black|flake8|pylint|ruff|mypy|codespell|clang-format|lint|"
        r"pep8|pycodestyle|format-check|check-format|style)(?:[^a-z]|$)",
        re.IGNORECASE,
    )

    def __init__(self) -> None:
        super().__init__()
        self.current: str | None = None
        self.in_output = False

    def _result(self, text: str) -> str | None:
        """The test a result line names, when it is a failure's (searched in two steps, the
        number then the status, so a long line is read once)."""
        number = self._NUMBER.match(text)
        if not number:
            return None
        status = self._STATUS.search(text, number.end())
        name = text[number.end() : status.start()].strip() if status else ""
        return name if name and not self._STYLE_CHECK.search(name) else None

    def feed(self, text: str, number: int = 0) -> None:
        test = self._result(text)
        if test:
            self.add(test, number)
            self.current, self.in_output = test, False
            return
        if self.current is None:
            return
        stripped = text.strip()
        if stripped in ("stdout:", "stderr:"):
            self.in_output = True
        elif stripped.startswith("―――") and self.in_output:
            self.current, self.in_output = None, False
        elif self.in_output and stripped:
            self.note(self.current, stripped, line=number, raw=text)
            self.current, self.in_output = None, False


class OtherRunners(Extractor):
    """One-line result formats: ``dotnet test`` (``Failed Ns.Class.Test [5 ms]`` then
    ``Error Message:``); Pest and ``bun test`` have their own extractors
    (:mod:`bot.diagnose.extract_ruby_php`, :mod:`bot.diagnose.extract_bun`).

    VSTest's console logger: ``  Failed Ns.Class.Test [5 ms]`` (``[< 1 ms]``, ``[1 s]``; a
    theory's arguments after the name, ``Test(a: 1, b: "x")``; at the line's start when a
    paste lost the indent). Its older forms, ``Failed   Ns.Class.Test`` (vstest 15) and
    ``  X Ns.Class.Test [5ms]`` (.NET Core 3.0), count only right above ``Error Message:``."""

    name = "other"
    triggers = (
        r"^\s*Failed \S+(?:\(.*\))? \[<? ?[\d.]+ ?m?s\]$",
        r"^\s*(?:Failed +|X )\S+(?: \[[\d.]+ ?m?s\])?$",
        r"^\s*Error Message:$",
    )
    # (vstest 15 printed ``Error Message:`` and ``Stack Trace:`` at the margin)
    follow = (r"^\s*Error Message:$",)
    _DOTNET = re.compile(r"^\s*Failed (\S+(?:\([^\[\]]*\))?) \[<? ?[\d.]+ ?m?s\]$")
    _OLD_DOTNET = re.compile(r"^\s*(?:Failed +|X )([\w.+`]+)(?: \[[\d.]+ ?m?s\])?$")

    # the ``Stack Trace:`` frames: ``at Ns.Class.Test() in /path/Tests.cs:line 12``
    _FRAME = re.compile(r"^\s*at .+? in (\S.*?):line (\d+)\s*$")
    _END = re.compile(r"^\s*(?:Stack Trace|Standard Output Messages|Output):\s*$")

    def __init__(self) -> None:
        super().__init__()
        self.want_message = False
        self.block: TestBlock | None = None  # the message's lines, up to the stack trace
        self.in_trace = False
        # an old VSTest result line and its number, a test if ``Error Message:`` follows
        self.candidate: tuple[str, int] | None = None

    def feed(self, text: str, number: int = 0) -> None:
        candidate, self.candidate = self.candidate, None
        m = self._DOTNET.match(text)
        if m:
            self.add(m.group(1), number)
            self.want_message, self.block, self.in_trace = False, None, False
            return
        old = self._OLD_DOTNET.match(text)
        if old:
            self.candidate = (old.group(1), number)
            return
        if text.strip() == "Error Message:":
            if candidate is not None:
                self.add(*candidate)
            self.want_message = bool(self.found)
            self.block, self.in_trace = None, False
            return
        if self.want_message and text.strip():
            self.note(self.found[-1], message=text.strip(), line=number, raw=text)
            self.want_message = False
            # xUnit's ``Assert.Equal() Failure`` continues with ``Expected:``/``Actual:``
            self.block = TestBlock(self.found[-1], number)
            self.block.take(text, number, limit=3)
            return
        self._after_message(text)

    def _after_message(self, text: str) -> None:
        """The message's further lines, then the first frame in a test file (or the
        first frame with a path at all) as the test's location."""
        if self.block is None:
            return
        if self._END.match(text) or not text.strip():
            self.in_trace = self.in_trace or text.strip() == "Stack Trace:"
            self.block.closed_message = True
            return
        frame = self._FRAME.match(text) if self.in_trace else None
        if frame:
            location = repo_location(frame.group(1), frame.group(2))
            info = self.details.get(self.block.test)
            if is_test_location(location) or not (info and info.location):
                self.note(self.block.test, location=location)
            return
        if not self.block.closed_message and not self.in_trace:
            self.block.take(text, self.block.start, limit=3)
            self.details[self.block.test].message = clip_message(self.block.text() or "")


class VimTest(Extractor):
    """Vim's script tests (``src/testdir/runtest.vim``, also Neovim's old tests and plugins
    that vendor it): ``Found errors in Test_name():`` then the test's errors, one a line
    (``function RunTheTest[40]..Test_name line 5: Expected 1 but got 2``, ``Caught
    exception in Test_name(): ...``); a flaky test re-run prints ``Run N:`` before each
    run's errors. The summary (``summarize.vim``) repeats the block tab-indented. The
    line numbers are relative to a function, not a file: no location."""

    name = "vim"
    triggers = (r"^\s*Found errors in \w+\(\):$",)
    follow = triggers
    _HEADER = re.compile(r"^\s*Found errors in (\w+)\(\):$")
    _RUN = re.compile(r"^\s*Run \d+:$")

    def __init__(self) -> None:
        super().__init__()
        self.want: str | None = None

    def feed(self, text: str, number: int = 0) -> None:
        m = self._HEADER.match(text)
        if m:
            self.add(m.group(1), number)
            self.want = m.group(1)
            return
        if self.want is None or not text.strip() or self._RUN.match(text):
            return
        self.note(self.want, message=text.strip(), line=number, raw=text)
        self.want = None


class BallerinaTest(Extractor):
    """``bal test`` (Ballerina): ``[pass] name`` / ``[fail] name:``, then the error's
    first line (``Assertion Failed!: expected 'a' but found 'b'``) and its frames:
    ``at module:fn(test/x_tests.bal:8)``, or ``fileName: x_tests.bal lineNumber: 8`` in
    Swan Lake's error records. The test's own file is its location, not ``assert.bal``."""

    name = "ballerina"
    triggers = (r"^\s*\[fail\] \S.*:$",)
    follow = triggers
    _FAIL = re.compile(r"^\s*\[fail\] (\S.*?):$")
    _FRAME = re.compile(r"\((\S+\.bal):(\d+)\)|fileName: (\S+\.bal) lineNumber: (\d+)")
    _END = re.compile(r"^\s*(?:\[(?:pass|fail|skip)\] |\d+ (?:passing|failing|skipped)$)")

    def __init__(self) -> None:
        super().__init__()
        self.current: str | None = None

    def feed(self, text: str, number: int = 0) -> None:
        m = self._FAIL.match(text)
        if m:
            self.current = m.group(1)
            self.add(self.current, number)
            return
        if self.current is None:
            return
        if self._END.match(text):
            self.current = None
            return
        frame = self._FRAME.search(text)
        if frame:
            path, line = (frame.group(1), frame.group(2)) if frame.group(1) else frame.group(3, 4)
            if path != "assert.bal":  # the ballerina/test module's own asserts
                self.note(self.current, location=repo_location(path, line))
            return
        stripped = text.strip()
        known = self.details.get(self.current)
        if stripped and (known is None or not known.message):
            self.note(self.current, message=stripped, line=number, raw=text)


class Testthat(Extractor):
    """R's testthat, as ``R CMD check`` or ``devtools::test()`` prints it, in each version's
    form: 0.9-0.11 ``1. Failure (at test-x.R#47): name `` (0.9: ``(@test-x.R#47)``) padded
    with dashes to the console's width, then the message, and the same line again in the
    summary; 1.x/2.x ``1. Failure: name (@test-x.R#47) ----`` (2.x: ``── 1. Failure: …``,
    cut at the console's width, so often without its location); 3.0 ``── Failure
    (test-x.R:47:3): name ──``; 3.1.5+ quotes the location, ``── Failure ('test-x.R:47:3'):
    name ──`` (the summary reporter numbers it, ``── 1. Failure (…)``; ``-- `` in an ASCII
    locale). ``Error`` for a test that raised; ``Warning``/``Skip`` entries are not failures.
    A numbered line without a rule may be a failure's header or its summary entry: the
    message is taken only from the line right below it."""

    name = "testthat"
    triggers = (
        r"^\s*── \d+\. (?:Failure|Error): ",
        r"^\s*\d+\. (?:Failure|Error): .* \(@[\w./-]+#\d+\)",
        r"^\s*── (?:\d+\. )?(?:Failure|Error) \('?[\w./-]+:\d+(?::\d+)?'?\): ",
        r"^\s*-- (?:\d+\. )?(?:Failure|Error) \('?[\w./-]+\.[Rr]:\d+(?::\d+)?'?\): ",
        r"^\s*\d+\. (?:Failure|Error) \((?:at |@)[\w./-]+#\d+\): ",
    )
    follow = triggers
    _V2 = re.compile(
        r"^\s*(──\s)?\d+\. (?:Failure|Error): (.+?)(?: \(@([\w./-]+)#(\d+)\)[\s─-]*)?$"
    )
    _V3 = re.compile(
        r"^\s*(──|--) (?:\d+\. )?(?:Failure|Error) \('?([\w./-]+):(\d+)(?::\d+)?'?\): (.+?)[\s─-]*$"
    )
    _V0 = re.compile(r"^\s*\d+\. (?:Failure|Error) \((?:at |@)([\w./-]+)#(\d+)\): (.+?)[\s-]*$")
    # what follows a summary entry, never a failure's message
    _NOT_MESSAGE = re.compile(
        r"^\s*(?:(?:\d+\.\s+)?\.\.\.$|Error: testthat unit tests failed|Execution halted"
        r"|testthat results|OK: \d+ SKIPPED: \d+|\[ (?:OK|FAIL)[: ]|══|==)"
    )

    def __init__(self) -> None:
        super().__init__()
        self.want: str | None = None
        self.want_below: int | None = None  # the message must be on this line (no rule)

    def feed(self, text: str, number: int = 0) -> None:
        m3 = self._V3.match(text)
        if m3 and m3.group(1) == "--" and not m3.group(2).endswith((".R", ".r")):
            m3 = None  # an ASCII rule is a testthat header only with an R file's location
        m0 = None if m3 else self._V0.match(text)
        m2 = None if m3 or m0 else self._V2.match(text)
        location: str | None = None
        if m3:
            test, location, header = m3.group(4), f"{m3.group(2)}:{m3.group(3)}", True
        elif m0:
            test, location = m0.group(3), f"{m0.group(1)}:{m0.group(2)}"
            header = text.rstrip().endswith("---")
        elif m2:
            test = re.sub(r"\s*\(@[^)]*$", "", m2.group(2).rstrip(" ─-"))
            location = f"{m2.group(3)}:{m2.group(4)}" if m2.group(3) else None
            header = bool(m2.group(1)) or text.rstrip().endswith("---")  # 1.x: dashes
        else:
            self._message(text, number)
            return
        self.add(test, number)
        self.note(test, location=location)
        self.want = test
        self.want_below = None if header else number + 1

    def _message(self, text: str, number: int) -> None:
        if self.want is None:
            return
        if self.want_below is not None and number != self.want_below:
            self.want = None  # a summary entry: the line below it was blank
            return
        if not text.strip():
            if self.want_below is not None:
                self.want = None
            return
        if not self._NOT_MESSAGE.match(text):
            self.note(self.want, message=text.strip(), line=number, raw=text)
        self.want = None
