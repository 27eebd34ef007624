"""Failing-test extractor for busted (Lua), as its terminal output handlers print it.

After the progress line and ``1 success / 1 failure / 1 error / 0 pending : 0.01 seconds``
each failed test is a block: ``Failure → spec/calc_spec.lua @ 2`` (``->`` without a UTF-8
locale, ``Error`` for a test that raised), the test's full name (its ``describe`` titles
and its own, joined by spaces), then the message, which starts with the failing line's
``path:line:`` (``spec/calc_spec.lua:3: Expected objects to be the same.``). A spec file
that does not even load is ``Error → spec/x_spec.lua:4: ')' expected …`` with no ``@`` and
no test name: no test ran. The identifier form is listed in
:mod:`bot.diagnose.extractors`.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, Failure, repo_location

_HEADER = r"^(?:Failure|Error) (?:→|->) \S+ @ \d+$"
_LOAD = r"^Error (?:→|->) (\S+?):(\d+): (.+)$"


class Busted(Extractor):
    """``Failure → file @ line``, the test's name, then its message; ``Error → file:line:
    message`` alone is a spec file that failed to load (a build failure, not a test)."""

    name = "busted"
    # vis-test's Lua suite prints busted's report under its own ``name  FAIL`` line
    subsumes = ("status-table",)
    triggers = (_HEADER, _LOAD)
    follow = triggers
    _BLOCK = re.compile(r"^(?:Failure|Error) (?:→|->) (\S+) @ (\d+)$")
    _LOAD_RE = re.compile(_LOAD)
    _AT = re.compile(r"^(\S+\.(?:lua|moon)):(\d+): ")

    def __init__(self) -> None:
        super().__init__()
        self.where: str | None = None  # the test's own ``file:line`` until its name is read
        self.current: str | None = None  # the test whose message comes next

    def feed(self, text: str, number: int = 0) -> None:
        m = self._BLOCK.match(text)
        if m:
            self.where, self.current = repo_location(m.group(1), m.group(2)), None
            return
        load = self._LOAD_RE.match(text)
        if load:
            spec = load.group(1)
            self.add(spec, number)
            self.details[spec] = Failure(
                spec,
                f"{spec}:{load.group(2)}: {load.group(3)}",
                repo_location(spec, load.group(2)),
                number,
                text,
                load_error=True,
            )
            self.where = self.current = None
            return
        stripped = text.strip()
        if not stripped:
            return
        if self.current is None and self.where is not None:
            self.current = stripped  # the name line
            self.add(stripped, number)
            return
        if self.current is not None:
            # the failing line's own ``path:line:``, else the test's ``@ line``
            at = self._AT.match(stripped)
            where = repo_location(at.group(1), at.group(2)) if at else self.where
            self.note(self.current, message=stripped, location=where, line=number, raw=text)
            self.current = self.where = None
