"""Failing-test extractor for Pester, PowerShell's test framework (versions 3 to 5).

Pester prints every ``It`` as it runs: ``[+] name 12ms`` when it passed, ``[-] name 315ms``
when it failed (Pester 5 adds the setup/test split, ``23ms (20ms|3ms)``), indented under
its ``Describing``/``Context``. The failed test's own lines follow, indented deeper: the
assertion's message (``Expected 2, but got 1.``; Pester 3 ``Expected: {2}`` / ``But was:
{1}``), the failing source line (``137:     $x | Should -Be 2``) and the stack, whose
``<ScriptBlock>`` frame in the ``*.Tests.ps1`` file is where it failed:
``at <ScriptBlock>, /path/x.Tests.ps1: line 137`` (Pester 4), ``…/x.Tests.ps1:137``
(Pester 5) or ``at line: 137 in /path/x.Tests.ps1`` (Pester 3). The test is the ``It``
name as printed, without the duration.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, repo_location

_DURATION = r"\d+(?:\.\d+)?m?s(?: \(\d+(?:\.\d+)?m?s\|\d+(?:\.\d+)?m?s\))?"
_HEADER = rf"^(\s*)\[-\] (\S.*?) {_DURATION}$"


class Pester(Extractor):
    name = "pester"
    triggers = (_HEADER,)
    follow = (_HEADER,)
    _START = re.compile(_HEADER)
    # the next test, block or summary ends a failed test's lines
    _END = re.compile(r"^\s*(?:\[[-+!?]\] |Describing |Context |Tests completed in )")
    _SOURCE = re.compile(r"^\s*\d+: ")
    # a frame of the test script (``<ScriptBlock>``, or any function in a ``*.Tests.ps1``),
    # not of Pester's own ``Should`` (``at Invoke-Assertion, …/Should.ps1: line 206``)
    _FRAME = re.compile(
        r"^\s*at (<ScriptBlock>|[\w-]+), (\S.*?\.ps1)(?:: line |:)(\d+)\s*$"
        r"|^\s*at line: (\d+) in (\S.*?\.ps1)\s*$"
    )

    def __init__(self) -> None:
        super().__init__()
        self.test: str | None = None
        self.indent = 0

    def feed(self, text: str, number: int = 0) -> None:
        header = self._START.match(text)
        if header:
            self.test, self.indent = header.group(2), len(header.group(1))
            self.add(self.test, number)
            return
        if self.test is None:
            return
        if self._END.match(text) or (text.strip() and _indent(text) <= self.indent):
            self.test = None
            return
        frame = self._FRAME.match(text)
        if frame:
            path, line = frame.group(2) or frame.group(5), frame.group(3) or frame.group(4)
            if frame.group(1) in (None, "<ScriptBlock>") or path.endswith(".Tests.ps1"):
                self.note(self.test, location=repo_location(path, line))
            return
        if text.strip() and not self._SOURCE.match(text):
            self.note(self.test, message=text.strip(), line=number, raw=text)


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())
