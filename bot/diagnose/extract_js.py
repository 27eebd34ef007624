"""Failing-test extractors for JavaScript runners: mocha, node:test and TAP, Playwright, ava.

One module per framework family keeps each family's formats readable on their own;
jest and vitest are in :mod:`bot.diagnose.extract_jest`; the identifier forms are
listed in :mod:`bot.diagnose.extractors`.
"""

from __future__ import annotations

import re

from .extract_core import (
    MAX_TESTS,
    NOT_USER_CODE,
    Extractor,
    Failure,
    TestBlock,
    is_test_location,
    js_frame_location,
    repo_location,
)

# what follows a mocha failure's title: the error's own line (``AssertionError …:``,
# ``CypressError: …``, ``Error: Timeout …``)
_ERROR_LINE = re.compile(r"^(?:\w+\.)*\w*(?:Error|Exception)\b(?: \[[\w.-]+\])?:")
# continuation lines of other frameworks' numbered entries (RSpec, Minitest)
_NOT_A_TITLE = ("Failure/Error:", "Got ", "Failure:", "Error:")
_EPILOGUE_1X = r"^ *[✖×] \d+ of \d+ tests? failed:?$"
# Cypress's ``(Run Finished)`` table: a failed spec's row ``│ ✖  login.cy.js  00:06  2  1
# 1  -  - │``; a paste of the table alone names the spec files that failed
_CYPRESS_ROW = r"^ *│ ✖ +(\S+) +\d+:\d+ "
# a bundler's frame names the source file as a URL: ``webpack:///./cypress/e2e/a.cy.js``,
# ``webpack://my-app/./src/a.js``
_BUNDLED = re.compile(r"^webpack://[^/]*/(?:\./)?")


