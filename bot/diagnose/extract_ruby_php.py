"""Failing-test extractors for RSpec, PHPUnit and Minitest.

One module per framework family keeps each family's formats readable on their own;
the identifier forms are listed in
:mod:`bot.diagnose.extractors`.
"""

from __future__ import annotations

import re

from .extract_core import (
    MAX_TESTS,
    Extractor,
    Failure,
    TestBlock,
    clip_message,
    is_test_location,
    relative_path,
    repo_location,
)


class RSpec(Extractor):
    name = "rspec"
    triggers = (
        r"^rspec \./\S+:\d+",
        r"^ +Failure/Error: ",
        r"^(?:bin/)?rails test \S+:\d+$",
        r"^Pending: \(Failures listed here are expected",
        r"^Failures:$",
    )
    follow = (r"^  \d+\) \S",)
    _RE = re.compile(r"^rspec (\./\S+\[[\d:]+\]|\./\S+?:\d+)(?: # (.*))?")
    _RAILS = re.compile(r"^(?:bin/)?rails test (\S+:\d+)$")
    _START = re.compile(r"^ *(\d+)\) (.+)$")
    _LOC = re.compile(r"^ +# (\./\S+?\.rb):(\d+)")
    _DETAIL = re.compile(r"^ +(?:expected|got|Diff|expected:|got:)\b")
    _SUB = re.compile(r"^\d+\.\d+\) (?=Failure/Error:)")

    def __init__(self) -> None:
        super().__init__()
        self.by_title: dict[str, Failure] = {}
        self.paths: dict[str, str] = {}  # test name -> its ``./spec/x_spec.rb:12`` id
        self.block: TestBlock | None = None
        self.reruns: list[str] = []  # ``rails test path:line`` re-run commands
        # ``  1) title`` whose next line is ``Failure/Error:``: the failures a paste cut
        # above the ``rspec ./spec/x_spec.rb:12 # title`` list still names
        self.titled: dict[str, TestBlock] = {}
        self.pending = False  # under RSpec's ``Pending:`` heading
        # after a bare ``Failure/Error:``: 1 in the code snippet, 2 past the blank line
        self.snippet = 0

    def fallback_failures(self) -> list[Failure]:
        return [Failure(test) for test in self.reruns]

    def feed(self, text: str, number: int = 0) -> None:
        rails = self._RAILS.match(text)
        if rails:
            if rails.group(1) not in self.reruns and len(self.reruns) < MAX_TESTS:
                self.reruns.append(rails.group(1))
            return
        m = self._RE.match(text)
        if m:
            # the example's full description is its name (what ``Failures:`` lists and
            # JUnit formatters report); the ``./spec/x_spec.rb:12`` re-run id only when
            # the line has no description
            title = (m.group(2) or "").strip()
            # the re-run line may cut a long description short: the ``Failures:``
            # header above printed it whole
            title = self._full_title(title)
            test = title or m.group(1)
            self.add(test)
            self.paths[test] = m.group(1)
            info = self.by_title.get(title)
            if info:
                self.note(test, info.message, info.location, info.line)
            rerun = m.group(1).rsplit(":", 1)
            if not (info and info.location) and rerun[1].isdigit():
                # a summary without the ``Failures:`` block: the example's line in its spec
                self.note(test, location=repo_location(*rerun))
            return
        if text.startswith(("Pending: (", "Failures:")):
            # ``Pending:`` lists the examples marked pending (a failure there is expected
            # and does not fail the run) before ``Failures:`` lists the ones that failed
            self.pending = text.startswith("Pending: (")
            self.block = None
            return
        m = self._START.match(text)
        if m:
            self.block = None if self.pending else TestBlock(m.group(2).strip(), number)
            self.snippet = 0
            return
        block = self.block
        if block is None:
            return
        loc = self._LOC.match(text)
        known = self.by_title.get(block.test)
        if known is not None:  # message taken: only a test file's frame may still follow
            if loc and is_test_location(where := repo_location(loc.group(1), loc.group(2))):
                if not is_test_location(known.location or ""):
                    known.location = where
                self.block = None
            return
        # ``aggregate_failures`` / several errors: ``1.1) Failure/Error: …`` sub-entries
        stripped = self._SUB.sub("", text.strip())
        # ``# ./spec/x_spec.rb:9`` is a backtrace line; ``#<Double "db"> received …`` is not
        frame_line = stripped.startswith("# ")
        if self._in_snippet(block, stripped, frame_line, number):
            return
        if stripped.startswith("Failure/Error:") and len(self.titled) < MAX_TESTS:
            self.titled.setdefault(block.test, block)
        if stripped.startswith("Failure/Error:") or (
            block.message
            and stripped
            and not frame_line
            and (self._DETAIL.match(text) or len(block.message) < 3)
        ):
            # the error's own lines follow Failure/Error (expected/got, an exception)
            block.take(stripped, number)
            return
        if not block.message and stripped and not frame_line:
            return  # the rest of a multi-line title
        if loc:
            where = repo_location(loc.group(1), loc.group(2))
            self.by_title[block.test] = Failure(
                block.test, clip_message(block.text() or ""), where, block.message_line
            )
            if is_test_location(where):
                self.block = None

    def _in_snippet(self, block: TestBlock, stripped: str, frame_line: bool, number: int) -> bool:
        """A bare ``Failure/Error:`` heads a snippet of the failing code several lines
        long, a blank line, then the error (``expected …``, ``SomeError:`` and its text):
        the error is the message, not the code. True when the line was read here."""
        if stripped == "Failure/Error:":
            if len(self.titled) < MAX_TESTS:
                self.titled.setdefault(block.test, block)
            self.snippet = 1
            return True
        if not self.snippet or frame_line:
            self.snippet = 0
            return False
        if not stripped:  # the snippet is over; the error comes next
            self.snippet = 2
        elif self.snippet == 2:
            block.take(stripped, number)
            self.snippet = 0
        return True

    def tests(self) -> list[str]:
        return list(self.found) or list(self.titled)

    def failures(self) -> list[Failure]:
        if self.found:
            return super().failures()
        out = []
        for title, block in self.titled.items():
            info = self.by_title.get(title)
            text = block.text()
            message = clip_message(text) if text else None
            out.append(info or Failure(title, message, None, block.message_line, block.raw))
        return out

    def _full_title(self, title: str) -> str:
        if not title or title in self.by_title:
            return title
        longer = [t for t in self.by_title if t.startswith(title + " ")]
        return longer[0] if len(longer) == 1 else title


