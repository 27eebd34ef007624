"""Failing-test extractor for Microsoft.Testing.Platform's terminal reporter (MSTest 3.x
runner, xUnit.net v3, NUnit and TUnit run as an executable or under ``dotnet test`` on
.NET 10's MTP mode): the VSTest console logger's ``Failed Ns.Class.Test [5 ms]`` lines are
read by :class:`bot.diagnose.extract_other.OtherRunners`; this is MTP's own shape.

From microsoft/testfx ``src/Platform/Microsoft.Testing.Platform/OutputDevice/Terminal/``
(``TerminalTestReporter.TestCompletion.cs`` ``RenderTestCompleted``,
``TerminalTestReporter.Formatting.cs``, ``HumanReadableDurationFormatter.cs``,
``SimpleTerminalBase.AppendLink``): a failed test is the lowercase outcome, the display
name and the duration, ``failed Adds (12ms)`` (``(1s 023ms)``, ``(1m 02s 003ms)``; an
error, a timeout or a cancelled test is ``failed`` too, ``failed (cancelled) X (…)``, and a
retried one says its attempt, ``failed (try 2) X (…)``); below it, indented two spaces, the
error message (``Type: message`` for an error that is not an assertion), ``Expected`` /
``Actual`` with their values indented four, and the frames indented four, ``at
Ns.Class.Adds() in /path/Tests.cs:42`` (``path:line``, not .NET's ``:line 42``).
``passed``/``skipped`` lines share the shape and are no failures; the run ends with
``Test run summary: Failed! - …`` and ``  failed: 1``, which name no test. A ``failed X
(12ms)`` line counts when the run's summary is in the log or the block below it has a stack
frame (another tool's ``failed to fetch index (120ms)`` has neither).
The test is the display name as printed (MSTest: the method; xUnit.net v3: ``Ns.Class.M``).
"""

from __future__ import annotations

import re

from .extract_core import Extractor, Failure, clip_message, is_test_location, repo_location

# ``failed`` (an optional ``(try N)``/``(cancelled)``), the name, the duration at the end
_HEADER = (
    r"^failed(?: \((?:try \d+|cancelled)\))? (\S.*?) "
    r"\((?:\d+d )?(?:\d+h )?(?:\d+m )?(?:\d+s )?\d+ms\)\s*$"
)


class MicrosoftTestingPlatform(Extractor):
    """Microsoft.Testing.Platform's ``failed Name (12ms)`` blocks (see the module doc)."""

    name = "mtp"
    triggers = (_HEADER, r"^Test run summary: ")
    follow = (_HEADER,)
    _START = re.compile(_HEADER)
    # ``    at X in path:42`` (MTP's own frame) or .NET's ``at X in path:line 42``
    _FRAME = re.compile(r"^\s+at .+? in (\S.*?):(?:line )?(\d+)\s*$")
    # a block's line: indented under the header
    _INDENTED = re.compile(r"^ {2}(?:\S| {2})")
    # labels inside a block that are not the message
    _LABELS = ("Expected", "Actual", "Standard output", "Error output", "--->")

    def __init__(self) -> None:
        super().__init__()
        self.test: str | None = None
        self.message: list[str] = []
        self.first_line: int | None = None
        self.raw: str | None = None
        self.in_message = False
        self.summary = False  # MTP's ``Test run summary:`` was seen
        self.framed: set[str] = set()  # tests whose block has a stack frame

    def feed(self, text: str, number: int = 0) -> None:
        if text.startswith("Test run summary: "):
            self._close()
            self.summary = True
            return
        header = self._START.match(text)
        if header:
            self._close()
            self.test = header.group(1).strip()
            self.add(self.test, number)
            self.message, self.first_line, self.raw, self.in_message = [], None, None, True
            return
        if self.test is None:
            return
        if not self._INDENTED.match(text):
            self._close()  # the block's end: a line back at the margin (or blank)
            return
        stripped = text.strip()
        if stripped.startswith("at "):
            self.framed.add(self.test)
        frame = self._FRAME.match(text)
        if frame:
            self._flush()
            location = repo_location(frame.group(1), frame.group(2))
            if is_test_location(location) or not self.details[self.test].location:
                self.note(self.test, location=location)
            return
        if stripped.startswith("at "):
            self._flush()  # a frame without a file
            return
        if not self.in_message:
            return
        if text.startswith("  ") and not text.startswith("   ") and stripped in self._LABELS:
            self._flush()
            return
        if len(self.message) < 3:
            if self.first_line is None:
                self.first_line, self.raw = number, text
            self.message.append(stripped)

    def tests(self) -> list[str]:
        return [t for t in self.found if self.summary or t in self.framed]

    def failures(self) -> list[Failure]:
        self._close()  # a log that ends inside the last test's block
        return super().failures()

    def _flush(self) -> None:
        if self.test is not None and self.in_message and self.message:
            self.note(
                self.test,
                message=clip_message(" ".join(self.message)),
                line=self.first_line,
                raw=self.raw,
            )
        self.in_message = False

    def _close(self) -> None:
        self._flush()
        self.test = None
