"""Failing-test extractors for jest and vitest: ``FAIL`` file lines, ``●`` failure
blocks, vitest's ``×`` results under their ``❯ file`` header.

The other JavaScript runners (mocha, node:test and TAP, Playwright, ava) are in
:mod:`bot.diagnose.extract_js`; the identifier forms are listed in
:mod:`bot.diagnose.extractors`.
"""

from __future__ import annotations

import re

from .extract_core import (
    MAX_TESTS,
    Extractor,
    Failure,
    TestBlock,
    js_frame_location,
    relative_path,
)


class Jest(Extractor):
    name = "jest"
    # jest's verbose reporter marks a failed test ``✕ title (3 ms)`` under its suites;
    # vitest 0.x/1.x heads a file ``❯ src/a.test.ts (3)`` and marks ``× title`` bare
    triggers = (
        r"^ ?FAIL {1,2}\S",
        r"^ *● \S",
        r"^ *[×✕] \S",
        r"^ *❯ \S+ \(\d+ tests? ",
        r"^ *❯ \S+\.[cm]?[jt]sx? \(\d+\)",
        r"^ +→ \S",
    )
    follow = (r"^ *● \S", r"^ ?FAIL  \S+ > ", r"^ ?FAIL \|[^|]+\| +\S+ > ")
    # jest 29 prints ``FAIL src/a.test.js (5.2 s)``, jest 30 and vitest two spaces; a
    # project's name may stand before the path: vitest workspaces ``FAIL |core|  a.test.js
    # > t``, jest ``projects`` with a displayName ``FAIL api packages/api/a.test.js``
    _FAIL = re.compile(
        r"^ ?FAIL {1,2}(?:\|[^|]+\| +|[\w@/.:-]+ (?=\S+\.[cm]?[jt]sx?\b))?"
        r"(\S+)(?: > (.+?))?(?: \([\d.]+ ?m?s\))?$"
    )
    _BULLET = re.compile(r"^ *● (.+)$")
    _CROSS = re.compile(r"^ +× (.+?)(?: \d+ ?ms)?$")
    # jest: ``✕ title`` (its duration only when it took a while); a paste may lose the
    # margin. The title alone: the suites above it are plain lines (a ``●`` block names
    # the test in full, and wins). A count (``✕ 2 failed``) is some tool's summary.
    _JEST_CROSS = re.compile(r"^ *✕ (?!\d+ \w+$)(.+?)(?: \(\d+(?:\.\d+)? ?m?s\))?$")
    # vitest heads a file's results ``❯ src/a.test.ts (3 tests | 1 failed) 5ms`` (0.x and
    # 1.x: ``❯ src/a.test.ts (3)``)
    _FILE = re.compile(r"^ *❯ (\S+\.[cm]?[jt]sx?) \((?:\d+ tests? |\d+\))")
    _EXPECTED = re.compile(
        r"^\s*(?:[-+] )?(?:Expected|Received|Rejected to value|Resolved to value)\b[^:]*:"
    )
    _FRAME_START = re.compile(r"^\s*(?:>?\s*\d+ ?\||at |❯ |⎯)")
    _END = re.compile(r"^(?: ?(?:FAIL|PASS)  |Test Suites:|Tests:| Test Files | +Tests )")

    def __init__(self) -> None:
        super().__init__()
        self.files: list[str] = []
        self.crosses: list[str] = []
        self.block: TestBlock | None = None
        self.file = ""
        self.unloaded: set[str] = set()  # suites that failed to run: no test in them ran
        self.vitest_file = ""
        self.last_cross: tuple[str, int] | None = None  # vitest: ``→ message`` follows
        self.after_fail = 0  # the line of the last ``FAIL file`` header

    def feed(self, text: str, number: int = 0) -> None:
        m = self._FAIL.match(text)
        if m:
            self.block = None
            if m.group(2):  # vitest: FAIL  file > suite > test
                test = f"{m.group(1)} > {m.group(2).strip()}"
                self.add(test, number)
                self.block = TestBlock(test, number)
            else:
                self.file = m.group(1)
                self.after_fail = number
                # a file stands in for its tests only in vitest's two-space form; jest's
                # ``FAIL a.test.js`` names where a suite failed to run, not a test
                if text.lstrip().startswith("FAIL  ") and m.group(1) not in self.files:
                    self.files.append(m.group(1))
            return
        if self.after_fail and "Error" in text:
            self._suite_error(text, number)
        m = self._BULLET.match(text)
        if m:
            title = m.group(1).strip()
            self.block = None
            if title.startswith("Test suite failed to run"):
                if self.file:
                    self.block = TestBlock(relative_path(self.file), number)
                    self.unloaded.add(self.file)
            elif title != "Console":
                self.add(title, number)
                self.block = TestBlock(title, number)
            return
        m = self._FILE.match(text) if "❯" in text else None
        if m:
            self.vitest_file = m.group(1)
            return
        m = self._CROSS.match(text) or (self._JEST_CROSS.match(text) if "✕" in text else None)
        if m and (
            " > " in m.group(1)
            or "›" in m.group(1)
            or text.rstrip().endswith("ms")
            or self.vitest_file
            or "✕" in text
        ):
            # vitest's ``× suite > test 3ms`` (bare ``× test`` under a ``❯ file`` header);
            # pip/uv/pnpm also print ``× …`` (not tests)
            cross = m.group(1).strip()
            cross = f"{self.vitest_file} > {cross}" if self.vitest_file else cross
            if cross not in self.crosses:
                self.crosses.append(cross)
            self.last_cross = (cross, number)
            return
        if self.last_cross and text.lstrip().startswith("→ "):
            # vitest 2+ prints a failed test's error under its ``×`` line
            cross, at = self.last_cross
            if at == number - 1:
                self.note(cross, message=text.strip()[2:], line=number, raw=text)
            self.last_cross = None
            return
        if self.block is not None:
            self._in_block(self.block, text, number)

    # the error a suite died of, printed right under its ``FAIL`` line with no ``●``
    # block (jest < 20: ``Error: Worker process exited before responding! …``)
    _SUITE_ERROR = re.compile(r"^\s*(?:[A-Z]\w*)?Error: \S")

    def _suite_error(self, text: str, number: int) -> None:
        if number == self.after_fail + 1 and self._SUITE_ERROR.match(text):
            self.note(relative_path(self.file), message=text.strip(), line=number, raw=text)
        self.after_fail = 0

    def _in_block(self, block: TestBlock, text: str, number: int) -> None:
        if self._END.match(text) or text.startswith("⎯"):
            self.block = None
            return
        where = js_frame_location(text)
        if where:
            self.note(block.test, location=self._in_suite(where))
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

    def _in_suite(self, where: str) -> str:
        """A frame path relative to its project's root (jest ``projects``: ``a.test.js:8``
        for ``packages/api/a.test.js``) is the failing suite's file: the suite's path from
        the ``FAIL`` line ends with it."""
        path, _, line = where.rpartition(":")
        suite = relative_path(self.file) if self.file else ""
        if path and suite.endswith("/" + path):
            return f"{suite}:{line}"
        return where

    def tests(self) -> list[str]:
        return list(self.found) or self.crosses[:MAX_TESTS] or self._suites()

    def _suites(self) -> list[str]:
        """The files that stand in for their tests, but for a suite whose worker process
        died: no test in it failed, the kill (a signal, the OOM killer) is the cause."""
        out = []
        for path in self.files[:MAX_TESTS]:
            info = self.details.get(path) or self.details.get(relative_path(path))
            if not _worker_died(info.message if info else None):
                out.append(path)
        return out

    def failures(self) -> list[Failure]:
        out = []
        for test in self.tests():
            info = self.details.get(test) or self.details.get(relative_path(test))
            failure = (
                Failure(test, info.message, info.location, info.line) if info else Failure(test)
            )
            # a suite that could not load (its error is the message): a build failure
            # when no test ran anywhere, as a module pytest cannot import
            failure.load_error = test in self.unloaded
            out.append(failure)
        return out


def _worker_died(message: str | None) -> bool:
    """A suite's error saying its worker process died, not that its code failed to load
    (jest-worker: ``A jest worker process (pid=1) was terminated by another process``,
    ``Jest worker encountered 4 child process exceptions``; jest < 20: ``Error: Worker
    process exited before responding!``)."""
    text = (message or "").lower()
    return "worker" in text
