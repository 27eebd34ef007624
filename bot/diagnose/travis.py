"""Travis CI's step framing, read by :class:`~bot.diagnose.logreader.LogReader`.

Why: sampled real-world logs are mostly Travis CI job logs, which have no ``##[group]``
steps. Each timed ``$ cmd`` is read as a step of its own (so the command names the tool,
as a ``run:`` step's does), and the ``after_failure`` output that explains a failure joins
the failed command's step.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .logline import LogLine, Step, clean_line

# Travis CI frames each command itself (no ``##[group]``): ``$ <command>`` (after the
# ``travis_time:start:<id>`` marker, colour codes already dropped) starts it and
# ``The command "<command>" exited with N.`` ends it — ``failed and exited with N during
# <phase>.`` outside the script phase; a multi-line command's line starts with ``"``.
# (macOS jobs put a CR before the ``$``: the cleaned line keeps only ``$ cmd``, so the raw
# line is checked for the markers)
_TRAVIS_CMD = re.compile(r"^(?:\S*?travis_time:start:[0-9a-f]+)?\$ (\S.*)$")
# (with CRLF line ends the marker stands alone and the ``$ cmd`` is the next line)
_TRAVIS_TIME_ALONE = re.compile(r"^travis_time:start:[0-9a-f]+$")
_TRAVIS_AFTER = re.compile(rb"travis_fold:start:after_(?:failure|script)")
_TRAVIS_EXIT = re.compile(r'" (?:failed and )?exited with (-?\d+)(?: during [\w ]*)?\.$')


class TravisFraming:
    """The Travis half of the reader's line structuring (a mixin of ``LogReader``)."""

    steps: list[Step]
    max_line: int
    _travis_failed: Step | None
    _attach: Step | None
    _tail: Callable[[bytes, int, int, Step], list[LogLine]]

    def _travis(self, text: str, line_no: int, data: bytes, start: int) -> LogLine:
        """Travis step framing: a timed ``$ cmd`` starts a step titled ``Run cmd`` (so the
        command names the tool, as a ``run:`` step's does); its ``exited with N`` line sets
        the exit code, and a non-zero one is the step's error (with the lines before it as
        its tail). ``after_failure``/``after_script`` commands print what went wrong (test
        logs): their lines join the first failed command's step. The failing step stays
        unnamed in the diagnosis: Travis has no steps to link to."""
        m = _TRAVIS_CMD.match(text)
        raw = data[start : data.find(b"$ ", start)] if m else b""
        command = m.group(1) if m and b"travis_time:start:" in raw else None
        if command is None and _TRAVIS_TIME_ALONE.match(text):
            command = self._next_command(data, start)
        if command and self._travis_failed is not None and _TRAVIS_AFTER.search(raw):
            self._attach = step = self._travis_failed
            return LogLine(line_no, text, step.number, line_no - step.start_line + 1, header=True)
        if command:
            self._attach = None
            self.steps[-1].end_line = line_no - 1
            step = Step(len(self.steps) + 1, f"Run {command}", "travis", line_no)
            self.steps.append(step)
            return LogLine(line_no, text, step.number, 1, header=True)
        step = self._attach or self.steps[-1]
        line = LogLine(line_no, text, step.number, line_no - step.start_line + 1)
        line.after = self._attach is not None
        m = _TRAVIS_EXIT.search(text)
        if m and self._attach is None and step.kind == "travis" and step.exit_code is None:
            step.exit_code = int(m.group(1))
            if step.exit_code:
                step.errors.append(line)
                step.tail = self._tail(data, start, line_no, step)
                self._travis_failed = self._travis_failed or step
        return line

    def _next_command(self, data: bytes, start: int) -> str | None:
        """The ``$ cmd`` on the line after a lone ``travis_time:start:`` marker, if any."""
        nl = data.find(b"\n", start)
        if nl < 0:
            return None
        end = data.find(b"\n", nl + 1)
        text = clean_line(data[nl + 1 : end if end >= 0 else len(data)], self.max_line)
        m = _TRAVIS_CMD.match(text)
        return m.group(1) if m else None