class Mocha(Extractor):
    name = "mocha"
    # an entry whose first title is empty (a root-level ``describe("")``, as TypeScript's
    # test harness has) prints ``  1) `` alone, its titles on the lines below
    # mocha 1.x's epilogue heads the list with ``  ✖ 1 of 106 tests failed:`` (``×`` on
    # Windows) instead of ``N failing``; a paste may have lost the list's two-space margin
    triggers = (
        r"^ *\d+ failing$",
        _EPILOGUE_1X,
        r"^ {0,2}\d+\) \S",
        r"^  \d+\)\s*$",
        _CYPRESS_ROW,
    )
    follow = (r"^ *\d+ failing$", _EPILOGUE_1X, r"^ {0,2}\d+\) \S", r"^  \d+\)\s*$")
    _START = re.compile(r"^ {0,2}(\d+)\)(?: (.+)|\s*)$")
    _HEAD = re.compile(rf"^ *\d+ failing$|{_EPILOGUE_1X}")
    _EXCERPT_START = re.compile(r"^( {0,2})(\d+)\) (\S.*)$")
    _SPEC_ROW = re.compile(_CYPRESS_ROW)

    def __init__(self) -> None:
        super().__init__()
        self.active = False
        self.parts: list[str] | None = None
        self.block: TestBlock | None = None
        self.start = 0
        # an entry seen without ``N failing``: (title parts, line, title complete, indent)
        self.tentative: tuple[list[str], int, bool, int] | None = None
        self.specs: list[str] = []  # Cypress's failed spec files, from its run table

    def feed(self, text: str, number: int = 0) -> None:
        row = self._SPEC_ROW.match(text) if "│ ✖" in text else None
        if row:
            if row.group(1) not in self.specs and len(self.specs) < MAX_TESTS:
                self.specs.append(row.group(1))
            return
        if self._HEAD.match(text):
            self.active, self.parts, self.block = True, None, None
            self.tentative = None
            return
        if not self.active:
            self._excerpt(text, number)
            return
        m = self._START.match(text)
        if m:
            self.block = None
            self.start = number
            first = (m.group(2) or "").strip()
            self.parts = [first] if first else []
            if first.endswith(":"):
                self._finish()
            return
        if self.parts is not None:
            part = text.strip()
            if not part and not self.parts and number - self.start <= 2:
                return  # the empty first title's own line
            if not part or not text.startswith("     "):
                self.parts = None
                return
            self.parts.append(part)
            if part.endswith(":"):
                self._finish()
            return
        if self.block is not None:
            self._block_line(text, number)

    def _excerpt(self, text: str, number: int) -> None:
        """An excerpt without the ``N failing`` line (pasted in an issue, or a wrapper's
        own summary): a failure entry is taken only in mocha's whole shape — ``N) suite``,
        title lines indented deeper, the last ending in ``:``, then an error line. Indents
        are relative to the header's: a paste may have lost mocha's two-space margin."""
        m = self._EXCERPT_START.match(text)
        if m:
            title = m.group(3).strip()
            self.block = None
            self.tentative = None
            if not title.startswith(_NOT_A_TITLE):
                indent = len(m.group(1))
                self.tentative = ([title], number, title.endswith(":"), indent)
            return
        state = self.tentative
        if state is None:
            if self.block is not None:
                self._block_line(text, number)
            return
        parts, start, titled, indent = state
        stripped = text.strip()
        depth = len(text) - len(text.lstrip(" "))
        if not titled:
            if depth < indent + 3 or stripped.startswith(_NOT_A_TITLE):
                self.tentative = None
                return
            parts.append(stripped)
            self.tentative = (parts, start, stripped.endswith(":"), indent)
            return
        if not stripped:
            return
        self.tentative = None
        if depth >= indent + 2 and _ERROR_LINE.match(stripped):
            self.parts, self.start = parts, start
            self._finish()
            self._block_line(text, number)

    def tests(self) -> list[str]:
        return list(self.found) or self.specs

    def _block_line(self, text: str, number: int) -> None:
        assert self.block is not None
        where = js_frame_location(text)
        where = _BUNDLED.sub("", where) if where and where.startswith("webpack:") else where
        if where:
            self.note(self.block.test, location=where)
            if is_test_location(where):  # else a later frame may be the test file's
                self.block = None
        elif text.strip() and not self.block.message:
            self.block.take(text, number)
            self.note(self.block.test, message=text, line=number)

    def _finish(self) -> None:
        assert self.parts is not None
        title = " ".join(self.parts)
        test = title[:-1] if title.endswith(":") else title
        self.add(test, self.start)
        self.block = TestBlock(test.strip(), self.start)
        self.parts = None


# PostgreSQL 16+'s pg_regress (``src/test/regress/pg_regress.c``, ``test_status_print``):
# ``not ok 2     - boolean                    30 ms`` (``+`` a test of a parallel group); the
# name is the word after the sign, the padding and the run time are not part of it
_PG_REGRESS = re.compile(r"^not ok \d+ +[-+] (\S+) +\d+ ms$")


