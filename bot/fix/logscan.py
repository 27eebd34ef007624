"""Read the failing step's own command line and output from a GitHub Actions job log.

The diagnose engine names the category and the failing step's number; this module walks the
log once more and keeps only that step: the script from its ``##[group]Run …`` header and a
bounded number of its output lines. It follows the same step model the diagnose engine
documents (a top-level ``##[group]Run`` starts a step; ``Post job cleanup.`` and ``Cleaning up
orphan processes`` start the closing ones) and checks the step title it finds against the one
the diagnosis gives, so a change in numbering shows up as "not found", never as the wrong step.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from bot.diagnose import Diagnosis, diagnose

MAX_LINE = 4096
MAX_OUTPUT_LINES = 20_000
MAX_SCRIPT_LINES = 400

_TS_RE = re.compile(r"^\ufeff?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?")
_ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
_HEADER_END = re.compile(r"^(?:shell: |env:$|with:$)")


@dataclass
class FailedStep:
    """The step the diagnosis blamed: its number, title, script lines and output lines."""

    number: int
    title: str
    script: list[str] = field(default_factory=list)
    output: list[str] = field(default_factory=list)
    uses_action: bool = False


@dataclass
class LogFacts:
    diagnosis: Diagnosis
    step: FailedStep | None


def clean(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace").rstrip("\r\n")
    text = _TS_RE.sub("", text, count=1)
    if "\x1b" in text:
        text = _ANSI_RE.sub("", text)
    if "\r" in text:
        text = text.rsplit("\r", 1)[-1]
    return text[:MAX_LINE]


def _lines(path: Path) -> Iterator[str]:
    with path.open("rb") as fh:
        yield from _stream(fh)


def _stream(fh: BinaryIO) -> Iterator[str]:
    for raw in fh:
        yield clean(raw)


def read_step(path: Path, number: int) -> FailedStep | None:
    """The step numbered ``number`` (1 is "Set up job"), or None if the log has fewer."""
    current, depth, in_header = 1, 0, False
    found: FailedStep | None = None
    for text in _lines(path):
        starts = depth == 0 and (
            text.startswith("##[group]Run ")
            or text == "Post job cleanup."
            or text.startswith("Cleaning up orphan processes")
        )
        if starts:
            if found is not None:
                break
            current += 1
            in_header = text.startswith("##[group]")
            if current == number:
                title = text[len("##[group]") :] if in_header else text
                found = FailedStep(number, title)
        if text.startswith("##[group]"):
            depth += 1
        elif text.startswith("##[endgroup]"):
            depth = max(0, depth - 1)
            in_header = in_header and depth > 0
            continue
        if found is None or starts:
            continue
        if in_header:
            _header_line(found, text)
        elif len(found.output) < MAX_OUTPUT_LINES:
            found.output.append(text)
    return found


def _header_line(step: FailedStep, text: str) -> None:
    if step.uses_action:
        return
    if _HEADER_END.match(text):
        step.uses_action = text == "with:" and not step.script
        step.script.append("\0")  # end of the script part
        return
    if step.script and step.script[-1] == "\0":
        return
    if len(step.script) < MAX_SCRIPT_LINES:
        step.script.append(text)


def read_log(path: Path) -> LogFacts:
    """Diagnose the log and read its failing step (None without Actions step markers)."""
    diagnosis = diagnose(str(path), name=path.name)
    step = None
    if diagnosis.failing_step_number:
        step = read_step(path, diagnosis.failing_step_number)
        if step is not None and diagnosis.failing_step and step.title != diagnosis.failing_step:
            step = None
    if step is not None:
        step.script = [s for s in step.script if s != "\0"]
        if step.uses_action:
            step.script = []
    else:
        step = _plain_output(path)
    return LogFacts(diagnosis, step)


def _plain_output(path: Path) -> FailedStep:
    """A log without step markers (a plain CI transcript): all of it is output."""
    step = FailedStep(0, "")
    for text in _lines(path):
        if len(step.output) >= MAX_OUTPUT_LINES:
            break
        step.output.append(text)
    return step
