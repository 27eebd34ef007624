"""Failing-test extractor for ``dart test`` and ``flutter test`` (package:test's reporters).

The compact and expanded reporters print one progress line per event,
``MM:SS +passed ~skipped -failed: description``; a test that failed gets the line again
with `` [E]`` after its description (expanded.dart's ``_onError``), then its error and
stack trace indented by two spaces. The description is ``path.dart: name`` when more than
one suite ran and may start with the platform (``[Chrome, Dart2Js] ``). The GitHub
reporter (the default on Actions) prints ``::group::❌ path.dart: name (failed)``, which
the web view shows as ``❌ path.dart: name (failed)`` (github.dart).

The test is its full name (groups and test joined by spaces, as ``--plain-name`` takes
it); the suite's path is its location. ``loading path.dart`` is a suite that did not
load (a compile error, named by the compiler's own lines), never a test; the run's
closing ``Some tests failed.`` names nothing.

``flutter test`` reports a widget test's failure in a block of its own (flutter_test's
binding.dart ``_reportException`` and stack_manipulation.dart ``reportExpectCall``):
``══╡ EXCEPTION CAUGHT BY FLUTTER TEST FRAMEWORK ╞═══``, ``The following TestFailure was
thrown running a test:``, the error (``Expected: …`` / ``  Actual: …``, ``Golden "x.png":
Pixel test failed, …``), the stack, ``This was caught by the test expectation on the
following line:`` / ``  file:///…/test/x_test.dart line 30``, ``The test description
was:`` / ``  name`` and a closing rule of ``═``. The test's own error is then only ``Test
failed. See exception logs above.``, so the block's error and line are the failure's. The
expanded and compact reporters print the block before the test's ``[E]`` line; the GitHub
reporter inside the test's ``::group::``.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, Failure, clip_message, repo_location, with_actual

# ``00:03 +12 ~1 -2: test/calc_test.dart: adds [E]``
_PROGRESS = r"^\d+:\d\d \+\d+(?: ~\d+)?(?: -\d+)?: .* \[E\]$"
# (the prefilter needs only the mark: passing tests are ``✅``)
_GITHUB = r"^(?:::group::)?❌ \S"
# flutter_test's report of a test's error, printed before the test's ``[E]`` line
_FLUTTER_BLOCK = r"^══╡ EXCEPTION CAUGHT BY "


class DartTest(Extractor):
    name = "dart"
    triggers = (_PROGRESS, _GITHUB, _FLUTTER_BLOCK)
    follow = triggers
    _PROGRESS_RE = re.compile(r"^\d+:\d\d \+\d+(?: ~\d+)?(?: -\d+)?: (.*) \[E\]$")
    _GITHUB_RE = re.compile(r"^(?:::group::)?❌ (.*) \(failed(?: after test completion)?\)$")
    _DESCRIPTION = re.compile(r"^(?:\[[\w ]+, [\w ]+\] )?(?:(\S+\.dart): )?(.+)$")
    # a frame of the test's own file: ``  test/calc_test.dart 8:5   main.<fn>``
    _FRAME = re.compile(r"^ *(\S+\.dart) (\d+):\d+ +\S")
    _NEXT = re.compile(r"^\d+:\d\d \+\d+")
    _NOT_MESSAGE = re.compile(
        r"^(?:package:|dart:|\S+\.dart \d+:\d+ |===== |To run this test|The test description was:)"
    )
    # flutter_test's report of the error a test threw (see the module's docstring)
    _BLOCK_START = "══╡ EXCEPTION CAUGHT BY "
    _THROWN = re.compile(r"^The following .{1,200} was thrown\b.{0,200}:$")
    _CAUGHT_AT = re.compile(r"^ *(?:file://)?(\S+\.dart) line (\d+)$")
    # a frame of the test's file in the block's stack: ``#4  main.<anonymous closure>
    # (file:///…/test/widget_test.dart:30:5)``
    _BLOCK_FRAME = re.compile(r"^#\d+ +\S.* \((?:file://)?(\S+_test\.dart):(\d+)(?::\d+)?\)$")
    _SEE_ABOVE = "Test failed. See exception logs above."

    def __init__(self) -> None:
        super().__init__()
        self.current: str | None = None
        self.path: str | None = None
        # the flutter_test block being read: its state, error, location and description
        self.block: str | None = None
        self.error: Failure | None = None
        self.described: str | None = None
        # a finished block not yet claimed by the ``[E]`` line of its test
        self.pending: tuple[Failure, str | None] | None = None

    def feed(self, text: str, number: int = 0) -> None:
        if text.startswith(self._BLOCK_START):
            self.block, self.error, self.described = "start", Failure(""), None
            return
        m = self._PROGRESS_RE.match(text) or self._GITHUB_RE.match(text)
        if self.block is not None:
            if m is None:
                self._feed_block(text, number)
                return
            self._end_block()  # its closing rule was not read (a long block, a cut log)
        if m:
            self.current = None
            described = self._DESCRIPTION.match(m.group(1))
            if described is None or described.group(2).startswith("loading "):
                return  # a suite that failed to load: its compiler says why
            self.current, self.path = described.group(2), described.group(1)
            self.add(self.current, number)
            self._claim()
            return
        if self.current is None:
            return
        stripped = text.strip()
        if not stripped or stripped == self._SEE_ABOVE:
            return
        if self._NEXT.match(text):
            self.current = None  # the next test's progress line: this one's report ended
            return
        frame = self._FRAME.match(text)
        if frame and (self.path is None or frame.group(1) == self.path):
            self.note(self.current, location=repo_location(frame.group(1), frame.group(2)))
            self.current = None
        elif not self._NOT_MESSAGE.match(stripped):
            info = self.details.get(self.current)
            joined = with_actual(info.message, stripped) if info else None
            if info and joined:
                info.message = clip_message(joined)
            else:
                self.note(self.current, message=stripped, line=number, raw=text)

    def _feed_block(self, text: str, number: int) -> None:
        """One line of flutter_test's exception block: its error is the line after ``The
        following … was thrown …:`` (with the matcher's ``Actual:`` line), its place the
        expectation's line or else the test file's frame."""
        stripped = text.strip()
        error = self.error
        if error is None:
            return
        if stripped.startswith("═") and stripped.strip("═") == "":
            self._end_block()  # the closing rule
            return
        if self.block == "start":
            if self._THROWN.match(stripped):
                self.block = "error"
        elif self.block == "error":
            if not stripped:
                self.block = "rest" if error.message else "error"
            elif not error.message:
                error.message, error.line, error.raw = stripped, number, text
            else:
                joined = with_actual(error.message, stripped)
                if joined:
                    error.message = joined
                self.block = "rest"
        elif stripped == "This was caught by the test expectation on the following line:":
            self.block = "caught"
        elif stripped == "The test description was:":
            self.block = "description"
        elif self.block == "caught":
            at = self._CAUGHT_AT.match(text)
            if at:
                error.location = repo_location(at.group(1), at.group(2))
            self.block = "rest"
        elif self.block == "description":
            self.described, self.block = stripped, "rest"
        else:
            frame = self._BLOCK_FRAME.match(stripped)
            if frame and error.location is None:
                error.location = repo_location(frame.group(1), frame.group(2))

    def _end_block(self) -> None:
        """The block read so far is done: its error waits for its test's ``[E]`` line."""
        self.block = None
        if self.error is not None and self.error.message:
            self.pending = (self.error, self.described)
            self._claim()

    def _claim(self) -> None:
        """The pending block's error becomes the current test's when the block describes
        it (its description is the test's own name, the end of its full name)."""
        if self.pending is None or self.current is None:
            return
        error, described = self.pending
        if described and not self.current.endswith(described):
            return
        self.pending = None
        self.note(
            self.current,
            message=error.message,
            location=error.location,
            line=error.line,
            raw=error.raw,
        )
