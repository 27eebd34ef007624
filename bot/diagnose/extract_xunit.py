"""Failing-test extractor for the xUnit.net console runner (``xunit.console``, ``dotnet
xunit``, and build scripts such as Cake, FAKE or albacore that run it; xUnit.net v1 to v3
reporters, and the VSTest adapter's copy of them under ``dotnet test``).

v2/v3 print a failed test as ``    Namespace.Class.Method [FAIL]`` (three or four spaces;
the display name, with ``(x: 1)`` arguments for a theory), then the exception's message
lines indented six spaces (``      Assert.Equal() Failure`` / ``      Expected: 1`` /
``      Actual:   0``), then ``      Stack Trace:`` and the frames, transformed to
``path(line,col): at Method()`` where the runner knows the file (else .NET's own ``at X in
path:line N``, or Mono's ``at X () [0x00000] in path:N``), then optionally ``      Output:``.
``[SKIP]`` and ``[FATAL]`` (a catastrophic error, no test) use the same shape. Each test
assembly ends with ``=== TEST EXECUTION SUMMARY ===`` and ``   Assembly  Total: N, Errors: E,
Failed: F, Skipped: S, Time: …``. Under ``dotnet test`` the adapter prefixes each of these
lines with ``[xUnit.net 00:00:00.52] `` (a paste's first line may keep only its tail,
``net 00:01:14.37] ``: the paste began mid-line).

v1 (``xunit.console.exe`` 1.x, banner ``xUnit.net console test runner (64-bit .NET …)``)
overwrites a ``Tests complete: N of M`` progress line with ``\\r``, then prints the failed
test's name at the start of the line, ``Namespace.Class.Method [FAIL]``, its message and
``Stack Trace:`` indented three spaces, and ``N total, F failed, S skipped, took T
seconds`` per assembly. A name at the start of the line counts only after an xUnit.net
console runner's banner (another tool's ``check … [FAIL]`` is not an xUnit.net test).
The test is the display name as printed; its location the first frame in a test file.
"""

from __future__ import annotations

import re

from .extract_core import (
    Extractor,
    Failure,
    clip_message,
    is_test_location,
    repo_location,
    with_actual,
)

_HEADER = r"^ {2,6}(\S.*?) \[FAIL\]\s*$"
# v1's header at the start of the line (after its progress line's ``\r``)
_V1_HEADER = r"^(\S.*?) \[FAIL\]\s*$"
_BANNER = r"^xUnit\.net [Cc]onsole (?:[Tt]est )?[Rr]unner\b"
# (the prefix whole, or a tail of ``[xUnit.net`` where the paste began)
_CUT_PREFIX = r"(?:(?:(?:(?:(?:\[?x)?U)?n)?i)?t)?\.?(?:(?:n?e)?t)? "
_ADAPTER = r"^(?:\[xUnit\.net |" + _CUT_PREFIX + r")?\d+:\d\d:\d\d\.\d+\] "