class NodeTest(Extractor):
    name = "node:test"
    # TAP: ``not ok 2 - name`` (node:test) or ``not ok 2 name`` (mocha's tap reporter,
    # bats): the dash is optional in TAP
    # node 20+'s spec reporter lists ``✖ failing tests:`` each under ``test at path:L:C``
    triggers = (r"^ *not ok \d+ ", r"^ *✖ \S", r"^ *▶ \S", r"^ *test at \S+:\d+:\d+$")
    # ``TAP version`` follows too: tape names a test by a ``# name`` comment before its
    # assertions, which must be fed even when its first assertion passed
    follow = (r"^ *not ok \d+ ", r"^ *✖ \S", r"^TAP version \d+$")
    _TAP = re.compile(r"^( *)not ok \d+ (?:- )?(.+?)(?: # (?:SKIP|TODO)\b.*)?$")
    _POINT = re.compile(r"^(?:not )?ok \d+\b|^ {2,}\.\.\.$")
    # tape: ``# name`` heads a test's flat assertions (not node:test's ``# Subtest:``,
    # node-tap's ``# time=``, nor the summary's ``# tests 3`` / ``# pass 2`` / ``# ok``)
    _TAPE_HEAD = re.compile(r"^# (\S.*?)\s*$")
    _NOT_HEAD = re.compile(r"^# (?:Subtest: |time=)")
    _TAP_SUMMARY = re.compile(
        r"^# (?:tests|suites|pass|fail|failed|cancelled|skipped|skip|todo|duration_ms)"
        r" [\d.]+$|^# ok$"
    )
    _SPEC = re.compile(r"^ *✖ (.+?) \([\d.]+m?s\)$")
    _TEST_AT = re.compile(r"^ *test at (\S+?):(\d+):\d+$")
    _PARENT = re.compile(r"^ *▶ (.+?)(?: \([\d.]+m?s\))?$")
    _YAML = re.compile(
        r"^ +(duration_ms|location|failureType|error|code|name|expected|actual|operator"
        r"|stack|type|cause|severity|exitcode): *(.*)$"
    )
    _STACK = re.compile(
        r"^\s+(?:\S.*? \()?((?:file://)?/[^\s()]+|[\w.][\w./-]*\.[cm]?[jt]sx?):(\d+):\d+\)?$"
    )

    def __init__(self) -> None:
        super().__init__()
        self._last_indent = -1
        self.spec: list[str] = []
        self.block: TestBlock | None = None
        self.want_error_body = 0
        self.want_stack_body = False  # Node's tools/test.py: its ``stack`` is the message
        self.parents: set[str] = set()
        self.points: list[tuple[str, int, bool]] = []  # open TAP points: name, indent, timed
        self.timed: set[str] = set()  # points whose YAML has duration_ms (node:test)
        self.tap = False  # a ``TAP version`` line was fed
        self.tape_head: str | None = None  # the ``# name`` the next flat points belong to
        self.in_point = False  # between a ``not ok`` and its YAML's end: diagnostics
        self.last_number = 0
        self.test_at: tuple[str, int] | None = None  # the last ``test at``: (path:L, line)

    def _close_parent(self, name: str, indent: int, timed: bool) -> None:
        """node-tap: a sub-test's failing points are its assertions (no ``duration_ms``;
        the sub-test's own line has ``# time=``): the sub-test is the failing test and its
        first failed assertion the message. node:test's points are tests themselves."""
        children = [p for p in self.points if p[1] > indent]
        self.points = [p for p in self.points if p[1] <= indent]
        assertions = timed and all(not c[2] and c[0] not in self.timed for c in children)
        if not (children and assertions):
            return
        first = self.details.get(children[0][0])
        at = self.found.index(children[0][0]) if children[0][0] in self.found else len(self.found)
        self.found = [t for t in self.found if t not in {c[0] for c in children}]
        self.found.insert(min(at, len(self.found)), name)
        info = self.details.setdefault(name, Failure(name))
        if first is not None:  # an assertion's name is its message (``not ok 2 - name``)
            info.message, info.location, info.line = first.test, first.location, first.line
        self.points.append((name, indent, True))

    def _tape(self, text: str, number: int) -> bool:
        """tape: a ``# name`` comment heads the flat TAP points that follow it; the
        failing test is that name and its first failing assertion (``not ok 6 no
        errors``) the message. Only while every line since the comment was fed (a
        skipped stretch may hide the next test's comment) and outside a failing point's
        diagnostics (bats prints ``# (in test file …)`` comments after ``not ok``)."""
        contiguous, self.last_number = number == self.last_number + 1, number
        if text.startswith("TAP version "):
            self.tap, self.tape_head, self.in_point = True, None, False
            return False
        if not self.tap:
            return False
        if not contiguous:
            self.tape_head = None
        head = self._TAPE_HEAD.match(text)
        if head and not self.in_point:
            other = self._TAP_SUMMARY.match(text) or self._NOT_HEAD.match(text)
            self.tape_head = None if other else head.group(1)
            self.block = None
            return True
        point = self._POINT.match(text)
        if point:
            self.in_point = text.startswith("not ok ")
        if self.tape_head is None or not text.startswith("not ok "):
            return False
        m = self._TAP.match(text)
        if m is None or " # SKIP" in text or " # TODO" in text:
            return False
        test, self.block = self.tape_head, None
        if test not in self.found and len(self.found) < MAX_TESTS:
            self.add(test, number)
            self.note(test, message=m.group(2).strip(), line=number, raw=text)
            block = TestBlock(test, number)  # for the location its YAML ``at:`` gives
            block.message, block.closed_message = [m.group(2).strip()], True
            self.block = block
        return True

    def feed(self, text: str, number: int = 0) -> None:
        if self._tape(text, number):
            return
        m = self._PARENT.match(text)
        if m:  # spec reporter: ``▶ name`` opens a suite or a test with sub-tests
            self.block = None
            if len(self.parents) < MAX_TESTS:
                self.parents.add(m.group(1))
            return
        m = self._TAP.match(text)
        if m:
            self.block = None
            if " # SKIP" in text or " # TODO" in text:
                return
            indent = len(m.group(1))
            name = m.group(2).split(" # time=")[0].strip()
            pg = _PG_REGRESS.match(text)
            name = pg.group(1) if pg else name
            timed = " # time=" in m.group(2)
            # TAP prints a parent's result after its subtests: skip failing parents.
            if not (self.found and indent < self._last_indent):
                self.add(name, number)
                self.block = TestBlock(name, number)
                self.points.append((name, indent, timed))
            else:
                self._close_parent(name, indent, timed)
            self._last_indent = indent
            return
        m = self._TEST_AT.match(text) if text.lstrip().startswith("test at ") else None
        if m:
            self.test_at = (repo_location(m.group(1), m.group(2)), number)
            return
        m = self._SPEC.match(text)
        if m:
            self.block = None
            name = m.group(1)
            if name not in self.spec and not name.startswith("failing tests"):
                self.spec.append(name)
                self.note(name, line=number)
                self.block = TestBlock(name, number)
            if self.test_at and self.test_at[1] == number - 1 and name in self.spec:
                self.note(name, location=self.test_at[0])  # a frame in the test file wins
            return
        if self.block is not None:
            self._in_block(self.block, text, number)

    def _in_block(self, block: TestBlock, text: str, number: int) -> None:
        stripped = text.strip()
        if stripped in ("...", "") and block.message:
            if stripped == "...":
                self.block = None
            return
        if self.want_stack_body:
            self.want_stack_body = False
            if stripped and not self._YAML.match(text) and not self._STACK.match(text):
                block.take(stripped, number)
                self.note(block.test, message=stripped, line=number)
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
            if key == "duration_ms" and len(self.timed) < MAX_TESTS:
                self.timed.add(block.test)
            if key == "stack" and not block.message and value in ("|-", "|"):
                # Node's tools/test.py: no ``error``, the test's output under ``stack``
                # (``timeout`` first when the harness stopped it)
                self.want_stack_body = True
            elif key == "error":
                if value in ("|-", "|", ">-", ">"):
                    self.want_error_body = 2
                else:
                    self.note(block.test, message=value.strip("'\""), line=number)
            elif key == "location" and value:
                path, _, rest = value.strip("'\"").rpartition(":")
                path, _, line = path.rpartition(":") if path.count(":") else (path, "", rest)
                if line.isdigit():
                    self.note(block.test, location=repo_location(path, line))
            return
        frame = self._STACK.match(text)
        if frame and not any(bad in frame.group(1) for bad in NOT_USER_CODE):
            # a stack frame in the test file beats the test's declaration ``location``
            if not block.locations:
                block.locations.append(repo_location(frame.group(1), frame.group(2)))
                info = self.details.setdefault(block.test, Failure(block.test))
                info.location = block.locations[0]
            return
        # a thrown string or t.plan's failure prints inspected: ``'plan expected 2 …'``
        quoted = len(stripped) > 2 and stripped[0] == stripped[-1] == "'"
        if (
            not block.message
            and stripped
            and not stripped.startswith(("---", "duration_ms"))
            and (":" in stripped or quoted)
            and text.startswith("  ")
        ):
            block.take(stripped, number)
            self.note(block.test, message=stripped[1:-1] if quoted else stripped, line=number)

    def tests(self) -> list[str]:
        return list(self.found) or self._spec_tests()[:MAX_TESTS]

    def _spec_tests(self) -> list[str]:
        """The spec reporter closes a parent with ``✖ name`` when a sub-test failed; like
        TAP's failing parents it is not a failure of its own unless it has an error."""
        own = [
            name
            for name in self.spec
            if name not in self.parents or (name in self.details and self.details[name].message)
        ]
        return own or self.spec


