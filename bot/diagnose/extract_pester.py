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

Pester 5 on a CI (``Output.CIFormat``, ``Auto`` when ``GITHUB_ACTIONS`` or ``TF_BUILD`` is
set; Output.ps1 ``Format-CIErrorMessage``) prints a failed test's line as a workflow command:
GitHub Actions ``::error::[-] name 12ms`` (the log shows ``##[error][-] name 12ms``), its
message lines trimmed inside a ``Message`` group; Azure DevOps ``##vso[task.logissue
type=error] [-] name 12ms`` and each message line as ``##[error] line``. At the default
``Normal`` verbosity the name is the test's path joined by dots (``Describe.Context.It``),
as printed. A failed block (``[-] Describe Calc failed``, no duration), the discovery's
``[-] Discovery in … failed with:`` and the ``[!]`` (skipped) and ``[?]`` (inconclusive)
lines name no failed test.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, repo_location

_DURATION = r"\d+(?:\.\d+)?m?s(?: \(\d+(?:\.\d+)?m?s\|\d+(?:\.\d+)?m?s\))?"
_HEADER = rf"^(\s*)\[-\] (\S.*?) {_DURATION}$"
# Pester 5's CIFormat: the header as a GitHub Actions or Azure DevOps logging command
_CI_PREFIX = r"(?:##\[error\]|::error::|##vso\[task\.logissue type=error\] ?)"
_CI_HEADER = rf"^{_CI_PREFIX}(\s*)\[-\] (\S.*?) {_DURATION}$"
_ADO_LINE = re.compile(r"^##\[error\] ?")
# lines after a CI header that may still be its message's (the message group's own lines)
_CI_LINES = 40


class Pester(Extractor):
    name = "pester"
    triggers = (_HEADER, _CI_HEADER)
    follow = (_HEADER, _CI_HEADER)
    _START = re.compile(_HEADER)
    _CI_START = re.compile(_CI_HEADER)
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
        self.ci_left = 0  # lines left of a CI header's trimmed message (0: not a CI header)

    def feed(self, text: str, number: int = 0) -> None:
        header = self._START.match(text)
        ci = None if header else self._CI_START.match(text)
        if header or ci:
            found = header or ci
            assert found is not None
            self.test, self.indent = found.group(2), len(found.group(1))
            self.ci_left = _CI_LINES if ci else 0
            self.add(self.test, number)
            return
        if self.test is None:
            return
        if self.ci_left:
            # the message lines are trimmed (GitHub) or ``##[error] line`` (Azure DevOps):
            # no indent tells where they end, only the next test, block or summary
            self.ci_left -= 1
            text = _ADO_LINE.sub("", text)
            if text.startswith(("##[group]", "::group::")):
                return  # the message's group opens
            if self._END.match(text) or text.startswith(("##[", "::")) or not self.ci_left:
                self.test, self.ci_left = None, 0
                return
        elif self._END.match(text) or (text.strip() and _indent(text) <= self.indent):
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
