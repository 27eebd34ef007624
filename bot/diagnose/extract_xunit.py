"""Failing-test extractor for the xUnit.net console runner (``xunit.console``, ``dotnet
xunit``, and build scripts such as Cake or FAKE that run it; xUnit.net v1 to v3 reporters).

The runner prints a failed test as ``    Namespace.Class.Method [FAIL]`` (three or four
spaces; the display name, with ``(x: 1)`` arguments for a theory), then the exception's
message lines indented six spaces (``      Assert.Equal() Failure`` / ``      Expected: 1``
/ ``      Actual:   0``), then ``      Stack Trace:`` and the frames, transformed to
``path(line,col): at Method()`` where the runner knows the file (else .NET's own ``at X in
path:line N``), then optionally ``      Output:``. ``[SKIP]`` and ``[FATAL]`` (a catastrophic
error, no test) use the same shape. Each test assembly ends with ``=== TEST EXECUTION
SUMMARY ===`` and ``   Assembly  Total: N, Errors: E, Failed: F, Skipped: S, Time: …``.
The test is the display name as printed; its location the first frame in a test file.
"""

from __future__ import annotations

import re

from .extract_core import Extractor, Failure, is_test_location, repo_location

_HEADER = r"^ {2,6}(\S.*?) \[FAIL\]\s*$"


class XUnitConsole(Extractor):
    name = "xunit"
    triggers = (_HEADER,)
    follow = (_HEADER,)
    _START = re.compile(_HEADER)
    # a section of the failed test's report that is not its message
    _SECTION = re.compile(r"^\s+(?:Stack Trace|Output):\s*$")
    # the next test, the assembly's end or the summary ends the report
    _END = re.compile(
        r"^\s*(?:\S.*? \[(?:FAIL|SKIP|FATAL|PASS)\]"
        r"|Finished: |Starting: |=== TEST EXECUTION SUMMARY)"
    )
    # ``path(445,0): at X`` (the runner's transform) or ``at X in path:line 445`` (.NET's)
    _FRAME = re.compile(r"^\s+(\S[^()]*?)\((\d+),\d+\): at |^\s+at .+? in (\S.*?):line (\d+)\s*$")

    def __init__(self) -> None:
        super().__init__()
        self.test: str | None = None
        self.in_message = False
        self.message: list[str] = []
        self.first_line: int | None = None
        self.raw: str | None = None

    def feed(self, text: str, number: int = 0) -> None:
        header = self._START.match(text)
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
            path, line = frame.group(1) or frame.group(3), frame.group(2) or frame.group(4)
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