class Playwright(Extractor):
    """Playwright's list/line reporters: a numbered block per failed test (``  1) [project]
    › file:L:C › title ───`` then its error and frames); at the end, the summary's lists
    (``  1 failed`` then the tests indented by four, ``  1 flaky``, ``  2 passed (8s)``). A
    paste of the summary alone names the failed tests from its ``failed`` list only."""

    name = "playwright"
    # a pasted excerpt may lose the block's margin; the list reporter's result line
    # ``  ✘  3 [chromium] › a.spec.ts:3:5 › title (5.1s)`` names a failure as it runs
    triggers = (
        r"^ *\d+\) (?:\[[\w -]+\] › )?\S+:\d+:\d+ › ",
        r"^ {0,2}\d+ failed$",
        r"^ *✘ +(?:\d+ )?(?:\[[\w -]+\] › )?\S+:\d+:\d+ › ",
    )
    follow = triggers[:2]
    _HEAD = re.compile(r"^ *\d+\) ((?:\[[\w -]+\] › )?\S+:\d+:\d+ › .+?) ?─*$")
    _LIST_X = re.compile(
        r"^ *✘ +(?:\d+ )?((?:\[[\w -]+\] › )?\S+:\d+:\d+ › .+?)"
        r"(?: \(retry #\d+\))?(?: \([\d.]+m?s\))?$"
    )
    _AT = re.compile(r"^\s+at (?:.*\()?(\S+?):(\d+):\d+\)?$")
    # a paste may lose the summary's own two-space margin (an excerpt's indent is dropped)
    _SUMMARY_HEAD = re.compile(
        r"^ {0,2}\d+ (failed|flaky|passed|skipped|did not run|interrupted)\b"
    )
    _LISTED = re.compile(r"^ {2,4}((?:\[[\w -]+\] › )?\S+:\d+:\d+ › .+?) ?─*$")

    def __init__(self) -> None:
        super().__init__()
        self.block: TestBlock | None = None
        self.in_failed = False  # inside the summary's ``N failed`` list
        self.listed: list[tuple[str, int, str]] = []  # (test, log line, the line as printed)

    def _summary(self, text: str, number: int) -> bool:
        """The summary's lists: True when ``text`` was one of their lines."""
        crossed = self._LIST_X.match(text) if "✘" in text else None
        if crossed:
            if crossed.group(1) not in (t for t, _, _ in self.listed):
                self.listed.append((crossed.group(1).strip(), number, text))
            return True
        head = self._SUMMARY_HEAD.match(text)
        if head:
            self.in_failed = head.group(1) == "failed"
            self.block = None
            return True
        listed = self._LISTED.match(text) if self.in_failed else None
        if listed:
            if len(self.listed) < MAX_TESTS:
                self.listed.append((listed.group(1).strip(), number, text))
            return True
        self.in_failed = False
        return False

    def tests(self) -> list[str]:
        return list(self.found) or [test for test, _, _ in self.listed]

    def failures(self) -> list[Failure]:
        if self.found:
            return super().failures()
        return [Failure(test, line=number, raw=raw) for test, number, raw in self.listed]

    def feed(self, text: str, number: int = 0) -> None:
        if self._summary(text, number):
            return
        m = self._HEAD.match(text)
        if m:
            test = m.group(1).strip()
            self.add(test, number)
            self.block = TestBlock(test, number)
            return
        block = self.block
        if block is None:
            return
        at = self._AT.match(text)
        if at and "node_modules" not in at.group(1):
            where = repo_location(at.group(1), at.group(2))
            self.note(block.test, location=where)
            if is_test_location(where):  # else a later frame may be the test file's
                self.block = None
            return
        stripped = text.strip()
        if stripped and not block.message and not stripped.startswith(("╔", "║", "╚")):
            block.take(text, number)
            self.set_message(block)