class PHPUnit(Extractor):
    name = "phpunit"
    triggers = (r"^\d+\) [\w\\]+::\w+", r"^--- Expected$")
    follow = (r"^\d+\) [\w\\]+::\w+", r"^--- Expected$")
    _RE = re.compile(r"^\d+\) ([\w\\]+::\w+(?: with data set (?:\"[^\"]*\"|#\d+))?)")
    _LOC = re.compile(r"^(\S+\.php):(\d+)$")
    # a paste cut below the ``1) Class::test`` header: the diff, then the test file's line
    # (a ``.phpt`` test's own path: PHPUnit runs it as a test of its own)
    _HEADLESS_LOC = re.compile(r"^(\S+\.phpt?):(\d+)$")

    def __init__(self) -> None:
        super().__init__()
        self.block: TestBlock | None = None
        self.in_diff = False
        self.headless: tuple[str, int] | None = None  # a header-less diff's first ``+`` line

    def feed(self, text: str, number: int = 0) -> None:
        m = self._RE.match(text)
        if m:
            self.add(m.group(1), number)
            self.block = TestBlock(m.group(1), number)
            self.in_diff = False
            self.headless = None
            return
        block = self.block
        if block is None:
            if not self.found:
                self._headless(text, number)
            return
        # a path:line inside the failure's diff (``+  ./src/x/FooTest.php:28``, a context
        # line ``     ./src/…``) is dumped text, not a frame of the trace: the diff runs
        # from ``--- Expected`` to the blank line before the trace
        if text.strip() == "--- Expected":
            self.in_diff = True
        elif not text.strip():
            self.in_diff = False
        loc = None if self.in_diff else self._LOC.match(text.strip())
        if loc:
            if "/vendor/" not in loc.group(1):
                # an error's trace lists the code under test first; the test's own file
                # (named after its class) is where it failed, when the trace reaches it.
                # PHP class names are case-insensitive and projects that load tests by
                # their own convention name the file in another case (``Count_test`` in
                # ``count_test.php``), so the name is compared without case
                where = repo_location(loc.group(1), loc.group(2))
                test_class = block.test.split("::")[0].rsplit("\\", 1)[-1]
                if loc.group(1).lower().endswith(f"/{test_class.lower()}.php"):
                    self.details[block.test].location = where
                    self.block = None
                else:
                    self.note(block.test, location=where)
            return
        if text.strip() and not block.message:
            block.take(text, number)
            self.note(block.test, message=text, line=number)

    def _headless(self, text: str, number: int) -> None:
        """Before any ``N) Class::test`` header (the paste starts at the diff): the diff's
        first actual (``+``) line is what the test printed instead, and the path:line after
        the diff's blank line names the test file: its path is the test's name."""
        stripped = text.strip()
        if stripped == "--- Expected":
            self.in_diff, self.headless = True, None
        elif self.in_diff and stripped.startswith("+") and not stripped.startswith("+++"):
            if self.headless is None:
                # a multi-line string's diff shows each line's end as a literal ``\n``
                said = stripped[1:].strip("'\"").removesuffix("\\n").strip("'\"")
                self.headless = (said, number)
        elif not stripped:
            self.in_diff = False
        elif not self.in_diff and self.headless is not None:
            loc = self._HEADLESS_LOC.match(stripped)
            if loc and "/vendor/" not in loc.group(1):
                test = relative_path(loc.group(1))
                message, line = self.headless
                self.add(test, line)
                self.note(test, message=message, line=line, location=repo_location(*loc.groups()))
            self.headless = None


