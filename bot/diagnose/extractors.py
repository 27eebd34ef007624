"""Failing-test extractors: test identifiers exactly as each tool prints them.

Each extractor declares ``triggers`` (line patterns the reader's prefilter must let
through) and optionally ``follow`` triggers after which the next lines are fed too
(multi-line reports: mocha titles, ctest lists). ``feed(text)`` is called with every
line the reader yields for a step, in order; ``tests()`` returns what it found.

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
from typing import ClassVar

MAX_TESTS = 100


class Extractor:
    name: ClassVar[str] = ""
    triggers: ClassVar[tuple[str, ...]] = ()
    follow: ClassVar[tuple[str, ...]] = ()

    def __init__(self) -> None:
        self.found: list[str] = []

    def add(self, test: str) -> None:
        test = test.strip()
        if test and test not in self.found and len(self.found) < MAX_TESTS:
            self.found.append(test)

    def feed(self, text: str) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def tests(self) -> list[str]:
        return list(self.found)


class Pytest(Extractor):
    name = "pytest"
    triggers = (r"^(?:FAILED|ERROR) \S", r"^_{3,} .+ _{3,}$")
    _SUMMARY = re.compile(r"^(?:FAILED|ERROR) (\S+?(?:\[[^\]]*\])?)(?: - .*)?$")
    _HEADER = re.compile(r"^_{3,} (.+?) _{3,}$")

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []

    def feed(self, text: str) -> None:
        m = self._SUMMARY.match(text)
        if m and ("::" in m.group(1) or m.group(1).endswith(".py")):
            self.add(m.group(1))
            return
        m = self._HEADER.match(text)
        if m:
            name = m.group(1)
            for prefix in ("ERROR collecting ", "ERROR at setup of ", "ERROR at teardown of "):
                if name.startswith(prefix):
                    name = name[len(prefix) :]
            if name not in self.headers and " " not in name.strip("[]"):
                self.headers.append(name)

    def tests(self) -> list[str]:
        # The short summary has full node ids; section headers are a fallback (-rN, -q).
        return list(self.found) or self.headers[:MAX_TESTS]


class Unittest(Extractor):
    name = "unittest"
    triggers = (r"^(?:FAIL|ERROR): \w+ \(",)
    _RE = re.compile(r"^(?:FAIL|ERROR): (\w+) \(([\w.]+)\)")

    def feed(self, text: str) -> None:
        m = self._RE.match(text)
        if m:
            method, dotted = m.groups()
            # 3.11+ prints the full id in parentheses; older versions only the class.
            self.add(dotted if dotted.endswith("." + method) else f"{dotted}.{method}")


class Jest(Extractor):
    name = "jest"
    triggers = (r"^ ?FAIL  \S", r"^ *● \S", r"^ *× \S")
    _FAIL = re.compile(r"^ ?FAIL  (\S+)(?: > (.+))?$")
    _BULLET = re.compile(r"^ *● (.+)$")
    _CROSS = re.compile(r"^ +× (.+?)(?: \d+ ?ms)?$")

    def __init__(self) -> None:
        super().__init__()
        self.files: list[str] = []
        self.crosses: list[str] = []

    def feed(self, text: str) -> None:
        m = self._FAIL.match(text)
        if m:
            if m.group(2):  # vitest: FAIL  file > suite > test
                self.add(f"{m.group(1)} > {m.group(2).strip()}")
            elif m.group(1) not in self.files:
                self.files.append(m.group(1))
            return
        m = self._BULLET.match(text)
        if m:
            title = m.group(1).strip()
            if not title.startswith("Test suite failed to run") and title != "Console":
                self.add(title)
            return
        m = self._CROSS.match(text)
        if m and m.group(1) not in self.crosses:
            self.crosses.append(m.group(1).strip())

    def tests(self) -> list[str]:
        return list(self.found) or self.crosses[:MAX_TESTS] or self.files[:MAX_TESTS]


class Mocha(Extractor):
    name = "mocha"
    triggers = (r"^ *\d+ failing$", r"^  \d+\) \S")
    follow = (r"^ *\d+ failing$", r"^  \d+\) \S")
    _START = re.compile(r"^  (\d+)\) (.+)$")

    def __init__(self) -> None:
        super().__init__()
        self.active = False
        self.parts: list[str] | None = None

    def feed(self, text: str) -> None:
        if re.match(r"^ *\d+ failing$", text):
            self.active, self.parts = True, None
            return
        if not self.active:
            return
        m = self._START.match(text)
        if m:
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

    def _finish(self) -> None:
        assert self.parts is not None
        title = " ".join(self.parts)
        self.add(title[:-1] if title.endswith(":") else title)
        self.parts = None


class NodeTest(Extractor):
    name = "node:test"
    triggers = (r"^ *not ok \d+ - ", r"^ *✖ \S")
    _TAP = re.compile(r"^( *)not ok \d+ - (.+?)(?: # (?:SKIP|TODO)\b.*)?$")
    _SPEC = re.compile(r"^ *✖ (.+?) \([\d.]+m?s\)$")

    def __init__(self) -> None:
        super().__init__()
        self._last_indent = -1
        self.spec: list[str] = []

    def feed(self, text: str) -> None:
        m = self._TAP.match(text)
        if m:
            if " # SKIP" in text or " # TODO" in text:
                return
            indent = len(m.group(1))
            # TAP prints a parent's result after its subtests: skip failing parents.
            if not (self.found and indent < self._last_indent):
                self.add(m.group(2))
            self._last_indent = indent
            return
        m = self._SPEC.match(text)
        if m and m.group(1) not in self.spec and not m.group(1).startswith("failing tests"):
            self.spec.append(m.group(1))

    def tests(self) -> list[str]:
        return list(self.found) or self.spec[:MAX_TESTS]


class GoTest(Extractor):
    name = "go"
    triggers = (r"^ *--- FAIL: \S",)
    _RE = re.compile(r"^ *--- FAIL: (\S+)")

    def feed(self, text: str) -> None:
        m = self._RE.match(text)
        if m:
            self.add(m.group(1))


class CargoTest(Extractor):
    name = "cargo"
    triggers = (r"^test \S+ \.\.\. FAILED$", r"^\S+ --- FAILED$")
    _RE = re.compile(r"^(?:test (\S+) \.\.\. FAILED|(\S+) --- FAILED)$")

    def feed(self, text: str) -> None:
        m = self._RE.match(text)
        if m:
            self.add(m.group(1) or m.group(2))


class Surefire(Extractor):
    name = "surefire"
    triggers = (r"^\[ERROR\] \S.*<<< (?:FAILURE|ERROR)!", r"^\[ERROR\] +\S+\(\S+\)")
    _OLD = re.compile(r"^\[ERROR\] (\w+\([\w.$]+\))(?:\s|$)")
    _NEW = re.compile(
        r"^\[ERROR\] ([\w.$]+\.\w+)(?:\(\))? +-- Time elapsed:.*<<< (?:FAILURE|ERROR)!"
    )
    _CLASS = re.compile(r"^\[ERROR\] Tests run:.*<<< (?:FAILURE|ERROR)!.* in ([\w.$]+)$")

    def __init__(self) -> None:
        super().__init__()
        self.classes: list[str] = []

    def feed(self, text: str) -> None:
        for pattern in (self._OLD, self._NEW):
            m = pattern.match(text)
            if m:
                self.add(m.group(1))
                return
        m = self._CLASS.match(text)
        if m and m.group(1) not in self.classes:
            self.classes.append(m.group(1))

    def tests(self) -> list[str]:
        return list(self.found) or self.classes[:MAX_TESTS]


class Gradle(Extractor):
    name = "gradle"
    triggers = (r"^ *\S.* > \S.* FAILED$",)
    _RE = re.compile(r"^ *([\w.$]+ > .+?) FAILED$")

    def feed(self, text: str) -> None:
        m = self._RE.match(text)
        if m and not text.lstrip().startswith(">"):
            self.add(m.group(1))


class RSpec(Extractor):
    name = "rspec"
    triggers = (r"^rspec \./\S+:\d+",)
    _RE = re.compile(r"^rspec (\./\S+\[[\d:]+\]|\./\S+?:\d+)")

    def feed(self, text: str) -> None:
        m = self._RE.match(text)
        if m:
            self.add(m.group(1))


class PHPUnit(Extractor):
    name = "phpunit"
    triggers = (r"^\d+\) [\w\\]+::\w+",)
    _RE = re.compile(r"^\d+\) ([\w\\]+::\w+)")

    def feed(self, text: str) -> None:
        m = self._RE.match(text)
        if m:
            self.add(m.group(1))


class CTest(Extractor):
    name = "ctest"
    triggers = (r"^The following tests FAILED:",)
    follow = (r"^The following tests FAILED:",)
    _RE = re.compile(r"^\s*\d+ - (\S+) \(")

    def __init__(self) -> None:
        super().__init__()
        self.active = False

    def feed(self, text: str) -> None:
        if text.startswith("The following tests FAILED:"):
            self.active = True
            return
        if self.active:
            m = self._RE.match(text)
            if m:
                self.add(m.group(1))
            else:
                self.active = False


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
)


def trigger_patterns() -> list[tuple[str, bool]]:
    return [(p, False) for cls in EXTRACTORS for p in cls.triggers]


def follow_patterns() -> list[tuple[str, bool]]:
    return [(p, False) for cls in EXTRACTORS for p in cls.follow]


class TestCollector:
    """Runs every extractor over one step's lines; merged, ordered, de-duplicated."""

    def __init__(self) -> None:
        self.extractors = [cls() for cls in EXTRACTORS]

    def feed(self, text: str) -> None:
        for extractor in self.extractors:
            extractor.feed(text)

    def tests(self) -> list[str]:
        out: list[str] = []
        for extractor in self.extractors:
            for test in extractor.tests():
                if test not in out:
                    out.append(test)
        return out[:MAX_TESTS]


def extract_tests(lines: list[str] | str) -> list[str]:
    """Failing tests in ``lines`` (cleaned text) — the extractors without the reader."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    collector = TestCollector()
    for line in lines:
        collector.feed(line)
    return collector.tests()
