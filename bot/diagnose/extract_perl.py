"""Failing-test extractor for Perl's Test::Harness (``prove``, ``make test``).

The harness prints one progress line per test file (``t/api.t ...... ok``), the file's
own diagnostics on that line or under it (``#   Failed test 'x'`` / ``#   at t/api.t line
12.``, or a ``die`` message ``... at t/api.t line 17.``), and at the end a ``Test Summary
Report`` naming every failed file: those files are the failing tests a maintainer reads.
"""

from __future__ import annotations

import re

from .extract_core import Extractor

_SUMMARY_ENTRY = r"^(\S+\.t) +\(Wstat: \d+ Tests: \d+ Failed: \d+\)"


class TestHarness(Extractor):
    name = "test-harness"
    triggers = (
        r"^Test Summary Report$",
        _SUMMARY_ENTRY,
        r"^\S+\.t \.{2,}",
        r"^#   Failed test ",
        r"^#   at \S+\.t line \d+\.$",
    )
    _ENTRY = re.compile(_SUMMARY_ENTRY)
    # ``t/https.t ........ Connection error: ... at t/https.t line 17.`` (progress + message)
    _PROGRESS = re.compile(r"^(\S+\.t) \.{2,}(?: +(.*))?$")
    _AT = re.compile(r" at (\S+\.t) line (\d+)\.$")
    _FAILED_TEST = re.compile(r"^#   (Failed test .*)$")
    _NOT_MESSAGE = re.compile(
        r"^(?:ok|skipped|\d+/\d+|\d+/\?|Dubious, |Failed \d+/\d+ |No subtests )"
    )

    def __init__(self) -> None:
        super().__init__()
        self.file = ""
        self.messages: dict[str, tuple[str, str | None, int]] = {}
        self.in_summary = False

    def feed(self, text: str, number: int = 0) -> None:
        if text == "Test Summary Report":
            self.in_summary = True
            return
        entry = self._ENTRY.match(text) if self.in_summary else None
        if entry:
            test = entry.group(1)
            self.add(test, number)
            if test in self.messages:
                message, location, line = self.messages[test]
                self.note(test, message=message, location=location, line=line)
            return
        progress = self._PROGRESS.match(text)
        if progress:
            self.file, rest = progress.group(1), (progress.group(2) or "").strip()
            if rest and not self._NOT_MESSAGE.match(rest):
                self._message(rest, number)
            return
        failed = self._FAILED_TEST.match(text)
        if failed and self.file:
            self._message(failed.group(1), number)
        elif text.startswith("#   at ") and self.file:
            self._message(text[2:].strip(), number)

    def _message(self, text: str, number: int) -> None:
        """The first diagnostic of the current file is its message; ``at X line N`` its
        location (the harness prints it on the message line or the next ``#`` line)."""
        at = self._AT.search(" " + text if text.startswith("at ") else text)
        where = f"{at.group(1)}:{at.group(2)}" if at else None
        known = self.messages.get(self.file)
        if known is None:
            if not text.startswith("at "):
                self.messages[self.file] = (text, where, number)
        elif known[1] is None and where:
            self.messages[self.file] = (known[0], where, known[2])
