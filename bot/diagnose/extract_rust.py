"""Failing-test extractor for ``cargo test`` (libtest's pretty, terse and JSON formats,
cargo-nextest), split from :mod:`bot.diagnose.extract_go_rust` when that passed 600 lines."""

from __future__ import annotations

import json
import re

from .extract_core import (
    MAX_MESSAGE_LINES,
    MAX_TESTS,
    Extractor,
    Failure,
    TestBlock,
    clip_message,
    repo_location,
)


class CargoTest(Extractor):
    name = "cargo"
    triggers = (
        r"^test \S+(?: - should panic)? \.\.\. FAILED$",
        r"^test \S+ - .+ \(line \d+\)(?: - [\w ]+)? \.\.\. FAILED$",
        r"^note: test did not panic as expected",
        r"^\S+ --- FAILED$",
        r"^\s*(?:FAIL|TIMEOUT|SIG[A-Z]+|ABORT|LEAK-FAIL) \[ *[\d.]+s\] (?:\( *\d+/\d+\) )?\S+ \S+$",
        r"^---- \S+(?: - .+ \(line \d+\)(?: - [\w ]+)?)? stdout ----$",
        r"^\s*thread '[^']*' (?:\(\d+\) )?panicked at ",
        r"^failures:$",
        r'^\{ "type": "test", "name": "',
        r"^test \S+ \.\.\. thread '",
        r"^--- STD(?:OUT|ERR): +\S+ \S+",
    )
    # a CI that indents the test's captured output (AppVeyor: a tab) indents the panic too
    follow = (
        r"^\s*thread '[^']*' (?:\(\d+\) )?panicked at ",
        r"^failures:$",
        r"^test \S+ \.\.\. thread '",
        r"^--- STD(?:OUT|ERR): +\S+ \S+",
        r"^\s*(?:FAIL|SIG[A-Z]+|ABORT) \[ *[\d.]+s\] ",
    )
    # libtest's closing list: ``failures:`` then each failed test's name indented by four,
    # a blank line and ``test result: FAILED.`` — a paste of the run's end keeps only it
    # (https://doc.rust-lang.org/book/ch11-01-writing-tests.html)
    _LISTED = re.compile(
        r"^ {4}([A-Za-z_]\w*(?:::[A-Za-z_]\w*)*|\S+\.rs - .+ \(line \d+\)(?: - [\w ]+)?)$"
    )
    _RE = re.compile(
        r"^(?:test (\S+(?: - .+ \(line \d+\)(?: - [\w ]+)?)?)(?: - should panic)? \.\.\. FAILED"
        r"|(\S+) --- FAILED"
        # nextest's status column: a failure, a timeout, a crash's signal (``SIGSEGV``);
        # ``TRY 1 FAIL`` is a retry, its final status line follows
        r"|\s*(?:FAIL|TIMEOUT|SIG[A-Z]+|ABORT|LEAK-FAIL) \[ *[\d.]+s\] (?:\( *\d+/\d+\) )?"
        r"\S+ (\S+))$"
    )
    _STDOUT = re.compile(r"^---- (\S+(?: - .+ \(line \d+\)(?: - [\w ]+)?)?) stdout ----$")
    _PANIC = re.compile(r"^\s*thread '([^']*)' (?:\(\d+\) )?panicked at (.*)$")
    _AT = re.compile(r"([^\s',]+\.rs):(\d+):\d+:?$")
    _CLOSE = re.compile(r"', ([^\s',]+\.rs):(\d+):\d+$")
    # libtest's ``--format json`` (nightly, or before Rust 1.70; library/test/src/formatters/
    # json.rs write_event): one object per line, ``{ "type": "test", "name": "tests::x",
    # "event": "failed", "stdout": "thread 'tests::x' panicked at …\n…" }``; a should_panic
    # test that did not panic carries ``"message": "test did not panic as expected"``
    _JSON = re.compile(
        r'^\{ "type": "test", "name": "((?:[^"\\]|\\.)*)", "event": "(failed|timeout)"'
    )
    _JSON_FIELD = re.compile(r'"(stdout|message)": ("(?:[^"\\]|\\.)*")')
    # ``--nocapture --test-threads=1``: the test's name, then its panic on the same line
    # (pretty.rs writes ``test name ... `` before running it; ``FAILED`` comes on a line of its
    # own after the output)
    _INLINE = re.compile(r"^test \S+ \.\.\. (thread '.*)$")
    # cargo-nextest's sections of a failed test's captured output: ``--- STDERR:  crate::bin
    # tests::x ---`` (older releases), ``  stderr ───`` under the ``FAIL`` line (newer; the
    # output indented); the panic there may be on ``main`` (nextest runs one test a process)
    _NEXTEST_SECTION = re.compile(r"^--- STD(?:OUT|ERR): +\S+ (\S+)(?: ---)?$")
    _NEXTEST_BOX = re.compile(r"^ *(?:stdout|stderr|output) ───")
    # a doc-test that does not compile: rustc's ``error[E0425]: …`` under its ``----`` header,
    # then `` --> src/lib.rs:6:1`` (library/test and src/librustdoc/doctest.rs)
    _DOC_ERROR = re.compile(r"^error(?:\[E\d{4}\])?: \S")
    _ARROW = re.compile(r"^\s*--> ([^\s:]+\.rs):(\d+):\d+$")

    # a test runs on a thread named after its path; `main`, `<unnamed>` and pool threads
    # (`tokio-runtime-worker`) are not tests
    _TEST_THREAD = re.compile(r"^(?!main$|rustc$)[A-Za-z_]\w*(?:::\w+)*$")

    def __init__(self) -> None:
        super().__init__()
        self.current: str | None = None
        self.block: TestBlock | None = None
        self.quoted: str | None = None  # an old-form panic message still open
        # an old-form panic whose quoted message starts on the line below (`panicked at '`)
        self.opened: TestBlock | None = None
        # tests named only by a `---- name stdout ----` header or a panicking test thread:
        # an excerpt pasted in an issue often lacks the `test name ... FAILED` lines
        self.reported: list[str] = []
        self.listing = False  # after a ``failures:`` line, before its list ends
        self.listed: list[tuple[str, int]] = []
        self.listed_here = False
        self.compiling = False  # in a doc-test's ``---- … (line N) stdout ----`` output
        self.uncompiled: set[str] = set()  # doc-tests whose message is rustc's error
        self.nextest_failed: str | None = None  # the last nextest ``FAIL`` line's test

    def tests(self) -> list[str]:
        if self.found:
            return list(self.found)
        return self.reported[:MAX_TESTS] or [t for t, _ in self.listed][:MAX_TESTS]

    def failures(self) -> list[Failure]:
        if not self.found and not self.reported:
            return [Failure(test, line=number) for test, number in self.listed[:MAX_TESTS]]
        block = self.block
        if block is not None and block.message:  # a paste cut right after the message
            self.note(block.test, message=block.text(), line=block.message_line)
        out = super().failures()
        for failure in out:
            # a doc-test's run is its compilation: rustc's error is what the test found
            # (libtest reports it as a failed test), not a test binary that did not build
            failure.compiles = failure.test in self.uncompiled
        return out

    def _list(self, text: str, number: int) -> bool:
        """The ``failures:`` list's lines: True when ``text`` was one of them (the first
        ``failures:`` heads the captured output: a blank line, then ``---- name``)."""
        if text == "failures:":
            self.listing, self.listed_here = True, False
            return True
        if not self.listing:
            return False
        m = self._LISTED.match(text)
        if m:
            self.listed_here = True
            if m.group(1) not in (t for t, _ in self.listed) and len(self.listed) < MAX_TESTS:
                self.listed.append((m.group(1), number))
            return True
        self.listing = not text.strip() and not self.listed_here
        return False

    def feed(self, text: str, number: int = 0) -> None:
        if self._list(text, number):
            return
        m = self._RE.match(text)
        if m:
            self.add(m.group(1) or m.group(2) or m.group(3), number)
            self.nextest_failed = m.group(3)
            return
        m = self._INLINE.match(text)
        if m:
            text = m.group(1)
        m = self._NEXTEST_SECTION.match(text)
        if m or (self.nextest_failed and self._NEXTEST_BOX.match(text)):
            self.current = m.group(1) if m else self.nextest_failed
            self.compiling, self.block = False, None
            return
        m = self._JSON.match(text)
        if m:
            self._json(text, m.group(1), number)
            return
        m = self._STDOUT.match(text)
        if m:
            self.current = m.group(1)
            self.compiling = " (line " in m.group(1)
            self._report(m.group(1))
            return
        if self.compiling and self._doc_error(text, number):
            return
        if text.startswith("Error: ") and self.current and self.block is None:
            # a test returning ``Result`` prints its ``Err`` as ``Error: {:?}``
            self.note(self.current, message=text.strip(), line=number)
            return
        if text.startswith("note: test did not panic as expected") and self.current:
            at = self._AT.search(text)  # ``… expected at tests/cli.rs:9:4`` (newer cargo)
            where = repo_location(at.group(1), at.group(2)) if at else None
            self.note(self.current, message=text.strip(), location=where, line=number)
            return
        if self.opened is not None and self._opened_line(self.opened, text, number):
            return
        m = self._PANIC.match(text)
        if m:
            test = self.current or m.group(1)
            if not self.current and self._TEST_THREAD.match(test):
                self._report(test)
            rest = m.group(2)
            at = self._AT.search(rest)
            location = repo_location(at.group(1), at.group(2)) if at else None
            self.block = TestBlock(test, number)
            if rest.strip() == "'":  # old form, the message on the lines below
                self.block, self.opened = None, TestBlock(test, number)
                self._opened_line(self.opened, text, number)
                return
            if rest.startswith("'"):  # old form: panicked at 'message', src/x.rs:1:2
                self.note(
                    test,
                    message=rest.rsplit("', ", 1)[0][1:],
                    location=location,
                    line=number,
                    raw=text,
                )
                self.block = None
                # a multi-line message (assert_eq!'s left/right) closes with the location
                self.quoted = None if location else test
            else:
                self.note(test, location=location)
            return
        close = self._CLOSE.search(text) if self.quoted else None
        if close and self.quoted:
            self.note(self.quoted, location=repo_location(close.group(1), close.group(2)))
            self.quoted = None
            return
        if self.quoted and not text.startswith(" "):
            self.quoted = None  # the message ended without a location
        block = self.block
        if block is None:
            return
        # newer nextest releases indent the captured output under ``stderr ───``
        if not text.strip() or text.lstrip().startswith(("stack backtrace:", "note: ", "----")):
            if block.message:
                self.note(block.test, message=block.text(), line=block.message_line)
                self.block = None
            return
        block.take(text, number)

    def _json(self, text: str, test: str, number: int) -> None:
        """One failed (or timed-out) test of libtest's JSON output: its captured stdout is
        read as the ``---- name stdout ----`` section the pretty format would print."""
        name = _unjson(f'"{test}"') or test
        self.add(name, number)
        for field, value in self._JSON_FIELD.findall(text):
            decoded = _unjson(value)
            if not decoded:
                continue
            if field == "message":
                self.note(name, message=decoded, line=number)
                continue
            self.current, self.block = name, None
            for line in decoded.splitlines():
                self.feed(line, number)
            block = self.block
            if block is not None and block.message:
                self.note(block.test, message=block.text(), line=number)
            self.current, self.block = None, None

    def _doc_error(self, text: str, number: int) -> bool:
        """rustc's first error in a doc-test that did not compile is the test's message;
        its ``-->`` line, the location (rustdoc maps it to the source file's line)."""
        test = self.current
        if test is None:
            return False
        m = self._ARROW.match(text)
        info = self.details.get(test)
        if m and info is not None and info.message and not info.location:
            self.note(test, location=repo_location(m.group(1), m.group(2)))
            return True
        if self._DOC_ERROR.match(text) and (info is None or not info.message):
            self.note(test, message=text.strip(), line=number, raw=text)
            self.uncompiled.add(test)
            return True
        return False

    def _opened_line(self, block: TestBlock, text: str, number: int) -> bool:
        """A line of an old-form panic whose message opened on its own line (`thread 't'
        panicked at '` … `', src/x.rs:12`): the message is the panic line and the first
        lines of the quoted text (hamcrest's `Expected: …`, `but: …`), without the quote's
        closing location (often the assertion library's own source). False when the
        message ended before this line."""
        if text.startswith(("', ", "note: ", "----", "failures:")):
            self.opened = None
            return text.startswith("', ")
        block.take(text, number, limit=MAX_MESSAGE_LINES + 1)
        self.note(block.test, line=block.message_line)
        info = self.details[block.test]
        info.message = clip_message(block.text() or "")
        info.line, info.raw = block.message_line, None
        return True

    def _report(self, test: str) -> None:
        if test not in self.reported:
            self.reported.append(test)


def _unjson(value: str) -> str | None:
    """A JSON string literal's text (None when it is not one)."""
    try:
        decoded = json.loads(value)
    except ValueError:
        return None
    return decoded if isinstance(decoded, str) else None
