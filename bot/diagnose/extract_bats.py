"""Failing-test extractor for bats (Bash Automated Testing System): where a failed test
failed and the command that failed, which bats prints under the test's result line.

TAP (the default without a terminal) comments them after ``not ok``; the ``pretty``
formatter indents them under ``✗``::

    not ok 2 addition using dc                 ✗ addition using dc
    # (in test file test/add.bats, line 12)       (in test file test/add.bats, line 12)
    #   `[ "$result" -eq 4 ]' failed                 `[ "$result" -eq 4 ]' failed

A helper's failure first names the helper (``# (from function `assert_equal' in file
…, line 40,``) and then the test file (``#  in test file test/add.bats, line 12)``).
The test is its description; the location the test file's line; the message the first
line after it (the failed command).
"""

from __future__ import annotations

import re

from .extract_core import Extractor, repo_location

_IN_TEST_FILE = r"in test file \S+, line \d+\)$"


class Bats(Extractor):
    name = "bats"
    triggers = (rf"^#? *\({_IN_TEST_FILE}", rf"^#? +{_IN_TEST_FILE}", r"^ *✗ \S")
    follow = triggers
    _RESULT = re.compile(r"^(?:not ok \d+ |\s?✗ )(.+?)(?: # (?:skip|SKIP|TODO)\b.*)?$")
    _WHERE = re.compile(r"^#? *\(?in test file (\S+), line (\d+)\)$")

    def __init__(self) -> None:
        super().__init__()
        self.last: str | None = None  # the last failed test's description, its notes next
        self.current: str | None = None  # the test whose location was read: message next

    def feed(self, text: str, number: int = 0) -> None:
        m = self._RESULT.match(text) if text.startswith(("not ok ", "✗", " ✗")) else None
        if m:
            self.last, self.current = m.group(1).strip(), None
            return
        if self.last is None:
            return
        stripped = text.lstrip("#").strip()
        where = self._WHERE.match(stripped) if "in test file " in text else None
        if where and self.current is None:
            self.current = self.last
            self.add(self.current, number)
            self.note(self.current, location=repo_location(where.group(1), where.group(2)))
            return
        if self.current is not None and stripped:
            self.note(self.current, message=stripped, line=number, raw=text)
            self.last = self.current = None
            return
        # before the location only the helpers it failed in (``(from function …``)
        notes = "from function " in text if self.current is None else not stripped
        if not notes:
            self.last = self.current = None  # not the test's notes: they are over