DIFF_LINES = 5  # ``--- expected``, ``+++ actual``, ``@@ … @@``, ``-old``, ``+new``


class Minitest(Extractor):
    name = "minitest"
    # numbered (minitest's own reporter) or bare (Rails' and minitest-reporters') headers
    triggers = (r"^ +\d+\) (?:Failure|Error):$", r"^(?:Failure|Error):$")
    follow = triggers
    _START = re.compile(r"^ *(?:\d+\) )?(?:Failure|Error):$")
    # ``Class#test_name [path:line]:`` — the class may be a spec's describe text
    # (``minitest-rg#test_0002_fails``) and the method any text after ``#test``
    # (``#test_fallbacks:_nils_are_ignored,_with_custom_rule``)
    # (``Class#test_name [path:line]`` without the colon: minitest-reporters' Default
    # reporter, whose ``Failure:`` block ends the header at the location; shoulda-style
    # names end in a space, which the separator absorbs)
    _TEST = re.compile(r"^([^#\[\s][^#\[]*#test[^\[]*?)(?: +\[([^\]]+?):(\d+)\]:?|:)$")
    # the lines of assert_equal's diff after its ``--- expected`` line
    _DIFF = re.compile(r"^(?:\+\+\+ |@@ |[-+])")
    _FRAME = re.compile(r"^\s+(\S+\.rb):(\d+):in ")
    # an unindented frame, with what it ran in (``block in <class:FooTest>``, ``test_x``)
    _CARRIED_FRAME = re.compile(r"^(\S+\.rb):(\d+):in [`'](.*)'$")
    # rake's abort report on stderr, which CI logs interleave line by line with the
    # report minitest prints on stdout: never a test's name or message
    _RAKE = re.compile(
        r"^(?:rake aborted!|Command failed with status|Tasks: TOP =>|\(See full trace"
        r"|\S+:\d+:in [`']|Finished (?:tests )?in )"
    )
    _LOOKAHEAD = 3  # lines after a header that may hold the test's name

    def __init__(self) -> None:
        super().__init__()
        self.expect_test = 0
        self.block: TestBlock | None = None
        self.header = ""  # the current test's ``Class#test [path:line]:`` line

    def feed(self, text: str, number: int = 0) -> None:
        if self._START.match(text):
            self.expect_test, self.block = self._LOOKAHEAD, None
            return
        stripped = text.strip()
        if self.expect_test:
            self.expect_test -= 1
            m = self._TEST.match(stripped)
            if m:
                self.expect_test = 0
                self.add(m.group(1), number)
                self.block = TestBlock(m.group(1), number)
                self.header = text
                if m.group(2):
                    self.note(m.group(1), location=repo_location(m.group(2), m.group(3)))
            elif stripped and not self._RAKE.match(stripped):
                self.expect_test = 0
            return
        block = self.block
        if block is None:
            return
        frame = self._FRAME.match(text)
        if frame:
            if "/gems/" not in frame.group(1):
                # the first frame, or the test file's frame below library code
                self.note(block.test, location=repo_location(frame.group(1), frame.group(2)))
            return
        carried = self._CARRIED_FRAME.match(text)
        if carried:
            # an unindented frame: a trace the message carries (a subprocess the test ran,
            # ``rails aborted!``); only the frame running the test itself says where in it
            if self._runs_test(block.test, carried.group(3)):
                self.note(block.test, location=repo_location(carried.group(1), carried.group(2)))
            return
        if re.match(r"^\d+ (?:runs|tests), ", text):
            self.block = None
            return
        if stripped and not block.message and not self._RAKE.match(stripped):
            block.take(text, number)
            if stripped == "--- expected":
                # assert_equal's diff says nothing in its first line: the key line is the
                # header naming the test and where; the diff's lines are the message
                block.raw, block.message_line = self.header, block.start
            self.set_message(block)
        elif stripped and block.message[:1] == ["--- expected"] and self._DIFF.match(stripped):
            block.take(text, number, limit=DIFF_LINES)
            self.set_message(block)
        elif stripped.startswith("Actual:") and (block.text() or "").startswith("Expected:"):
            block.take(text, number)  # assert_equal prints ``Expected: 2`` / ``Actual: 1``
            if block.raw is not None and self.header:
                # which test compared what, and where, is in the header above the pair: the
                # key line shows the header followed by the values
                block.raw = f"{self.header.strip()} {block.raw.strip()}"
            self.set_message(block)

    @staticmethod
    def _runs_test(test: str, where: str) -> bool:
        """A frame's ``in`` part names the test: its method (``test_adds``, a block in it,
        Ruby 3.4's ``CalcTest#test_adds``) or the body of its class (``block in <class:CalcTest>``,
        where Rails' ``test "adds" do`` blocks run)."""
        cls, _, method = test.partition("#")
        cls = cls.rpartition("::")[2]
        if not (cls and method):
            return False
        runs = where.rpartition("#")[2].rpartition(" ")[2]  # ``block in test_adds`` too
        return runs == method or where.endswith(f"<class:{cls}>")


