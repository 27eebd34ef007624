"""Failing-test extractors: each failing test as the tool prints it, with its own message.

Each extractor declares ``triggers`` (line patterns the reader's prefilter must let
through) and optionally ``follow`` triggers after which the next lines are fed too
(multi-line reports: a test's header followed by its error). ``feed(text, number)`` is
called with every line the reader yields for a step, in order; ``tests()`` returns the
failing tests and ``failures()`` one :class:`Failure` per test: the framework's own first
error line(s) for it (assertion with expected/actual, exception type and message, panic
message), the ``path:line`` where it failed when the output says so (the test's file,
not a frame inside the framework), and the log line of that message.

Identifier forms (what you paste into the tool to re-run it):
pytest ``tests/test_x.py::TestC::test_y[p]`` · unittest ``module.Class.test_y`` (the
dotted id printed in parentheses) · jest ``Suite › test`` (file ``src/x.test.ts`` when
a suite failed to run) · vitest ``src/x.test.ts > suite > test`` · mocha ``suite test``
(title parts joined by spaces) · node:test ``name`` · go ``TestX/sub`` · cargo
``mod::test`` · Surefire ``testX(com.Foo)`` or ``com.FooTest.testX`` · Gradle
``com.FooTest > testX()`` · RSpec ``./spec/x_spec.rb:12`` · PHPUnit ``Tests\\FooTest::testBar``
· ctest ``name``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

MAX_TESTS = 100
MAX_MESSAGE = 300
MAX_MESSAGE_LINES = 3

# A checkout's absolute prefix (Linux, macOS, Windows, container runners): dropped so a
# location is repository-relative and can be linked.
_WORKSPACE = re.compile(
    r"^(?:file://)?(?:/home/runner/work|/Users/runner/work|/__w|[A-Za-z]:[\\/]a)"
    r"[\\/][^\\/]+[\\/][^\\/]+[\\/]"
)
# ``at fn (path:line:col)`` / ``at path:line:col`` / ``❯ path:line:col`` (JS stacks).
_JS_FRAME = re.compile(r"^\s*(?:at |❯ )(?:.*?\()?((?:file://)?[^\s()]+?):(\d+)(?::\d+)?\)?\s*$")
_NOT_USER_CODE = ("node_modules", "node:", "internal/", "<anonymous>", "site-packages")


@dataclass
class Failure:
    """One failing test: ``test`` as the framework prints it, its first error line(s),
    ``location`` (``path:line``, repository-relative when the log says so) and ``line``
    (1-based log line of the message, or of the test's header without one)."""

    test: str
    message: str | None = None
    location: str | None = None
    line: int | None = None
    # the log line the message starts on, as printed (for key lines; not in the JSON)
    raw: str | None = field(default=None, compare=False, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "test": self.test,
            "message": self.message,
            "location": self.location,
            "line": self.line,
        }


def relative_path(path: str) -> str:
    """Repository-relative form of a path printed by a tool on a runner."""
    path = _WORKSPACE.sub("", path.strip().strip("'\""))
    if path.startswith("file://"):
        path = path[len("file://") :]
    while path.startswith("./"):
        path = path[2:]
    return path.replace("\\", "/")


def _location(path: str, line: str | int) -> str:
    return f"{relative_path(path)}:{line}"


def js_frame_location(text: str) -> str | None:
    """``path:line`` of a JavaScript stack/code-frame line in user code, else None."""
    m = _JS_FRAME.match(text)
    if not m or any(bad in m.group(1) for bad in _NOT_USER_CODE):
        return None
    return _location(m.group(1), m.group(2))


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


class Extractor:
    name: ClassVar[str] = ""
    triggers: ClassVar[tuple[str, ...]] = ()
    follow: ClassVar[tuple[str, ...]] = ()

    def __init__(self) -> None:
        self.found: list[str] = []
        self.details: dict[str, Failure] = {}

    def add(self, test: str, line: int | None = None) -> None:
        test = test.strip()
        if test and test not in self.found and len(self.found) < MAX_TESTS:
            self.found.append(test)
        if test and line is not None:
            self.details.setdefault(test, Failure(test, line=line))

    def note(
        self,
        test: str,
        message: str | None = None,
        location: str | None = None,
        line: int | None = None,
        raw: str | None = None,
    ) -> None:
        """Record what is known about ``test``; the first message and location win."""
        if len(self.details) >= MAX_TESTS * 2 and test not in self.details:
            return
        info = self.details.setdefault(test, Failure(test))
        if message and not info.message:
            info.message = _clip(message)
            info.line = line if line is not None else info.line
            info.raw = raw if raw is not None else message
        if location and not info.location:
            info.location = location
        if info.line is None:
            info.line = line

    def set_message(self, block: _Block) -> None:
        """The block's message so far replaces what was noted (multi-line messages)."""
        self.note(block.test, line=block.message_line)
        info = self.details[block.test]
        info.message = _clip(block.text() or "")
        info.line = block.message_line
        info.raw = block.raw

    def feed(self, text: str, number: int = 0) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def tests(self) -> list[str]:
        return list(self.found)

    def failures(self) -> list[Failure]:
        return [self.details.get(t) or Failure(t) for t in self.tests()]


class _Block:
    """The lines after one test's header, up to the next header: where its error is."""

    def __init__(self, test: str, start: int) -> None:
        self.test = test
        self.start = start
        self.message: list[str] = []
        self.message_line: int | None = None
        self.locations: list[str] = []
        self.closed_message = False
        self.raw: str | None = None

    def take(self, text: str, number: int, limit: int = MAX_MESSAGE_LINES) -> None:
        if self.closed_message or len(self.message) >= limit:
            return
        if self.message_line is None:
            self.message_line = number
            self.raw = text
        self.message.append(text.strip())

    def text(self) -> str | None:
        return " ".join(self.message) if self.message else None


class Pytest(Extractor):
    name = "pytest"
    triggers = (
        r"^(?:FAILED|ERROR) \S",
        r"^\[gw\d+\] \[ *\d+%\] (?:FAILED|ERROR) ",
        r"^\S+\.py::\S+ (?:FAILED|ERROR)",
        r"^_{3,} .+ _{3,}$",
        r"^E +\S",
        r"^\S+\.py:\d+:(?: |$)",
    )
    _SUMMARY = re.compile(r"^(?:FAILED|ERROR) (\S+?(?:\[[^\]]*\])?)(?: - (.*))?$")
    # ``-v``: ``tests/x.py::test FAILED [ 50%]``; xdist: ``[gw0] [ 50%] FAILED tests/x.py::t``
    _VERBOSE = re.compile(
        r"^(?:\[gw\d+\] \[ *\d+%\] (?:FAILED|ERROR) (\S+::\S+)"
        r"|(\S+\.py::\S+) (?:FAILED|ERROR)(?: +\[ *\d+%\])?)\s*$"
    )
    _HEADER = re.compile(r"^_{3,} (.+?) _{3,}$")
    _E = re.compile(r"^E +(\S.*)$")
    _WHERE = re.compile(r"^(\S+\.py):(\d+):(?: |$)")
    _SECTION_END = re.compile(r"^(?:={3,} |-{3,} Captured )")

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []
        self.blocks: dict[str, _Block] = {}
        self.block: _Block | None = None
        self.summary: dict[str, tuple[str | None, int]] = {}
        self.where_since_e = False
        self.verbose: list[str] = []

    def feed(self, text: str, number: int = 0) -> None:
        m = self._SUMMARY.match(text)
        if m and ("::" in m.group(1) or m.group(1).endswith(".py")):
            self.add(m.group(1))
            self.summary.setdefault(m.group(1), (m.group(2), number))
            self.block = None
            return
        m = self._VERBOSE.match(text)
        if m:
            self.verbose.append(m.group(1) or m.group(2))
            return
        m = self._HEADER.match(text)
        if m:
            name = m.group(1)
            for prefix in ("ERROR collecting ", "ERROR at setup of ", "ERROR at teardown of "):
                if name.startswith(prefix):
                    name = name[len(prefix) :]
            if " " in name.strip("[]"):
                self.block = None
                return
            if name not in self.headers and len(self.headers) < MAX_TESTS:
                self.headers.append(name)
                self.block = self.blocks[name] = _Block(name, number)
            return
        if self.block is None:
            return
        if self._SECTION_END.match(text):
            self.block = None
            return
        m = self._E.match(text)
        if m:
            # chained exceptions print several E-runs; the last one is the final error
            if not self.block.message or self.where_since_e:  # a new run of E lines
                self.block.message, self.block.closed_message = [], False
                self.block.message_line = None
                self.block.take(m.group(1), number)
            self.where_since_e = False
            return
        m = self._WHERE.match(text)
        if m:
            self.where_since_e = True
            if len(self.block.locations) < 20:
                self.block.locations.append(_location(m.group(1), m.group(2)))

    def tests(self) -> list[str]:
        # The short summary has full node ids; verbose result lines, then section headers
        # are fallbacks (-rN, -q).
        if self.found:
            return list(self.found)
        verbose = list(dict.fromkeys(self.verbose))[:MAX_TESTS]
        return verbose or self.headers[:MAX_TESTS]

    def failures(self) -> list[Failure]:
        out = []
        for test in self.tests():
            block = self._block_for(test)
            summary_msg, summary_line = self.summary.get(test, (None, None))
            failure = Failure(test, line=summary_line)
            if block is not None:
                failure.line = block.start
                if block.message:
                    failure.message = _clip(block.text() or "")
                    failure.line = block.message_line
                    failure.raw = block.raw
                failure.location = self._pick_location(test, block.locations)
            if not failure.message and summary_msg:
                failure.message = _clip(summary_msg)
                failure.line = summary_line
                failure.raw = summary_msg
            out.append(failure)
        return out

    def _block_for(self, test: str) -> _Block | None:
        if test in self.blocks:
            return self.blocks[test]
        path, _, rest = test.partition("::")
        dotted = rest.replace("::", ".")
        return self.blocks.get(dotted) or self.blocks.get(path) if rest else self.blocks.get(path)

    @staticmethod
    def _pick_location(test: str, locations: list[str]) -> str | None:
        path = test.partition("::")[0]
        for loc in locations:
            if loc.rsplit(":", 1)[0] == path:
                return loc
        for loc in locations:
            if not any(bad in loc for bad in ("site-packages", "/lib/python", "_pytest")):
                return loc
        return locations[-1] if locations else None


class Unittest(Extractor):
    name = "unittest"
    triggers = (r"^(?:FAIL|ERROR): \w+ \(",)
    follow = (r"^(?:FAIL|ERROR): \w+ \(",)
    _RE = re.compile(r"^(?:FAIL|ERROR): (\w+) \(([\w.]+)\)")
    _FRAME = re.compile(r'^  File "([^"]+)", line (\d+), in (\w+)')
    _SKIP = ("Traceback", "During handling", "The above exception", "=====", "-----")

    def __init__(self) -> None:
        super().__init__()
        self.block: _Block | None = None
        self.method = ""

    def feed(self, text: str, number: int = 0) -> None:
        m = self._RE.match(text)
        if m:
            method, dotted = m.groups()
            # 3.11+ prints the full id in parentheses; older versions only the class.
            test = dotted if dotted.endswith("." + method) else f"{dotted}.{method}"
            self.add(test, number)
            self.block, self.method = _Block(test, number), method
            return
        block = self.block
        if block is None:
            return
        frame = self._FRAME.match(text)
        if frame:
            where = _location(frame.group(1), frame.group(2))
            module = block.test.rsplit(".", 2)[0].rsplit(".", 1)[-1]
            if frame.group(3) == self.method:
                self.note(block.test, location=where)
            elif frame.group(1).endswith(f"/{module}.py") or frame.group(1) == f"{module}.py":
                block.locations.append(where)  # setUp/tearDown in the test's own file
            return
        if text.startswith(("=" * 10, "Ran ")):
            self.block = None
            return
        if text and not text[0].isspace() and not text.startswith(self._SKIP):
            self.note(block.test, message=text, line=number)
            if block.locations:
                self.note(block.test, location=block.locations[-1])
            self.block = None


class Jest(Extractor):
    name = "jest"
    triggers = (r"^ ?FAIL  \S", r"^ *● \S", r"^ *× \S")
    follow = (r"^ *● \S", r"^ ?FAIL  \S+ > ")
    _FAIL = re.compile(r"^ ?FAIL  (\S+)(?: > (.+))?$")
    _BULLET = re.compile(r"^ *● (.+)$")
    _CROSS = re.compile(r"^ +× (.+?)(?: \d+ ?ms)?$")
    _EXPECTED = re.compile(
        r"^\s*(?:[-+] )?(?:Expected|Received|Rejected to value|Resolved to value)\b[^:]*:"
    )
    _FRAME_START = re.compile(r"^\s*(?:>?\s*\d+ ?\||at |❯ |⎯)")
    _END = re.compile(r"^(?: ?(?:FAIL|PASS)  |Test Suites:|Tests:| Test Files | +Tests )")

    def __init__(self) -> None:
        super().__init__()
        self.files: list[str] = []
        self.crosses: list[str] = []
        self.block: _Block | None = None
        self.file = ""

    def feed(self, text: str, number: int = 0) -> None:
        m = self._FAIL.match(text)
        if m:
            self.block = None
            if m.group(2):  # vitest: FAIL  file > suite > test
                test = f"{m.group(1)} > {m.group(2).strip()}"
                self.add(test, number)
                self.block = _Block(test, number)
            else:
                self.file = m.group(1)
                if m.group(1) not in self.files:
                    self.files.append(m.group(1))
            return
        m = self._BULLET.match(text)
        if m:
            title = m.group(1).strip()
            self.block = None
            if title.startswith("Test suite failed to run"):
                if self.file:
                    self.block = _Block(relative_path(self.file), number)
            elif title != "Console":
                self.add(title, number)
                self.block = _Block(title, number)
            return
        m = self._CROSS.match(text)
        if m and (" > " in m.group(1) or "›" in m.group(1) or text.rstrip().endswith("ms")):
            # vitest's ``× suite > test 3ms``; pip/uv/pnpm also print ``× …`` (not tests)
            if m.group(1) not in self.crosses:
                self.crosses.append(m.group(1).strip())
            return
        if self.block is not None:
            self._in_block(self.block, text, number)

    def _in_block(self, block: _Block, text: str, number: int) -> None:
        if self._END.match(text) or text.startswith("⎯"):
            self.block = None
            return
        where = js_frame_location(text)
        if where:
            self.note(block.test, location=where)
            block.closed_message = True
            return
        if self._FRAME_START.match(text):
            block.closed_message = True
            return
        if not text.strip() or block.closed_message:
            return
        if not block.message or self._EXPECTED.match(text):
            block.take(text, number)
            self.set_message(block)

    def tests(self) -> list[str]:
        return list(self.found) or self.crosses[:MAX_TESTS] or self.files[:MAX_TESTS]

    def failures(self) -> list[Failure]:
        out = []
        for test in self.tests():
            info = self.details.get(test) or self.details.get(relative_path(test))
            out.append(
                Failure(test, info.message, info.location, info.line) if info else Failure(test)
            )
        return out


class Mocha(Extractor):
    name = "mocha"
    triggers = (r"^ *\d+ failing$", r"^  \d+\) \S")
    follow = (r"^ *\d+ failing$", r"^  \d+\) \S")
    _START = re.compile(r"^  (\d+)\) (.+)$")

    def __init__(self) -> None:
        super().__init__()
        self.active = False
        self.parts: list[str] | None = None
        self.block: _Block | None = None
        self.start = 0

    def feed(self, text: str, number: int = 0) -> None:
        if re.match(r"^ *\d+ failing$", text):
            self.active, self.parts, self.block = True, None, None
            return
        if not self.active:
            return
        m = self._START.match(text)
        if m:
            self.block = None
            self.start = number
            self.parts = [m.group(2).strip()]
            if self.parts[0].endswith(":"):
                self._finish()
            return
        if self.parts is not None:
            part = text.strip()
            if not part or not text.startswith("     "):
                self.parts = None
                return
            self.parts.append(part)
            if part.endswith(":"):
                self._finish()
            return
        if self.block is not None:
            where = js_frame_location(text)
            if where:
                self.note(self.block.test, location=where)
                self.block = None
            elif text.strip() and not self.block.message:
                self.block.take(text, number)
                self.note(self.block.test, message=text, line=number)

    def _finish(self) -> None:
        assert self.parts is not None
        title = " ".join(self.parts)
        test = title[:-1] if title.endswith(":") else title
        self.add(test, self.start)
        self.block = _Block(test.strip(), self.start)
        self.parts = None


class NodeTest(Extractor):
    name = "node:test"
    triggers = (r"^ *not ok \d+ - ", r"^ *✖ \S")
    follow = (r"^ *not ok \d+ - ", r"^ *✖ \S")
    _TAP = re.compile(r"^( *)not ok \d+ - (.+?)(?: # (?:SKIP|TODO)\b.*)?$")
    _SPEC = re.compile(r"^ *✖ (.+?) \([\d.]+m?s\)$")
    _YAML = re.compile(
        r"^ +(duration_ms|location|failureType|error|code|name|expected|actual|operator"
        r"|stack|type|cause): *(.*)$"
    )
    _STACK = re.compile(
        r"^\s+(?:\S.*? \()?((?:file://)?/[^\s()]+|[\w.][\w./-]*\.[cm]?[jt]sx?):(\d+):\d+\)?$"
    )

    def __init__(self) -> None:
        super().__init__()
        self._last_indent = -1
        self.spec: list[str] = []
        self.block: _Block | None = None
        self.want_error_body = 0

    def feed(self, text: str, number: int = 0) -> None:
        m = self._TAP.match(text)
        if m:
            self.block = None
            if " # SKIP" in text or " # TODO" in text:
                return
            indent = len(m.group(1))
            # TAP prints a parent's result after its subtests: skip failing parents.
            if not (self.found and indent < self._last_indent):
                self.add(m.group(2), number)
                self.block = _Block(m.group(2).strip(), number)
            self._last_indent = indent
            return
        m = self._SPEC.match(text)
        if m:
            self.block = None
            name = m.group(1)
            if name not in self.spec and not name.startswith("failing tests"):
                self.spec.append(name)
                self.note(name, line=number)
                self.block = _Block(name, number)
            return
        if self.block is not None:
            self._in_block(self.block, text, number)

    def _in_block(self, block: _Block, text: str, number: int) -> None:
        stripped = text.strip()
        if stripped in ("...", "") and block.message:
            if stripped == "...":
                self.block = None
            return
        if self.want_error_body:
            if stripped and not self._YAML.match(text):
                block.take(stripped, number, limit=2)
                self.set_message(block)
                self.want_error_body -= 1
                return
            self.want_error_body = 0
        m = self._YAML.match(text)
        if m:
            key, value = m.group(1), m.group(2).strip()
            if key == "error":
                if value in ("|-", "|", ">-", ">"):
                    self.want_error_body = 2
                else:
                    self.note(block.test, message=value.strip("'\""), line=number)
            elif key == "location" and value:
                path, _, rest = value.strip("'\"").rpartition(":")
                path, _, line = path.rpartition(":") if path.count(":") else (path, "", rest)
                if line.isdigit():
                    self.note(block.test, location=_location(path, line))
            return
        frame = self._STACK.match(text)
        if frame and not any(bad in frame.group(1) for bad in _NOT_USER_CODE):
            # a stack frame in the test file beats the test's declaration ``location``
            if not block.locations:
                block.locations.append(_location(frame.group(1), frame.group(2)))
                info = self.details.setdefault(block.test, Failure(block.test))
                info.location = block.locations[0]
            return
        if (
            not block.message
            and stripped
            and not stripped.startswith(("---", "duration_ms"))
            and ":" in stripped
            and text.startswith("  ")
        ):
            block.take(stripped, number)
            self.note(block.test, message=stripped, line=number)

    def tests(self) -> list[str]:
        return list(self.found) or self.spec[:MAX_TESTS]


class GoTest(Extractor):
    name = "go"
    triggers = (
        r"^ *--- FAIL: \S",
        r"^=== FAIL: \S+ \S",
        r"^ +\S+\.go:\d+: ",
        r"^panic: ",
        r"^\t\S+_test\.go:\d+ ",
        r"^ *--- PASS: ",
        r"^\S+\.Test\w*\(",
        r"^\t\t?Test\w*\S* \(",
        r"^(?:FAIL|ok) +\t?\S+\t",
    )
    _RE = re.compile(r"^ *--- FAIL: (\S+)|^=== FAIL: \S+ (\S+)")
    _PACKAGE = re.compile(r"^(?:FAIL|ok) *\t(\S+)\t")
    _MSG = re.compile(r"^ +(\S+\.go):(\d+): (.*)$")
    _PANIC_FRAME = re.compile(r"^\t(\S+_test\.go):(\d+) ")
    _TIMEOUT_FRAME = re.compile(r"^\S+\.(Test\w*)\(")
    _RUNNING = re.compile(r"^\t\t?(Test\w*\S*) \(\d")

    def __init__(self) -> None:
        super().__init__()
        self.pending: list[tuple[str, str, int]] = []  # (message, location, line)
        self.awaiting: str | None = None
        self.panicking: str | None = None
        self.timed_out = False
        self.package_start = 0  # failures before this index belong to earlier packages

    def feed(self, text: str, number: int = 0) -> None:
        m = self._PACKAGE.match(text)
        if m:
            self._locate_in_package(m.group(1))
            return
        m = self._RE.match(text)
        if m:
            test = m.group(1) or m.group(2)
            self.add(test, number)
            if self.pending:  # -v: t.Error lines stream before the test's result
                msg, pending_loc, line = self.pending[0]
                self.note(test, message=msg, location=pending_loc or None, line=line)
                self.pending = []
                self.awaiting = None
            else:
                self.awaiting = test
            return
        if text.lstrip().startswith("--- PASS: "):
            self.pending, self.awaiting = [], None
            return
        m = self._MSG.match(text)
        if m:
            test_file = m.group(1).endswith("_test.go")
            loc: str | None = f"{m.group(1)}:{m.group(2)}" if test_file else None
            message = f"{m.group(1)}:{m.group(2)}: {m.group(3)}" if test_file else m.group(3)
            if self.awaiting:
                self.note(self.awaiting, message=message, location=loc, line=number, raw=text)
            elif test_file and len(self.pending) < 5:
                self.pending.append((message, loc or "", number))
            return
        if text.startswith("panic: "):
            self.timed_out = text.startswith("panic: test timed out")
            target = self.awaiting or (self.found[-1] if self.found else None)
            if target:
                self.note(target, message=text, line=number)
                self.panicking = target
            return
        if self.timed_out:
            m = self._RUNNING.match(text) or self._TIMEOUT_FRAME.match(text)
            if m:
                self.add(m.group(1), number)
                self.panicking = m.group(1)
                return
        m = self._PANIC_FRAME.match(text)
        if m and self.panicking:
            self.note(self.panicking, location=_location(m.group(1), m.group(2)))

    def _locate_in_package(self, import_path: str) -> None:
        """``go test`` prints only a file name (``calc_test.go:13``); the package's result
        line names its import path. Its directory in the repository is the path after the
        module (``github.com/o/r``, or ``host/name`` elsewhere) — a heuristic: the renderer
        links a location only when the path exists."""
        parts = import_path.split("/")
        skip = 3 if parts[0] in ("github.com", "gitlab.com", "bitbucket.org") else 2
        directory = "/".join(parts[skip:]) if "." in parts[0] else ""
        for test in self.found[self.package_start :]:
            info = self.details.get(test)
            if directory and info and info.location and "/" not in info.location:
                info.location = f"{directory}/{info.location}"
        self.package_start = len(self.found)

    def failures(self) -> list[Failure]:
        out = super().failures()
        by_name = {f.test: f for f in out}
        for failure in out:  # a parent and its failing subtest share the message
            if failure.message:
                continue
            for other in out:
                if other.message and (
                    other.test.startswith(failure.test + "/")
                    or failure.test.startswith(other.test + "/")
                ):
                    failure.message, failure.location = other.message, other.location
                    failure.line = other.line
                    break
        return [by_name[f.test] for f in out]


class CargoTest(Extractor):
    name = "cargo"
    triggers = (
        r"^test \S+(?: - should panic)? \.\.\. FAILED$",
        r"^note: test did not panic as expected",
        r"^\S+ --- FAILED$",
        r"^\s*FAIL \[ *[\d.]+s\] \S+ \S+$",
        r"^---- \S+ stdout ----$",
        r"^thread '[^']*' (?:\(\d+\) )?panicked at ",
    )
    follow = (r"^thread '[^']*' (?:\(\d+\) )?panicked at ",)
    _RE = re.compile(
        r"^(?:test (\S+)(?: - should panic)? \.\.\. FAILED|(\S+) --- FAILED"
        r"|\s*FAIL \[ *[\d.]+s\] \S+ (\S+))$"
    )
    _STDOUT = re.compile(r"^---- (\S+) stdout ----$")
    _PANIC = re.compile(r"^thread '([^']*)' (?:\(\d+\) )?panicked at (.*)$")
    _AT = re.compile(r"([^\s',]+\.rs):(\d+):\d+:?$")

    def __init__(self) -> None:
        super().__init__()
        self.current: str | None = None
        self.block: _Block | None = None

    def feed(self, text: str, number: int = 0) -> None:
        m = self._RE.match(text)
        if m:
            self.add(m.group(1) or m.group(2) or m.group(3), number)
            return
        m = self._STDOUT.match(text)
        if m:
            self.current = m.group(1)
            return
        if text.startswith("note: test did not panic as expected") and self.current:
            self.note(self.current, message=text.strip(), line=number)
            return
        m = self._PANIC.match(text)
        if m:
            test = self.current or m.group(1)
            rest = m.group(2)
            at = self._AT.search(rest)
            location = _location(at.group(1), at.group(2)) if at else None
            self.block = _Block(test, number)
            if rest.startswith("'"):  # old form: panicked at 'message', src/x.rs:1:2
                self.note(
                    test, message=rest.rsplit("', ", 1)[0][1:], location=location, line=number
                )
                self.block = None
            else:
                self.note(test, location=location)
            return
        block = self.block
        if block is None:
            return
        if not text.strip() or text.startswith(("stack backtrace:", "note: ", "----")):
            if block.message:
                self.note(block.test, message=block.text(), line=block.message_line)
                self.block = None
            return
        block.take(text, number)


class Surefire(Extractor):
    name = "surefire"
    triggers = (
        r"^\[ERROR\] \S.*<<< (?:FAILURE|ERROR)!",
        r"^\[ERROR\] +\S+\(\S+\)",
        r"^\[ERROR\] (?:Failures|Errors): *$",
        r"^\[ERROR\]   \S+:\d+ ",
        r"^\[ERROR\]   \S+\.\w+ ",
    )
    follow = (r"^\[ERROR\] \S.*<<< (?:FAILURE|ERROR)!",)
    _OLD = re.compile(r"^\[ERROR\] (\w+)\(([\w.$]+)\)(?:\s|$)")
    _NEW = re.compile(
        r"^\[ERROR\] ([\w.$]+)\.(\w+)(?:\(\))? +-- Time elapsed:.*<<< (?:FAILURE|ERROR)!"
    )
    _CLASS = re.compile(r"^\[ERROR\] Tests run:.*<<< (?:FAILURE|ERROR)!.* in ([\w.$]+)$")
    _FRAME = re.compile(r"^\s*at ([\w.$]+)\.(\w+)\((\w+\.(?:java|kt|groovy|scala)):(\d+)\)")
    # the Results section: ``[ERROR]   CalcTest.adds:17 expected: <4> but was: <5>``
    _SUMMARY = re.compile(r"^\[ERROR\]   ([\w$]+\.\w+)(?::(\d+))?(?: (.*))?$")

    def __init__(self) -> None:
        super().__init__()
        self.classes: list[str] = []
        self.block: _Block | None = None
        self.method = ""
        self.in_results = False
        self.summary: list[str] = []

    def feed(self, text: str, number: int = 0) -> None:
        if text.startswith(("[ERROR] Failures:", "[ERROR] Errors:")):
            self.in_results, self.block = True, None
            return
        if self.in_results:
            m = self._SUMMARY.match(text)
            if m:
                self._summary_entry(m, number)
                return
            if not text.startswith("[ERROR]   "):
                self.in_results = False
        m = self._OLD.match(text)
        new = None if m else self._NEW.match(text)
        if m or new:
            if m:
                method, cls = m.group(1), m.group(2)
                test = f"{method}({cls})"
            else:
                assert new is not None
                cls, method = new.group(1), new.group(2)
                test = f"{cls}.{method}"
            self.add(test, number)
            self.block, self.method = _Block(test, number), method
            return
        m = self._CLASS.match(text)
        if m:
            if m.group(1) not in self.classes:
                self.classes.append(m.group(1))
            return
        block = self.block
        if block is None:
            return
        frame = self._FRAME.match(text)
        if frame:
            if frame.group(2) == self.method:
                self.note(block.test, location=f"{frame.group(3)}:{frame.group(4)}")
                self.block = None
            return
        if text.startswith("[") or not text.strip():
            self.block = None if block.message else block
            return
        if not block.message:
            block.take(text, number)
            self.note(block.test, message=text, line=number)

    def _summary_entry(self, m: re.Match[str], number: int) -> None:
        short = m.group(1)
        if short in self.summary or len(self.summary) >= MAX_TESTS:
            return
        self.summary.append(short)
        cls, _, method = short.rpartition(".")
        full = next(
            (
                t
                for t in self.found
                if t.endswith("." + short)
                or t == f"{method}({cls})"
                or (t.startswith(method + "(") and t.endswith("." + cls + ")"))
            ),
            None,
        )
        if full is not None and full in self.details:
            info = self.details[full]
            self.details[short] = Failure(short, info.message, info.location, info.line, info.raw)
        message = (m.group(3) or "").strip().lstrip("» ").strip() or None
        location = f"{cls}.java:{m.group(2)}" if m.group(2) else None
        self.note(short, message=message, location=location, line=number)

    def tests(self) -> list[str]:
        return list(self.summary) or list(self.found) or self.classes[:MAX_TESTS]


class Gradle(Extractor):
    name = "gradle"
    triggers = (r"^ *\S.* > \S.* FAILED$",)
    follow = (r"^ *\S.* > \S.* FAILED$",)
    _RE = re.compile(r"^ *([\w.$]+ > .+?) FAILED$")
    _AT = re.compile(r"\bat (?:\S+\()?(\w+\.(?:java|kt|groovy|scala)):(\d+)\)?")

    def __init__(self) -> None:
        super().__init__()
        self.block: _Block | None = None

    def feed(self, text: str, number: int = 0) -> None:
        m = self._RE.match(text)
        if m and not text.lstrip().startswith(">"):
            self.add(m.group(1), number)
            self.block = _Block(m.group(1).strip(), number)
            return
        block = self.block
        if block is None:
            return
        if not text.startswith((" ", "\t")) or not text.strip():
            self.block = None
            return
        at = self._AT.search(text)
        if at:
            self.note(block.test, location=f"{at.group(1)}:{at.group(2)}")
        stripped = text.strip()
        if not block.message and not stripped.startswith("at "):
            message = stripped.split(" at ")[0] if at else stripped
            block.take(message, number)
            self.note(block.test, message=message, line=number)
        if at:
            self.block = None


class RSpec(Extractor):
    name = "rspec"
    triggers = (r"^rspec \./\S+:\d+", r"^ +Failure/Error: ", r"^(?:bin/)?rails test \S+:\d+$")
    follow = (r"^  \d+\) \S",)
    _RE = re.compile(r"^rspec (\./\S+\[[\d:]+\]|\./\S+?:\d+)(?: # (.*))?")
    _RAILS = re.compile(r"^(?:bin/)?rails test (\S+:\d+)$")
    _START = re.compile(r"^  (\d+)\) (.+)$")
    _LOC = re.compile(r"^ +# (\./\S+?\.rb):(\d+)")
    _DETAIL = re.compile(r"^ +(?:expected|got|Diff|expected:|got:)\b")

    def __init__(self) -> None:
        super().__init__()
        self.by_title: dict[str, Failure] = {}
        self.block: _Block | None = None

    def feed(self, text: str, number: int = 0) -> None:
        rails = self._RAILS.match(text)
        if rails:
            self.add(rails.group(1))
            return
        m = self._RE.match(text)
        if m:
            self.add(m.group(1))
            info = self.by_title.get((m.group(2) or "").strip())
            if info:
                self.note(m.group(1), info.message, info.location, info.line)
            return
        m = self._START.match(text)
        if m:
            self.block = _Block(m.group(2).strip(), number)
            return
        block = self.block
        if block is None:
            return
        stripped = text.strip()
        if stripped.startswith("Failure/Error:") or (
            block.message
            and stripped
            and not stripped.startswith("#")
            and (self._DETAIL.match(text) or len(block.message) < 3)
        ):
            # the error's own lines follow Failure/Error (expected/got, an exception)
            block.take(stripped, number)
            return
        if not block.message and stripped and not stripped.startswith("#"):
            return  # the rest of a multi-line title
        loc = self._LOC.match(text)
        if loc:
            self.by_title[block.test] = Failure(
                block.test,
                _clip(block.text() or ""),
                _location(loc.group(1), loc.group(2)),
                block.message_line,
            )
            self.block = None


class PHPUnit(Extractor):
    name = "phpunit"
    triggers = (r"^\d+\) [\w\\]+::\w+",)
    follow = (r"^\d+\) [\w\\]+::\w+",)
    _RE = re.compile(r"^\d+\) ([\w\\]+::\w+(?: with data set (?:\"[^\"]*\"|#\d+))?)")
    _LOC = re.compile(r"^(\S+\.php):(\d+)$")

    def __init__(self) -> None:
        super().__init__()
        self.block: _Block | None = None

    def feed(self, text: str, number: int = 0) -> None:
        m = self._RE.match(text)
        if m:
            self.add(m.group(1), number)
            self.block = _Block(m.group(1), number)
            return
        block = self.block
        if block is None:
            return
        loc = self._LOC.match(text.strip())
        if loc:
            if "/vendor/" not in loc.group(1):
                self.note(block.test, location=_location(loc.group(1), loc.group(2)))
                self.block = None
            return
        if text.strip() and not block.message:
            block.take(text, number)
            self.note(block.test, message=text, line=number)


class CTest(Extractor):
    name = "ctest"
    triggers = (r"^The following tests FAILED:", r"Test +#\d+: \S+ \.+\s*\*\*\*")
    follow = (r"^The following tests FAILED:", r"Test +#\d+: \S+ \.+\s*\*\*\*")
    _RE = re.compile(r"^\s*\d+ - (\S+) \(([^)]*)\)")
    _RESULT = re.compile(r"Test +#\d+: (\S+) \.+\s*\*\*\*(.*?)\s+[\d.]+ ?sec")

    def __init__(self) -> None:
        super().__init__()
        self.active = False
        self.output_of: str | None = None
        self.status = ""

    def feed(self, text: str, number: int = 0) -> None:
        if text.startswith("The following tests FAILED:"):
            self.active, self.output_of = True, None
            return
        m = self._RESULT.search(text)
        if m:
            self.note(m.group(1), line=number)
            self.output_of = m.group(1)
            self.status = m.group(2).strip()
            return
        if self.output_of:
            stripped = text.strip()
            if not stripped or re.match(r"^\s*(?:Start +\d+:|\d+/\d+ Test|\d+% tests)", text):
                self.note(self.output_of, message=self.status, line=number)
                self.output_of = None
            else:
                self.note(self.output_of, message=stripped, line=number)
                self.output_of = None
            return
        if self.active:
            m = self._RE.match(text)
            if m:
                self.add(m.group(1))
                self.note(m.group(1), message=m.group(2), line=number)
            else:
                self.active = False


class Minitest(Extractor):
    name = "minitest"
    triggers = (r"^ +\d+\) (?:Failure|Error):$",)
    follow = (r"^ +\d+\) (?:Failure|Error):$",)
    _START = re.compile(r"^ +\d+\) (?:Failure|Error):$")
    _TEST = re.compile(r"^([\w:]+#\w+)(?: \[([^\]]+?):(\d+)\])?:$")
    _FRAME = re.compile(r"^\s+(\S+\.rb):(\d+):in [`'](?:\w+#)?(\w+)'")

    def __init__(self) -> None:
        super().__init__()
        self.expect_test = False
        self.block: _Block | None = None

    def feed(self, text: str, number: int = 0) -> None:
        if self._START.match(text):
            self.expect_test, self.block = True, None
            return
        if self.expect_test:
            self.expect_test = False
            m = self._TEST.match(text.strip())
            if m:
                self.add(m.group(1), number)
                self.block = _Block(m.group(1), number)
                if m.group(2):
                    self.note(m.group(1), location=_location(m.group(2), m.group(3)))
            return
        block = self.block
        if block is None:
            return
        frame = self._FRAME.match(text)
        if frame:
            if not block.locations and "/gems/" not in frame.group(1):
                block.locations.append(_location(frame.group(1), frame.group(2)))
                self.note(block.test, location=block.locations[0])
            return
        stripped = text.strip()
        if re.match(r"^\d+ (?:runs|tests), ", text):
            self.block = None
            return
        if stripped and not block.message:
            block.take(text, number)
            self.set_message(block)


class Playwright(Extractor):
    name = "playwright"
    triggers = (r"^ +\d+\) (?:\[[\w -]+\] › )?\S+:\d+:\d+ › ",)
    follow = (r"^ +\d+\) (?:\[[\w -]+\] › )?\S+:\d+:\d+ › ",)
    _HEAD = re.compile(r"^ +\d+\) ((?:\[[\w -]+\] › )?\S+:\d+:\d+ › .+?) ?─*$")
    _AT = re.compile(r"^\s+at (?:.*\()?(\S+?):(\d+):\d+\)?$")

    def __init__(self) -> None:
        super().__init__()
        self.block: _Block | None = None

    def feed(self, text: str, number: int = 0) -> None:
        m = self._HEAD.match(text)
        if m:
            test = m.group(1).strip()
            self.add(test, number)
            self.block = _Block(test, number)
            return
        block = self.block
        if block is None:
            return
        at = self._AT.match(text)
        if at and "node_modules" not in at.group(1):
            self.note(block.test, location=_location(at.group(1), at.group(2)))
            self.block = None
            return
        stripped = text.strip()
        if stripped and not block.message and not stripped.startswith(("╔", "║", "╚")):
            block.take(text, number)
            self.set_message(block)


class OtherRunners(Extractor):
    """One-line result formats: ``dotnet test`` (``Failed Ns.Class.Test [5 ms]`` then
    ``Error Message:``), ``bun test`` (``(fail) suite > test``), Pest (``FAILED  Tests\\X >
    it works``)."""

    name = "other"
    triggers = (
        r"^\s+Failed \S+ \[[\d.]+ ?m?s\]$",
        r"^\s+Error Message:$",
        r"^\(fail\) .+",
        r"^\s*FAILED\s+\S+ > .+",
    )
    follow = (r"^\s+Error Message:$",)
    _DOTNET = re.compile(r"^\s+Failed (\S+) \[[\d.]+ ?m?s\]$")
    _BUN = re.compile(r"^\(fail\) (.+?)(?: \[[\d.]+m?s\])?$")
    _PEST = re.compile(r"^\s*FAILED\s+(\S+ > .+?)\s*$")

    def __init__(self) -> None:
        super().__init__()
        self.want_message = False

    def feed(self, text: str, number: int = 0) -> None:
        for pattern in (self._DOTNET, self._BUN, self._PEST):
            m = pattern.match(text)
            if m:
                self.add(m.group(1), number)
                self.want_message = False
                return
        if text.strip() == "Error Message:":
            self.want_message = bool(self.found)
            return
        if self.want_message and text.strip():
            self.note(self.found[-1], message=text.strip(), line=number, raw=text)
            self.want_message = False


EXTRACTORS: tuple[type[Extractor], ...] = (
    Pytest,
    Unittest,
    Jest,
    Mocha,
    NodeTest,
    GoTest,
    CargoTest,
    Surefire,
    Gradle,
    RSpec,
    PHPUnit,
    CTest,
    Minitest,
    Playwright,
    OtherRunners,
)


def trigger_patterns() -> list[tuple[str, bool]]:
    return [(p, False) for cls in EXTRACTORS for p in cls.triggers]


def follow_patterns() -> list[tuple[str, bool]]:
    return [(p, False) for cls in EXTRACTORS for p in cls.follow]


class TestCollector:
    """Runs every extractor over one step's lines; merged, ordered, de-duplicated."""

    def __init__(self) -> None:
        self.extractors = [cls() for cls in EXTRACTORS]

    def feed(self, text: str, number: int = 0) -> None:
        for extractor in self.extractors:
            extractor.feed(text, number)

    def tests(self) -> list[str]:
        return [f.test for f in self.failures()]

    def failures(self) -> list[Failure]:
        out: dict[str, Failure] = {}
        for extractor in self.extractors:
            for failure in extractor.failures():
                if failure.test not in out and len(out) < MAX_TESTS:
                    out[failure.test] = failure
        return list(out.values())


def extract_failures(lines: list[str] | str) -> list[Failure]:
    """Failing tests with messages in ``lines`` (cleaned text), without the reader."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    collector = TestCollector()
    for number, line in enumerate(lines, 1):
        collector.feed(line, number)
    return collector.failures()


def extract_tests(lines: list[str] | str) -> list[str]:
    """Failing tests in ``lines`` (cleaned text) — the extractors without the reader."""
    return [f.test for f in extract_failures(lines)]
