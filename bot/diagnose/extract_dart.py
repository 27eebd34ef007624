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
"""

from __future__ import annotations

import re

from .extract_core import Extractor, clip_message, repo_location, with_actual

# ``00:03 +12 ~1 -2: test/calc_test.dart: adds [E]``
_PROGRESS = r"^\d+:\d\d \+\d+(?: ~\d+)?(?: -\d+)?: .* \[E\]$"
# (the prefilter needs only the mark: passing tests are ``✅``)
_GITHUB = r"^(?:::group::)?❌ \S"


class DartTest(Extractor):
    name = "dart"
    triggers = (_PROGRESS, _GITHUB)
    follow = triggers
    _PROGRESS_RE = re.compile(r"^\d+:\d\d \+\d+(?: ~\d+)?(?: -\d+)?: (.*) \[E\]$")
    _GITHUB_RE = re.compile(r"^(?:::group::)?❌ (.*) \(failed(?: after test completion)?\)$")
    _DESCRIPTION = re.compile(r"^(?:\[[\w ]+, [\w ]+\] )?(?:(\S+\.dart): )?(.+)$")
    # a frame of the test's own file: ``  test/calc_test.dart 8:5   main.<fn>``
    _FRAME = re.compile(r"^ *(\S+\.dart) (\d+):\d+ +\S")
    _NEXT = re.compile(r"^\d+:\d\d \+\d+")
    _NOT_MESSAGE = re.compile(r"^(?:package:|dart:|\S+\.dart \d+:\d+ |===== |To run this test)")

    def __init__(self) -> None:
        super().__init__()
        self.current: str | None = None
        self.path: str | None = None

    def feed(self, text: str, number: int = 0) -> None:
        m = self._PROGRESS_RE.match(text) or self._GITHUB_RE.match(text)
        if m:
            self.current = None
            described = self._DESCRIPTION.match(m.group(1))
            if described is None or described.group(2).startswith("loading "):
                return  # a suite that failed to load: its compiler says why
            self.current, self.path = described.group(2), described.group(1)
            self.add(self.current, number)
            return
        if self.current is None:
            return
        stripped = text.strip()
        if not stripped:
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