class PhpRunTests(Extractor):
    """php-src's ``run-tests.php`` (PHP itself and its extensions' ``make test``): a failing
    ``.phpt`` prints ``FAIL <title> [<path>.phpt]``; with ``-P``/``--show-diff`` its diff
    comes first, between ``========DIFF========`` and ``========DONE========``, one line a
    side (``005+ actual`` / ``005- expected``). The test is the ``.phpt`` path (what
    ``run-tests.php`` re-runs); the message the first line the test printed that it
    should not have (``+``). ``XFAIL`` tests print a diff too and are not failures."""

    name = "php-run-tests"
    triggers = (r"^FAIL .* \[\S+\.phpt\]", r"^={8}DIFF={8}$")
    follow = (r"^={8}DIFF={8}$",)
    _FAIL = re.compile(r"^FAIL .* \[(\S+\.phpt)\](?:\s|$)")
    _ADDED = re.compile(r"^\d+\+ ?(.*\S)")

    def __init__(self) -> None:
        super().__init__()
        self.diff: list[tuple[int, str, str]] = []
        self.in_diff = False

    def feed(self, text: str, number: int = 0) -> None:
        stripped = text.strip()
        if stripped == "========DIFF========":
            self.in_diff, self.diff = True, []
            return
        if stripped == "========DONE========":
            self.in_diff = False
            return
        if self.in_diff:
            m = self._ADDED.match(stripped)
            if m and len(self.diff) < 3:
                self.diff.append((number, m.group(1), text))
            return
        m = self._FAIL.match(stripped)
        if m is None:
            if stripped:
                self.diff = []  # a diff belongs to the result line right after it
            return
        test = m.group(1)
        self.add(test, number)
        if self.diff:
            line, message, raw = self.diff[0]
            self.note(test, message=message, line=line, raw=raw)
        self.diff = []