class XUnitConsole(Extractor):
    name = "xunit"
    # the prefilter sees the raw line, where v1's header follows the progress line's CRs
    triggers = (_HEADER, r"^\r*\S.*? \[FAIL\]\s*$", _BANNER, _ADAPTER + r" {2,6}\S.*? \[FAIL\]\s*$")
    follow = (_HEADER, _V1_HEADER, _ADAPTER + r" {2,6}\S.*? \[FAIL\]\s*$")
    _START = re.compile(_HEADER)
    _V1_START = re.compile(_V1_HEADER)
    _IS_BANNER = re.compile(_BANNER)
    _PREFIX = re.compile(_ADAPTER)
    # a section of the failed test's report that is not its message
    _SECTION = re.compile(r"^\s+(?:Stack Trace|Output):\s*$")
    # the next test, the assembly's end or the summary ends the report
    _END = re.compile(
        r"^\s*(?:\S.*? \[(?:FAIL|SKIP|FATAL|PASS|FIXTURE FAIL)\]"
        r"|Finished: |Starting: |=== TEST EXECUTION SUMMARY"
        r"|Tests complete: \d+ of \d+|(?:=== )?\d+ total, \d+ failed, \d+ skipped, took )"
    )
    # ``path(445,0): at X`` (the runner's transform), ``at X in path:line 445`` (.NET's) or
    # ``at X () [0x00000] in path.cs:445`` (Mono's)
    _FRAME = re.compile(
        r"^\s+(\S[^()]*?)\((\d+),\d+\): at |^\s+at .+? in (\S.*?):line (\d+)\s*$"
        r"|^\s+at .+? in (\S.*?\.(?:cs|fs|vb)):(\d+)\s*$"
    )

    def __init__(self) -> None:
        super().__init__()
        self.test: str | None = None
        self.in_message = False
        self.message: list[str] = []
        self.first_line: int | None = None
        self.raw: str | None = None
        self.v1 = False  # the v1 runner's banner was seen: names start at column 0

    def feed(self, text: str, number: int = 0) -> None:
        text = self._PREFIX.sub("", text, count=1)
        if self._IS_BANNER.match(text):
            self.v1 = True
        header = self._START.match(text) or (self.v1 and self._V1_START.match(text))
        if header:
            self._close()
            self.test = header.group(1).strip()
            self.in_message, self.message, self.first_line, self.raw = True, [], None, None
            self.add(self.test, number)
            return
        if self.test is None:
            return
        if self._END.match(text):
            self._close()
            return
        if self._SECTION.match(text):
            self._flush()
            return
        frame = self._FRAME.match(text)
        if frame:
            self._flush()
            path = frame.group(1) or frame.group(3) or frame.group(5)
            line = frame.group(2) or frame.group(4) or frame.group(6)
            location = repo_location(path, line)
            if is_test_location(location) or path.endswith((".cs", ".fs", ".vb")):
                self.note(self.test, location=location)
            return
        if self.in_message and text.strip() and len(self.message) < 3:
            if self.first_line is None:
                self.first_line, self.raw = number, text
            self.message.append(text.strip())

    def failures(self) -> list[Failure]:
        self._flush()  # a log that ends inside the last test's message
        return super().failures()

    def _flush(self) -> None:
        if self.test is not None and self.in_message and self.message:
            self.note(self.test, message=" ".join(self.message), line=self.first_line, raw=self.raw)
        self.in_message = False

    def _close(self) -> None:
        self._flush()
        self.test = None


class NUnitConsole(Extractor):
    """NUnit's console runner and NUnitLite (``nunit3-console``, ``dotnet run`` of an
    NUnitLite project; NUnit 2's ``nunit-console``): under ``Errors, Failures and
    Warnings`` each failure is ``1) Failed : Ns.Class.Test`` (``Error``, ``SetUp Failed``,
    ``TearDown Error``, ``Invalid``; NUnit 2: ``Test Failure``, ``TestFixtureSetUp Error``),
    then its message lines and the stack trace, ``at Ns.Class.Test() in path.cs:line 12``
    (ResultReporter.cs, ``"{0}) {1} : {2}"``). ``Warning``/``Ignored`` entries use the
    same shape and are no failures. The test is the full name as printed."""

    name = "nunit"
    _ENTRY_RE = (
        r"^\d+\) (?:(?:SetUp|TearDown|Test|TestFixtureSetUp|TestFixtureTearDown|Parent|Child) )?"
        r"(?:Failed|Error|Failure|Invalid|Cancelled) : \S"
    )
    triggers = (_ENTRY_RE,)
    follow = triggers
    _ENTRY = re.compile(_ENTRY_RE[:-2] + r"(\S.*?)\s*$")
    _FRAME = re.compile(r"^\s*at .+? in (\S.*?):line (\d+)\s*$")
    # the next entry of any status, or the report's next section, ends an entry
    _END = re.compile(r"^\d+\) [\w ]+ : \S|^(?:Tests Not Run|Run Settings|Test Run Summary)\b")

    def __init__(self) -> None:
        super().__init__()
        self.test: str | None = None

    def feed(self, text: str, number: int = 0) -> None:
        entry = self._ENTRY.match(text)
        if entry:
            self.test = entry.group(1)
            self.add(self.test, number)
            return
        if self.test is None or not text.strip():
            return
        if self._END.match(text):
            self.test = None
            return
        frame = self._FRAME.match(text)
        if frame:
            location = repo_location(frame.group(1), frame.group(2))
            if is_test_location(location) or not self.details[self.test].location:
                self.note(self.test, location=location)
        elif not text.lstrip().startswith("at "):
            info = self.details[self.test]
            joined = with_actual(info.message, text)  # ``Expected: 5`` / ``But was:  4``
            if not info.message:
                self.note(self.test, message=text.strip(), line=number, raw=text)
            elif joined:
                info.message = clip_message(joined)