class Ava(Extractor):
    """ava: ``✘ [fail]: title`` while running, then per failure a block — the title, the
    test's ``path:line``, a numbered code excerpt, the assertion's own lines (a message,
    ``Difference (- actual, + expected):``, an error) and ``› path:line:col`` frames.
    ava 3 marks a failed test ``✖ title`` (``✘ [fail]:`` since ava 4); that mark is
    common (eslint's ``✖ 3 problems``, node:test's spec lines), so such a line names a
    test only in a run whose details or ``N tests failed`` summary are ava's."""

    name = "ava"
    triggers = (r"^ *✘ \[fail\]: \S", r"^ *─$", r"^ *\d+ tests? failed$")
    follow = (r"^ *─$", r"^ {0,2}\S+\.[cm]?[jt]sx?:\d+$")
    _FAIL = re.compile(r"^ *✘ \[fail\]: (.+?)\s*$")
    # not a count (``✖ 1 of 2 failed``) nor node:test's timed ``✖ name (1.2ms)``
    _FAIL_3 = re.compile(r"^ *✖ (?!\d+ )(.+?)\s*$")
    _SUMMARY = re.compile(r"^ *\d+ tests? failed$")
    # a paste loses the reporter's two-space margin (every line has it)
    _WHERE = re.compile(r"^ {0,2}(\S+\.[cm]?[jt]sx?):(\d+)$")
    _EXCERPT = re.compile(r"^ +\d+: ")

    def __init__(self) -> None:
        super().__init__()
        self.running: list[str] = []
        self.running_3: list[str] = []  # ava 3's ``✖ title``: a test once ava's is seen
        self.summary = False
        self.in_details = False
        self.title: tuple[str, int] | None = None  # the last plain line: maybe a title
        self.block: TestBlock | None = None

    def feed(self, text: str, number: int = 0) -> None:
        m = self._FAIL.match(text)
        if m:
            if m.group(1) not in self.running and len(self.running) < MAX_TESTS:
                self.running.append(m.group(1))
            return
        m = self._FAIL_3.match(text) if "✖" in text else None
        if m and not text.rstrip().endswith("s)"):
            if m.group(1) not in self.running_3 and len(self.running_3) < MAX_TESTS:
                self.running_3.append(m.group(1))
            return
        if "failed" in text and self._SUMMARY.match(text):
            self.summary = True
            return
        if text.strip() == "─":
            self.in_details = bool(self.running or self.running_3) and not self.in_details
            self.block = self.title = None
            return
        if not self.in_details or not text.strip():
            return
        where = self._WHERE.match(text)
        if where and self.title:
            test = self.title[0]
            self.add(test, self.title[1])
            self.block = TestBlock(test, number)
            self.note(test, location=repo_location(where.group(1), where.group(2)))
            return
        if text.lstrip().startswith("›"):  # the failure's frames: its block ends
            self.block = self.title = None
            return
        block = self.block
        if block is None:
            self.title = (text.strip(), number) if not text.startswith("   ") else None
        elif not block.message and not self._EXCERPT.match(text):
            block.take(text, number)
            self.set_message(block)

    def tests(self) -> list[str]:
        # a title from the details names the test without the inline message that the
        # ``✘ [fail]:`` line may carry after it
        return list(self.found) or self.running or (self.running_3 if self.summary else [])