class Pest(Extractor):
    """Pest (v1-v3, on Collision's printer): a file's header ``   FAIL  Tests\\Unit\\CalcTest``
    and its failed tests ``  ⨯ it adds  0.01s`` (v1: ``✕``), then per failure ``
    FAILED  Tests\\Unit\\CalcTest > it adds``, its message on the next line and ``at
    tests/Unit/CalcTest.php:5``. The test is ``Class > name`` as the FAILED line prints it;
    a paste cut to the progress tree names it from the header and the ``⨯`` line. The
    header's namespaced class (backslashes, no file extension) is Pest's, so a jest
    extractor's ``FAIL file`` reading of it is dropped when Pest named tests."""

    name = "pest"
    subsumes = ("jest",)
    # Collision before Pest 2 (``artisan test``) heads a failure ``  • Tests\Unit\CalcTest > it
    # adds`` instead of ``FAILED``
    _FAILED_RE = r"^\s*(?:FAILED\s+\S+|• +[A-Z]\w*(?:\\\w+)+) > .+"
    _HEADER_RE = r"^\s*FAIL\s+([A-Z]\w*(?:\\\w+)+)\s*$"
    triggers = (_FAILED_RE, _HEADER_RE)
    follow = triggers
    _FAILED = re.compile(r"^\s*(?:FAILED\s+|• +(?=[A-Z]\w*(?:\\\w+)+ > ))(\S+ > .+?)\s*$")
    _HEADER = re.compile(_HEADER_RE)
    _CROSS = re.compile(r"^\s*[⨯✕] (\S.*?)(?:\s+[\d.]+m?s)?\s*$")
    # a line of the progress tree (a paste's margin may have taken its indent)
    _TREE = re.compile(r"^\s*[✓✔⨯✕\-!…] \S")
    _AT = re.compile(r"^\s*at (\S+\.php):(\d+)\s*$")

    def __init__(self) -> None:
        super().__init__()
        self.current: str | None = None  # the FAILED test whose message is next
        self.cls: str | None = None  # the header's class, in the progress tree
        self.crossed: list[str] = []

    def feed(self, text: str, number: int = 0) -> None:
        failed = self._FAILED.match(text)
        if failed:
            self.current, self.cls = failed.group(1), None
            self.add(self.current, number)
            return
        header = self._HEADER.match(text)
        if header:
            self.cls, self.current = header.group(1), None
            return
        if self.cls is not None:
            cross = self._CROSS.match(text)
            if cross and len(self.crossed) < MAX_TESTS:
                self.crossed.append(f"{self.cls} > {cross.group(1)}")
            elif not text.strip() or not (text.startswith(" ") or self._TREE.match(text)):
                self.cls = None
            return
        if self.current is None or not text.strip():
            return
        at = self._AT.match(text)
        if at:
            self.note(self.current, location=repo_location(at.group(1), at.group(2)))
            self.current = None
        elif self.current not in self.details or not self.details[self.current].message:
            self.note(self.current, message=text.strip(), line=number, raw=text)

    def tests(self) -> list[str]:
        return list(self.found) or list(dict.fromkeys(self.crossed))
