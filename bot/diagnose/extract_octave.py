"""Failing-test extractor for GNU Octave's test functions (``test``, ``__run_test_suite__``,
``oruntests``), from scripts/testfun/*.m.

Octave's tests are ``%!`` blocks inside a function's file and have no names of their own:
what fails is the file. ``__run_test_suite__``/``oruntests`` print one row per file, ``  path/
foo.m ........ pass    3/4`` (``PASS`` in oruntests), and under it, right-aligned, ``FAIL
1`` when some of its tests failed (``print_pass_fail``); that file is the failing test, named
as the row prints it. ``test (name, flag, fid)`` with a log (``stdout`` in a CI script)
announces each file with ``>>>>> processing /path/foo.m``, and a failed block prints
``!!!!! test failed`` (``error failed.``, ``demo failed``, ``known bug: …`` is expected) and
then Octave's error (``ASSERT errors for:  assert (foo (1),2)``): the message.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, clip_message, relative_path

_ROW = re.compile(r"^  (\S+) \.+ (?:pass|PASS) +\d+/\d+")
_FAIL_COUNT = re.compile(r"^ +FAIL +[1-9]\d*$")
_PROCESSING = re.compile(r"^>>>>> processing (\S+)$")
_FAILED = re.compile(
    r"^!!!!! (test failed(?:: .*)?|error failed\.|warning failed\.|demo failed|regression: .*)$"
)


class OctaveTest(Extractor):
    name = "octave"
    triggers = (
        r"^  \S+ \.+ (?:pass|PASS) +\d+/\d+",
        r"^ +FAIL +[1-9]\d*$",
        r"^>>>>> processing \S",
        r"^!!!!! \w",
    )
    follow = (r"^!!!!! \w",)

    def __init__(self) -> None:
        super().__init__()
        self.row: tuple[str, int] | None = None  # the last file row, until the next line
        self.file: str | None = None  # the file ``>>>>> processing`` named
        self.want_message: str | None = None  # the file whose failure's error comes next

    def feed(self, text: str, number: int = 0) -> None:
        row, self.row = self.row, None
        m = _ROW.match(text)
        if m:
            self.row = (m.group(1), number)
            return
        if row is not None and _FAIL_COUNT.match(text):
            self.add(*row)
            return
        m = _PROCESSING.match(text.strip())
        if m:
            self.file, self.want_message = relative_path(m.group(1)), None
            return
        m = _FAILED.match(text.strip())
        if m and self.file is not None:
            self.add(self.file, number)
            self.note(self.file, m.group(1), line=number, raw=text)
            self.want_message = self.file
            return
        if self.want_message is not None and text.strip():
            # Octave's own error for the block: what the test found
            info = self.details.get(self.want_message)
            if info is not None and info.message and info.message.startswith("test failed"):
                info.message, info.line, info.raw = clip_message(text), number, text
            self.want_message = None
